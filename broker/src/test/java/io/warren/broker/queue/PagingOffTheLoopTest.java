package io.warren.broker.queue;

import static io.warren.broker.queue.QueueTests.ignoring;
import static io.warren.broker.queue.QueueTests.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import io.warren.store.MvPageStore;
import io.warren.store.PageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging runs on the paging thread, not on the queue's loop: the page store is never called from
 * an event loop, a queue keeps delivering what it has in memory while a page-in is under way,
 * a basic.get that finds the head on disk is answered when it is back, and order is kept across
 * page-out and page-in.
 */
class PagingOffTheLoopTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records every call made from the queue's loop; reads can be held back. */
    private final class WatchedStore implements PageStore {
        final PageStore inner;
        final Set<String> loopCalls = ConcurrentHashMap.newKeySet();
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();
        volatile CountDownLatch readsHeld = new CountDownLatch(0);
        volatile CountDownLatch writesHeld = new CountDownLatch(0);

        WatchedStore(PageStore inner) {
            this.inner = inner;
        }

        private void check(String call) {
            if (loop.inEventLoop()) {
                loopCalls.add(call + " on " + Thread.currentThread().getName());
            }
        }

        private void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void put(long id, byte[] content) {
            check("put");
            await(writesHeld);
            puts.incrementAndGet();
            inner.put(id, content);
        }

        @Override
        public byte[] get(long id) {
            check("get");
            await(readsHeld);
            gets.incrementAndGet();
            return inner.get(id);
        }

        @Override
        public void remove(long id) {
            check("remove");
            inner.remove(id);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** A consumer that records the ids it gets, in order; no-ack, unlimited prefetch. */
    private static final class Recorder implements ConsumerSink {
        final List<Long> ids = new ArrayList<>();
        volatile int count;

        @Override
        public void deliver(Delivery delivery) {
            ids.add(delivery.message().id());
            count = ids.size();
            delivery.message().release();
        }

        @Override public void writeDelivery(Delivery delivery) { deliver(delivery); }
        @Override public boolean writable() { return true; }
        @Override public boolean tryAcquireChannelCredit() { return true; }
        @Override public boolean channelCreditAvailable() { return true; }
        @Override public void cancelledByQueue(Consumer consumer) { }
    }

    private Queue pagingQueue(PagingThread pager, int maxMessages) {
        return new Queue(new QueueDefinition("/", "q", false, false, false, Map.of()), loop, null, ignoring(),
                new Paging(pager, maxMessages, Long.MAX_VALUE, new MemoryPressure()));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void theQueueLoopNeverTouchesThePageStoreAndABacklogLeavesInPublishOrder(@TempDir Path dir) throws Exception {
        WatchedStore store = new WatchedStore(MvPageStore.open(dir, 1 << 20));
        try (store; PagingThread pager = new PagingThread(store)) {
            Queue q = pagingQueue(pager, 100);
            int total = 20_000;
            for (long id = 1; id <= total; id++) {
                q.offer(message(id));
            }
            waitFor(() -> q.pagedOutCount() == total - 100, "all but 100 are paged out");
            Recorder sink = new Recorder();
            Consumer c = new Consumer("c", q, sink, true, false, 0, 0, Map.of());
            assertNull(loop.submit(() -> q.addConsumer(c)).get(10, TimeUnit.SECONDS));
            waitFor(() -> sink.count == total, "every message is delivered");

            List<Long> ids = loop.submit(() -> new ArrayList<>(sink.ids)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, ids.get(i), "delivery " + i);
            }
            // a page-in may take messages whose write had not run yet (reads go first): those
            // never reach the store; every one that did was read back
            assertTrue(store.puts.get() > 0 && store.puts.get() <= total - 100, "the backlog went through the page store");
            assertEquals(store.puts.get(), store.gets.get());
            assertEquals(Set.of(), store.loopCalls, "the page store was called on the queue's loop");
            assertEquals(0, store.size());
        }
    }

    @Test
    void memoryKeepsFlowingWhileAPageInIsUnderWayAndAGetOnAPagedHeadWaitsForIt(@TempDir Path dir)
            throws Exception {
        WatchedStore store = new WatchedStore(MvPageStore.open(dir, 1 << 20));
        try (store; PagingThread pager = new PagingThread(store)) {
            Queue q = pagingQueue(pager, 100);
            for (long id = 1; id <= 1_000; id++) {
                q.offer(message(id));
            }
            waitFor(() -> q.pagedOutCount() == 900 && store.puts.get() == 900, "900 are paged out and written");
            store.readsHeld = new CountDownLatch(1); // the disk is slow from now on

            // The 100 in memory leave at once; past the first 50 a page-in is under way, held.
            List<Long> got = loop.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    q.get(true, d -> ids.add(d.message().id()));
                }
                return ids;
            }).get(10, TimeUnit.SECONDS);
            assertEquals(100, got.size(), "messages in memory are served while a read is pending");
            assertEquals(1L, got.get(0));
            assertEquals(100L, got.get(99));

            AtomicReference<Long> waiting = new AtomicReference<>();
            CountDownLatch answered = new CountDownLatch(1);
            boolean answeredAtOnce = loop.submit(() -> {
                q.get(true, d -> {
                    waiting.set(d == null ? null : d.message().id());
                    answered.countDown();
                });
                return answered.getCount() == 0;
            }).get(10, TimeUnit.SECONDS);
            assertFalse(answeredAtOnce, "a get on a head still on disk waits (it is not answered empty)");
            assertEquals(900, q.messageCount());

            store.readsHeld.countDown();
            assertTrue(answered.await(10, TimeUnit.SECONDS), "the waiting get was never answered");
            assertEquals(101L, waiting.get());

            List<Long> rest = new ArrayList<>();
            while (rest.size() < 899) {
                CountDownLatch one = new CountDownLatch(1);
                loop.execute(() -> q.get(true, d -> {
                    rest.add(d == null ? -1L : d.message().id());
                    one.countDown();
                }));
                assertTrue(one.await(10, TimeUnit.SECONDS));
            }
            for (int i = 0; i < rest.size(); i++) {
                assertEquals(102 + i, rest.get(i));
            }
            assertEquals(Set.of(), store.loopCalls);
        }
    }

    @Test
    void aPurgeCountsThePagedBacklogAndHandsEveryMessageToTheListenerOffTheLoop(@TempDir Path dir)
            throws Exception {
        WatchedStore store = new WatchedStore(MvPageStore.open(dir, 1 << 20));
        try (store; PagingThread pager = new PagingThread(store)) {
            AtomicInteger removed = new AtomicInteger();
            QueueListener ignoring = new QueueListener() {
                @Override public void autoDelete(Queue queue) { }
                @Override public void expire(Queue queue) { }
                @Override public void deadLetter(Queue queue, Message message, String reason) { }
            };
            QueueStore counting = new QueueStore() {
                @Override public boolean durable() { return true; }
                @Override public String key() { return "q"; }
                @Override public java.util.List<String> keyList() { return java.util.List.of("q"); }
                @Override public void removed(Message message) { removed.incrementAndGet(); }
                @Override public void delivered(Message message) { }
                @Override public void deleteQueue() { }
            };
            Queue q = new Queue(new QueueDefinition("/", "q", false, false, false, Map.of()), loop, null, ignoring,
                    new Paging(pager, 100, Long.MAX_VALUE, new MemoryPressure()));
            q.store(counting);
            for (long id = 1; id <= 5_000; id++) {
                q.offer(message(id));
            }
            waitFor(() -> q.pagedOutCount() == 4_900, "4,900 are paged out");
            assertEquals(5_000, loop.submit(q::purge).get(10, TimeUnit.SECONDS));
            assertEquals(0, q.messageCount());
            assertEquals(0, q.pagedOutCount());
            waitFor(() -> removed.get() == 5_000, "every purged message reached the listener");
            waitFor(() -> store.size() == 0, "the page store is emptied");
            assertEquals(Set.of(), store.loopCalls);
        }
    }

    @Test
    void publishersPauseWhilePageOutsWaitToBeWrittenAndResumeWhenTheyAre(@TempDir Path dir) throws Exception {
        WatchedStore store = new WatchedStore(MvPageStore.open(dir, 64 << 20));
        store.writesHeld = new CountDownLatch(1);
        try (store; PagingThread pager = new PagingThread(store)) {
            Queue q = pagingQueue(pager, 1);
            byte[] body = new byte[64 << 10];
            BasicProperties props = new BasicProperties(null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null);
            int behindAt = -1;
            for (int id = 1; id <= 400 && behindAt < 0; id++) {
                Message m = new Message(id, "", "q", ContentHeader.of(60, props, body.length),
                        Unpooled.wrappedBuffer(body), 0, Long.MAX_VALUE);
                if (q.offer(m)) {
                    behindAt = id;
                }
                if (id % 16 == 0) {
                    loop.submit(() -> { }).get(10, TimeUnit.SECONDS); // let the queue take them in
                }
            }
            assertTrue(behindAt > 0, "unwritten page-outs never paused the publisher");
            assertTrue(behindAt * (long) body.length < 2 * ReadyList.WRITES_HIGH, "paused late: " + behindAt);

            CountDownLatch resumed = new CountDownLatch(1);
            q.whenCaughtUp(resumed::countDown);
            assertFalse(resumed.await(200, TimeUnit.MILLISECONDS), "resumed while the writes were still held");
            store.writesHeld.countDown();
            assertTrue(resumed.await(10, TimeUnit.SECONDS), "publisher never resumed after the writes");
        }
    }
}
