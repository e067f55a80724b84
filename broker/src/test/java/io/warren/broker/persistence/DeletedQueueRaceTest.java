package io.warren.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.message.Message;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.routing.MessageRouter;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.store.MvStoreMessageStore;
import io.warren.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish routed to a durable queue just before the queue is deleted: the publisher's enqueue
 * may reach the store after the delete dropped the queue's entries. That message must never
 * come back in a later queue of the same name, after a clean restart or a crash.
 *
 * <p>The interleaving is made exact rather than hoped for: route (the publisher has the queue),
 * delete (on the queue's loop, store delete submitted), then store and offer.
 */
class DeletedQueueRaceTest {

    /** No housekeeping, so that nothing writes while the test copies the file. */
    private static final StoreOptions QUIET = StoreOptions.defaults().withCompaction(0, 0, 1000);
    private static final int ITERATIONS = 100;
    private static final QueueDefinition DURABLE_Q = new QueueDefinition("/", "q", true, false, false, Map.of());

    @TempDir
    Path dir;
    private final DefaultEventExecutor queueLoop = new DefaultEventExecutor();
    private MvStoreMessageStore store;
    private Persistence persistence;
    private VirtualHost vhost;
    private long nextId = 1;

    @BeforeEach
    void open() {
        store = MvStoreMessageStore.open(dir, QUIET);
        persistence = new Persistence(store);
        vhost = new VirtualHosts(persistence, Paging.OFF).create("/");
        persistence.vhostCreated("/"); // as the broker's first start writes it
    }

    @AfterEach
    void close() {
        queueLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
    }

    @Test
    void aMessageStoredAfterItsQueueWasDeletedIsNotInTheNextQueueOfThatNameAfterARestart() throws Exception {
        Queue old = declare();
        storeAfterDelete(old);
        Queue again = declare();
        deliverTo(again, "new");
        awaitIdle(queueLoop);
        flush();
        store.close();
        assertEquals(1, recoveredCount(dir), "only the new queue's own message");
    }

    /**
     * The crash: the late entry is on disk, the removal the deleted queue asks for when the
     * message reaches it is not yet (its loop is busy), and the queue was declared again.
     */
    @Test
    void aMessageStoredAfterItsQueueWasDeletedIsNotInTheNextQueueOfThatNameAfterACrash() throws Exception {
        Queue old = declare();
        CountDownLatch busy = new CountDownLatch(1);
        Path crashed;
        try {
            storeAfterDeleteWhileTheLoopIsBusy(old, busy);
            declare();
            flush(); // the late entry and the new queue's record are both on disk now
            crashed = copyOfTheStore();
        } finally {
            busy.countDown();
        }
        assertEquals(0, recoveredCount(crashed));
    }

    /** At runtime the store drops the late entry too, once the message reaches the deleted queue. */
    @Test
    void theLateEntryIsRemovedFromTheStoreWithoutARestart() throws Exception {
        Queue old = declare();
        storeAfterDelete(old);
        awaitIdle(queueLoop);
        flush();
        assertEquals(0, store.stats().messages());
    }

    /**
     * The same race left to the scheduler: a thread publishes persistent messages to "q" while
     * "q" is deleted, then "q" is declared again; many times. Each time, once the publisher has
     * stopped and the deleted queue has seen what was routed to it, the store holds nothing:
     * not under the new queue's key, not anywhere.
     */
    @Test
    void racingPublishesAndDeletesLeaveNothingInTheStore() throws Exception {
        Queue q = declare();
        for (int i = 0; i < ITERATIONS; i++) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch publishing = new CountDownLatch(1);
            Thread publisher = new Thread(() -> {
                MessageRouter router = new MessageRouter(persistence);
                while (!stop.get()) {
                    Message m = message("racing");
                    if (router.collect(vhost.topology(), vhost.topology().defaultExchange(), m) > 0) {
                        router.deliver(m, 0, null);
                    }
                    m.release();
                    publishing.countDown();
                }
            }, "publisher");
            publisher.start();
            try {
                assertTrue(publishing.await(10, TimeUnit.SECONDS));
                assertTrue(vhost.deleteQueue(q));
            } finally {
                stop.set(true);
                publisher.join();
            }
            q = declare();
            awaitIdle(queueLoop);
            flush();
            assertFalse(store.queues().contains(Persistence.storeKey(q)),
                    "iteration " + i + ": the new queue has entries routed to the deleted one");
            assertEquals(0, store.stats().messages(), "iteration " + i + ": entries left in the store");
        }
    }

    /** Queues recorded before incarnations existed keep their entries under the old key. */
    @Test
    void aQueueRecordWithoutIncarnationRecoversItsMessagesUnderTheOldKey() throws Exception {
        String legacyKey = TopologyRecords.messageQueueKey("/", "q", 0);
        assertEquals("/\0q", legacyKey);
        byte[] record = TopologyRecords.queue(DURABLE_Q, 0);
        assertEquals(0, TopologyRecords.queueIncarnation(record));
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.putMetadata(TopologyRecords.queueKey("/", "q"), record, done::complete);
        Message m = message("legacy");
        store.enqueue(m.id(), io.warren.broker.message.MessageBytes.encode(m), java.util.List.of(legacyKey),
                done::complete);
        m.release();
        flush();
        store.close();
        assertEquals(1, recoveredCount(dir));
    }

    // ---- the interleavings ------------------------------------------------------------------

    /** Route to {@code q}, delete it and let its loop run the delete, then store and offer. */
    private void storeAfterDelete(Queue q) throws Exception {
        MessageRouter publisher = new MessageRouter(persistence);
        Message m = message("late");
        assertEquals(1, publisher.collect(vhost.topology(), vhost.topology().defaultExchange(), m));
        assertTrue(vhost.deleteQueue(q));
        awaitIdle(queueLoop);
        assertTrue(q.deleted());
        assertTrue(publisher.deliver(m, 0, null), "the message went to the store");
        m.release();
    }

    /** As {@link #storeAfterDelete}, the offered message left waiting behind a busy queue loop. */
    private void storeAfterDeleteWhileTheLoopIsBusy(Queue q, CountDownLatch busy) throws Exception {
        MessageRouter publisher = new MessageRouter(persistence);
        Message m = message("late");
        assertEquals(1, publisher.collect(vhost.topology(), vhost.topology().defaultExchange(), m));
        assertTrue(vhost.deleteQueue(q));
        awaitIdle(queueLoop);
        queueLoop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(publisher.deliver(m, 0, null), "the message went to the store");
        m.release();
    }

    private void deliverTo(Queue q, String body) {
        MessageRouter publisher = new MessageRouter(persistence);
        Message m = message(body);
        assertEquals(1, publisher.collect(vhost.topology(), vhost.topology().defaultExchange(), m));
        assertTrue(publisher.deliver(m, 0, null));
        m.release();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Queue declare() throws Exception {
        VirtualHost.DeclaredQueue d = vhost.declareQueue(DURABLE_Q, queueLoop, null);
        assertTrue(d.created());
        assertNotNull(Persistence.storeKey(d.queue()));
        flush();
        return d.queue();
    }

    private Message message(String body) {
        BasicProperties props = new BasicProperties(null, null, null, 2, null, null, null, null, null,
                null, null, null, null, null);
        byte[] bytes = body.getBytes();
        return new Message(nextId++, "", "q", ContentHeader.of(60, props, bytes.length),
                Unpooled.wrappedBuffer(bytes), 0, Long.MAX_VALUE);
    }

    private void flush() throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.flush(done::complete);
        assertEquals(null, done.get(10, TimeUnit.SECONDS));
    }

    private static void awaitIdle(DefaultEventExecutor loop) throws Exception {
        // the queue reschedules itself on the loop while its inbox has work: twice is enough
        for (int i = 0; i < 2; i++) {
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    /** A copy of the store file as it is now on disk: what a crash at this instant leaves. */
    private Path copyOfTheStore() throws IOException {
        Path copy = dir.resolve("crash-copy");
        Files.createDirectories(copy);
        Files.copy(dir.resolve(MvStoreMessageStore.FILE_NAME), copy.resolve(MvStoreMessageStore.FILE_NAME));
        return copy;
    }

    /** Starts from {@code dataDir} as the broker does; answers the messages queue "q" got back. */
    private static int recoveredCount(Path dataDir) {
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
        try (MvStoreMessageStore reopened = MvStoreMessageStore.open(dataDir, QUIET)) {
            Persistence p = new Persistence(reopened);
            VirtualHosts vhosts = new VirtualHosts(p, Paging.OFF);
            new Recovery(p).run(vhosts, new UserRegistry(), loops);
            Queue q = vhosts.find("/").queue("q");
            assertNotNull(q, "the durable queue was not recovered");
            int count = q.messageCount();
            for (Queue each : vhosts.find("/").queues()) {
                each.purge(); // releases the recovered messages (not a store write that matters here)
            }
            return count;
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
