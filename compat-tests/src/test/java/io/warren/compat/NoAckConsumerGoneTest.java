package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.queue.Queue;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A no-ack (auto-ack) delivery is settled the moment the queue hands it out, as in RabbitMQ: when
 * its consumer goes (connection dropped, consumer cancelled) with deliveries still on their way
 * to the socket, those are gone too, never requeued. Requeueing them once broke the books: the
 * queue had never counted them unacked (messages_unacknowledged went negative) and had already
 * told the store they were removed (a persistent message ready in memory, gone from disk: lost
 * at the next restart).
 *
 * <p>Warren-only: it looks at the queue's own counters and restarts the broker.
 */
@WarrenOnly
class NoAckConsumerGoneTest {

    private static final int MESSAGES = 10_000;
    private static final String QUEUE = "noack-gone";

    @TempDir
    Path dataDir;

    private Broker start() {
        return BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().dataDir(dataDir).ioThreads(2));
    }

    private static ConnectionFactory factory(Broker broker) {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setPort(broker.amqpPort());
        return f;
    }

    /** Reads queue state on its loop, after everything posted to it so far. */
    private static <T> T onQueue(Queue q, java.util.function.Supplier<T> read) throws Exception {
        java.util.concurrent.CompletableFuture<T> answer = new java.util.concurrent.CompletableFuture<>();
        q.submit(() -> answer.complete(read.get()));
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliveriesInFlightToADroppedNoAckConsumerAreNotRequeued() throws Exception {
        try (Broker broker = start()) {
            ConnectionFactory f = factory(broker);
            try (Connection publisher = f.newConnection()) {
                Channel ch = publisher.createChannel();
                ch.queueDeclare(QUEUE, true, false, false, null);
                ch.confirmSelect();
                byte[] body = new byte[2048];
                for (int i = 0; i < MESSAGES; i++) {
                    // every tenth persistent: enough to see the store, cheaper to publish
                    ch.basicPublish("", QUEUE, i % 10 == 0 ? MessageProperties.PERSISTENT_BASIC : null, body);
                }
                ch.waitForConfirmsOrDie(30_000);
            }

            // A no-ack consumer that stalls on its first delivery, so the broker's socket and
            // outbox fill up; then its socket is closed under it.
            AtomicReference<Socket> socket = new AtomicReference<>();
            f.setSocketConfigurator(s -> {
                s.setReceiveBufferSize(16 * 1024); // fills up (and holds the broker back) sooner
                socket.set(s);
            });
            Connection consumer = f.newConnection();
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            Channel cc = consumer.createChannel();
            cc.basicConsume(QUEUE, true, new DefaultConsumer(cc) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] b) {
                    first.countDown();
                    try {
                        never.await(); // until the connection dies
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(first.await(10, TimeUnit.SECONDS), "no delivery");
            Queue q = broker.vhosts().find("/").queue(QUEUE);
            // Held back by the consumer's full socket, the queue has handed out more than the
            // socket took (some deliveries wait in the connection's outbox) and then stops.
            awaitHeldBack(q);
            socket.get().close();
            consumer.abort();
            never.countDown();
            CompatTest.eventually("connection gone", () -> broker.connections().count() == 0);

            assertEquals(0, onQueue(q, q::unackedCount), "messages_unacknowledged");
            int ready = onQueue(q, q::messageCount);
            assertTrue(ready < MESSAGES - 1000, () -> "ready " + ready);
            // What left the queue was delivered, written or not (as RabbitMQ counts it).
            assertEquals(MESSAGES, ready + broker.counters().delivered.sum(), "ready + delivered");
            // The ready messages are the last ones published (what went out went in order); the
            // persistent ones among them are what the store holds, and what a restart brings back.
            long persistentReady = java.util.stream.IntStream.range(MESSAGES - ready, MESSAGES)
                    .filter(i -> i % 10 == 0).count();
            assertEquals(persistentReady, stored(broker, q), "messages of the queue in the store");
            assertEquals(ready, onQueue(q, q::delete));
        }
    }

    /**
     * The same with basic.cancel: a raw client consumes without reading, so deliveries pile up
     * in the broker, then cancels. Those the broker had not written are gone, counted delivered
     * (the suite's broker: no other test runs meanwhile).
     */
    @Test
    void deliveriesInFlightToACancelledNoAckConsumerAreNotRequeued() throws Exception {
        Broker broker = BrokerUnderTest.warren();
        String queue = "noack-cancelled-" + java.util.UUID.randomUUID();
        try (Connection publisher = BrokerUnderTest.factory().newConnection()) {
            Channel ch = publisher.createChannel();
            ch.queueDeclare(queue, false, false, false, null);
            ch.confirmSelect();
            byte[] body = new byte[2048];
            for (int i = 0; i < MESSAGES; i++) {
                ch.basicPublish("", queue, null, body);
            }
            ch.waitForConfirmsOrDie(30_000);
            Queue q = broker.vhosts().find("/").queue(queue);
            long deliveredBefore = broker.counters().delivered.sum();
            try (RawConnection raw = RawConnection.open()) {
                raw.openChannel(1);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Consume(0, queue, "c", false, true, false,
                        false, null));
                awaitHeldBack(q);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Cancel("c", false));
                CompatTest.eventually("cancel taken in", () -> q.consumerCount() == 0);
                int received = 0;
                com.rabbitmq.client.impl.Method m;
                while (!((m = raw.readMethod()) instanceof AMQP.Basic.CancelOk)) {
                    if (m instanceof AMQP.Basic.Deliver) {
                        received++;
                    }
                }
                int ready = onQueue(q, q::messageCount);
                assertEquals(0, onQueue(q, q::unackedCount), "messages_unacknowledged");
                assertEquals(MESSAGES, ready + broker.counters().delivered.sum() - deliveredBefore,
                        "ready + delivered");
                int got = received;
                assertTrue(ready + got < MESSAGES, () -> "nothing was in flight: " + got + " received");
            } finally {
                ch.queueDelete(queue);
            }
        }
    }

    /** Waits until the queue hands out nothing more (its consumer's socket is full). */
    private static void awaitHeldBack(Queue q) throws Exception {
        int[] last = {MESSAGES};
        CompatTest.eventually("the queue stops handing out", () -> {
            int now = q.messageCount();
            boolean stopped = now == last[0] && now < MESSAGES - 1000;
            last[0] = now;
            if (!stopped) {
                Thread.sleep(100);
            }
            return stopped;
        });
    }

    /** Persistent messages of {@code q} in the store, once everything submitted so far is on disk. */
    private static int stored(Broker broker, Queue q) throws Exception {
        java.util.concurrent.CompletableFuture<Void> flushed = new java.util.concurrent.CompletableFuture<>();
        broker.persistence().flush(failure -> flushed.complete(null));
        flushed.get(10, TimeUnit.SECONDS);
        AtomicInteger n = new AtomicInteger();
        broker.persistence().store().recover(io.warren.broker.persistence.Persistence.storeKey(q),
                (id, content, delivered) -> n.incrementAndGet());
        return n.get();
    }
}
