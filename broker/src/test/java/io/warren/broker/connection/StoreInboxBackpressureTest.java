package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.queue.Queue;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent publishes without confirms have backpressure too: nobody waits for them, so with
 * the store stalled they would pile up in its writer's inbox without limit. Once 64 MiB of them
 * wait there, the publishing connection stops being read; once the store has taken them in, it
 * is read again and every message reaches its queue.
 */
class StoreInboxBackpressureTest {

    private static final long MAX_PENDING_BYTES = 64L << 20;
    private static final int BODY = 64 * 1024;
    private static final int PUBLISHES = (int) (2 * MAX_PENDING_BYTES / BODY);
    /** what the connection's loop may still take in after the read that crossed the limit */
    private static final long ONE_READ = 2L << 20;

    @TempDir
    Path dataDir;

    @Test
    void aPublisherWithoutConfirmsStopsBeingReadWhileTheStoreIsBehind() throws Exception {
        ExecutorService publisherThread = Executors.newSingleThreadExecutor();
        StalledStore stalled = null;
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().dataDir(dataDir).build())) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            try (Connection connection = f.newConnection()) {
                Channel ch = connection.createChannel();
                String name = "store-inbox-backpressure";
                ch.queueDeclare(name, true, false, false, null);
                Queue queue = broker.vhosts().find("/").queue(name);
                AmqpConnection onBroker = StalledStore.connectionAt(broker,
                        ((com.rabbitmq.client.impl.NetworkConnection) connection).getLocalPort());

                stalled = StalledStore.stall(broker.persistence());

                Future<?> published = publisherThread.submit(() -> {
                    byte[] body = new byte[BODY];
                    for (int i = 0; i < PUBLISHES; i++) {
                        ch.basicPublish("", name, MessageProperties.PERSISTENT_BASIC, body);
                    }
                    return null;
                });

                // Queue flow control may pause the publisher for a moment too, so wait until it
                // has stayed paused, taking nothing more in, for a second; without backpressure
                // the queue takes in every publish instead.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int taken = -1;
                long stableSince = System.nanoTime();
                while (System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(1)) {
                    // the frames of a read that paused it are still handled on its loop: let them finish
                    onBroker.handlerContext().executor().submit(() -> { }).get(10, TimeUnit.SECONDS);
                    int now = queue.messageCount();
                    if (now != taken || onBroker.handlerContext().channel().config().isAutoRead()) {
                        taken = now;
                        stableSince = System.nanoTime();
                    }
                    assertTrue(now < PUBLISHES && System.nanoTime() < deadline, "the publisher was not held"
                            + " back: the queue took " + now + " of " + PUBLISHES + " with the store stalled");
                    Thread.sleep(20);
                }
                long pending = broker.persistence().pendingBytes();
                System.out.printf("store inbox: store stalled, %d of %d persistent publishes without confirms"
                        + " taken in before the publisher was paused, %d bytes waiting in the store%n",
                        taken, PUBLISHES, pending);
                assertTrue(pending > MAX_PENDING_BYTES && pending <= MAX_PENDING_BYTES + ONE_READ,
                        "waiting in the store: " + pending);

                stalled.release();
                published.get(30, TimeUnit.SECONDS);
                long arrived = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (queue.messageCount() < PUBLISHES && System.nanoTime() < arrived) {
                    Thread.sleep(10);
                }
                assertEquals(PUBLISHES, queue.messageCount());
                assertTrue(onBroker.handlerContext().channel().config().isAutoRead(), "read again");
            } finally {
                if (stalled != null) {
                    stalled.release();
                }
                publisherThread.shutdownNow();
            }
        }
    }
}
