package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.compat.WarrenOnly;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound: a backlog far larger than the heap is published and drained by real
 * clients against a broker process limited to a 512 MiB heap. The broker must keep taking
 * messages (no OutOfMemoryError, no stall), and hand every one back.
 *
 * <p>The backlog is 10 million 16-byte messages by default ({@code -Dwarren.paging.messages}
 * changes it). Queues keep 50,000 messages in memory; the rest is paged out and only its ids
 * (8 bytes each) stay on the heap.
 */
@WarrenOnly
class PagingBacklogTest {

    private static final int PUBLISHERS = 2;
    private static final int CONSUMERS = 2;
    private static final byte[] BODY = new byte[16];

    @Test
    void tenMillionMessageBacklogFitsA512MiBHeap(@TempDir Path data) throws Exception {
        long total = Long.getLong("warren.paging.messages", 10_000_000L);
        long perPublisher = total / PUBLISHERS;
        total = perPublisher * PUBLISHERS;
        try (WarrenProcess broker = WarrenProcess.start(data, "512m")) {
            String queue = "backlog";
            List<Connection> connections = new ArrayList<>();
            try {
                Connection admin = broker.factory().newConnection();
                connections.add(admin);
                admin.createChannel().queueDeclare(queue, false, false, false, null);
                RssSampler rss = new RssSampler(broker);

                long publishStart = System.nanoTime();
                List<Thread> publishers = new ArrayList<>();
                for (int i = 0; i < PUBLISHERS; i++) {
                    Connection c = broker.factory().newConnection();
                    connections.add(c);
                    Channel ch = c.createChannel();
                    Thread t = new Thread(() -> publish(ch, queue, perPublisher), "publisher-" + i);
                    publishers.add(t);
                    t.start();
                }
                for (Thread t : publishers) {
                    t.join();
                }
                Channel counter = admin.createChannel();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (counter.queueDeclarePassive(queue).getMessageCount() < total) {
                    assertTrue(System.nanoTime() < deadline, "the backlog never reached " + total);
                    assertTrue(broker.alive(), "broker died:\n" + broker.stderr());
                    Thread.sleep(100);
                }
                double publishSeconds = (System.nanoTime() - publishStart) / 1e9;

                long drainStart = System.nanoTime();
                AtomicLong received = new AtomicLong();
                CountDownLatch done = new CountDownLatch(1);
                long expected = total;
                for (int i = 0; i < CONSUMERS; i++) {
                    Connection c = broker.factory().newConnection();
                    connections.add(c);
                    Channel ch = c.createChannel();
                    ch.basicConsume(queue, true, new DefaultConsumer(ch) {
                        @Override
                        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) {
                            if (received.incrementAndGet() == expected) {
                                done.countDown();
                            }
                        }
                    });
                }
                if (!done.await(10, TimeUnit.MINUTES)) {
                    throw new AssertionError("drained only " + received.get() + " of " + total + ", the queue counts "
                            + counter.queueDeclarePassive(queue).getMessageCount() + " ready; broker output:\n"
                            + tail(broker.stdout()) + "\nstderr:\n" + tail(broker.stderr()));
                }
                double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
                rss.stop();

                assertEquals(0, counter.queueDeclarePassive(queue).getMessageCount());
                assertEquals(total, received.get());
                assertTrue(broker.alive(), "broker died:\n" + broker.stderr());
                assertTrue(!broker.stderr().contains("OutOfMemoryError"), broker.stderr());
                // an error inside a queue's turn is logged, not fatal: it must not have happened
                assertTrue(!broker.stdout().contains("OutOfMemoryError") && !broker.stdout().contains("[ERROR]")
                        && !broker.stdout().contains("raised an exception"),
                        tail(broker.stdout()));
                System.out.printf("paging backlog: %,d messages published in %.1f s (%,.0f msg/s), drained in %.1f s"
                        + " (%,.0f msg/s), broker peak RSS %,d MiB with -Xmx512m%n", total, publishSeconds,
                        total / publishSeconds, drainSeconds, total / drainSeconds, rss.peak() >> 20);
            } finally {
                for (Connection c : connections) {
                    c.abort(2000);
                }
            }
        }
    }

    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 20_000));
    }

    private static void publish(Channel ch, String queue, long count) {
        try {
            for (long i = 0; i < count; i++) {
                ch.basicPublish("", queue, null, BODY);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Samples the broker's RSS every 200 ms; answers the peak. */
    private static final class RssSampler {
        private final Thread thread;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;

        RssSampler(WarrenProcess broker) {
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(broker.residentBytes(), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long peak() {
            return peak.get();
        }
    }
}
