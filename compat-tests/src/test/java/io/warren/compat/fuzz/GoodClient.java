package io.warren.compat.fuzz;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The well-behaved client beside the fuzzer: the RabbitMQ Java client publishing persistent
 * messages with confirms to a durable queue on one connection and consuming them with manual
 * acks on another. Every message carries its publish sequence number, so that what was confirmed
 * and never delivered is counted exactly.
 */
final class GoodClient implements AutoCloseable {

    private static final String QUEUE = "fuzz-good";
    /** Publishes awaiting their confirm at most: a steady, modest load, not a benchmark. */
    private static final int WINDOW = 200;

    private final Connection publisherConnection;
    private final Connection consumerConnection;
    private final Channel publisher;
    private final NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<Long> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong nacked = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicReference<String> disconnected = new AtomicReference<>();
    private final Thread publishing;
    private volatile boolean stop;

    GoodClient(ConnectionFactory factory) throws Exception {
        publisherConnection = factory.newConnection("fuzz-good-publisher");
        consumerConnection = factory.newConnection("fuzz-good-consumer");
        publisherConnection.addShutdownListener(cause -> disconnectedBy("publisher", cause));
        consumerConnection.addShutdownListener(cause -> disconnectedBy("consumer", cause));

        Channel consumer = consumerConnection.createChannel();
        consumer.queueDeclare(QUEUE, true, false, false, null);
        consumer.basicQos(100);
        consumer.basicConsume(QUEUE, false, new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                received.add(ByteBuffer.wrap(body).getLong());
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });

        publisher = publisherConnection.createChannel();
        publisher.confirmSelect();
        publisher.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                settle(tag, multiple, true);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                settle(tag, multiple, false);
            }
        });
        publishing = new Thread(this::publishLoop, "fuzz-good-publisher");
        publishing.setDaemon(true);
        publishing.start();
    }

    private void disconnectedBy(String which, Exception cause) {
        if (!stop) {
            disconnected.compareAndSet(null, which + ": " + cause.getMessage());
        }
    }

    private void settle(long tag, boolean multiple, boolean ack) {
        NavigableSet<Long> done = multiple ? outstanding.headSet(tag, true) : outstanding.subSet(tag, true, tag, true);
        for (Long seq : done.toArray(new Long[0])) {
            if (outstanding.remove(seq)) {
                if (ack) {
                    confirmed.add(seq);
                } else {
                    nacked.incrementAndGet();
                }
                window.release();
            }
        }
    }

    private void publishLoop() {
        try {
            while (!stop) {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue; // blocked by an alarm, or the disk is slow: wait, do not give up
                }
                long seq = publisher.getNextPublishSeqNo();
                outstanding.add(seq);
                publisher.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC,
                        ByteBuffer.allocate(64).putLong(seq).array());
                if (published.incrementAndGet() % 20 == 0) {
                    Thread.sleep(5); // about 2,000 a second at most: the fuzzer needs the CPU too
                }
            }
        } catch (Exception e) {
            disconnected.compareAndSet(null, "publisher failed: " + e);
        }
    }

    /** Stops publishing; waits for the outstanding confirms and for every confirmed message to arrive. */
    void finish(long timeoutMillis) throws InterruptedException {
        stop = true;
        publishing.join(10_000);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline && (!outstanding.isEmpty() || !received.containsAll(confirmed))) {
            Thread.sleep(50);
        }
    }

    long published() {
        return published.get();
    }

    long confirmed() {
        return confirmed.size();
    }

    long nacked() {
        return nacked.get();
    }

    long unconfirmed() {
        return outstanding.size();
    }

    /** Confirmed by the broker and never delivered. */
    long lost() {
        return confirmed.stream().filter(seq -> !received.contains(seq)).count();
    }

    /** Why a connection of the good client ended while it was working, or null. */
    String disconnected() {
        return disconnected.get();
    }

    @Override
    public void close() {
        stop = true;
        for (Connection c : new Connection[] {publisherConnection, consumerConnection}) {
            try {
                c.abort(2000);
            } catch (RuntimeException ignored) {
                // closing
            }
        }
    }
}
