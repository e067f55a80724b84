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
 * Publisher confirms have backpressure, as RabbitMQ's credit flow towards its message store:
 * with the store stalled, a publisher that keeps sending persistent messages with confirms on
 * stops being read once 4,096 of its publishes wait for the disk (Confirms.MAX_WAITING), so what
 * the broker holds for it stops growing; once the disk catches up it is read again and every
 * publish is confirmed.
 */
class ConfirmBackpressureTest {

    private static final int MAX_WAITING = 4096;
    private static final int PUBLISHES = 3 * MAX_WAITING;

    @TempDir
    Path dataDir;

    @Test
    void aPublisherWhoseConfirmsWaitForAStalledDiskStopsBeingRead() throws Exception {
        ExecutorService publisherThread = Executors.newSingleThreadExecutor();
        StalledStore stalled = null;
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().dataDir(dataDir).build())) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            try (Connection connection = f.newConnection()) {
                Channel ch = connection.createChannel();
                String name = "confirm-backpressure";
                ch.queueDeclare(name, true, false, false, null);
                ch.confirmSelect();
                Queue queue = broker.vhosts().find("/").queue(name);
                AmqpConnection onBroker = StalledStore.connectionAt(broker, ((com.rabbitmq.client.impl.NetworkConnection) connection).getLocalPort());

                stalled = StalledStore.stall(broker.persistence());

                Future<Boolean> published = publisherThread.submit(() -> {
                    byte[] body = new byte[16];
                    for (int i = 0; i < PUBLISHES; i++) {
                        ch.basicPublish("", name, MessageProperties.PERSISTENT_BASIC, body);
                    }
                    return ch.waitForConfirms(30_000);
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
                            + " back: the queue took " + now + " of " + PUBLISHES + " with the disk stalled");
                    Thread.sleep(20);
                }
                System.out.printf("confirms: store stalled, %d of %d persistent publishes taken in before the"
                        + " publisher was paused%n", taken, PUBLISHES);
                assertTrue(taken >= MAX_WAITING && taken < MAX_WAITING + 2048, "taken in: " + taken);

                stalled.release();
                assertTrue(published.get(30, TimeUnit.SECONDS), "every publish confirmed (acked)");
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
