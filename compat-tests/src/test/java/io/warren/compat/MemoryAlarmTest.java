package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory alarm against a broker whose watermark is set so low that it is raised at once:
 * a connection that publishes is blocked and told so, and — as in RabbitMQ, which pauses its
 * heartbeat monitor while a connection is blocked — it is not disconnected for "missed
 * heartbeats" that are only waiting, unread, in its socket. A connection that never published
 * is not blocked.
 */
@WarrenOnly
class MemoryAlarmTest {

    @Test
    void blockedPublisherWithShortHeartbeatStaysConnected() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().heartbeatSeconds(60);
        config.memoryHighWatermark = 1e-9;
        System.gc(); // the alarm reads the heap after a collection: make sure there was one
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setPort(broker.amqpPort());
            f.setRequestedHeartbeat(1);
            Connection publisher = f.newConnection();
            try (Connection consumer = f.newConnection()) {
                CountDownLatch blocked = new CountDownLatch(1);
                publisher.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        blocked.countDown();
                    }

                    @Override
                    public void handleUnblocked() {
                    }
                });
                Channel in = consumer.createChannel();
                String queue = in.queueDeclare().getQueue();
                Channel out = publisher.createChannel();
                out.basicPublish("", queue, null, new byte[16]);
                assertTrue(blocked.await(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS), "connection.blocked not received");

                Thread.sleep(3500); // well over two 1 s heartbeat intervals
                assertTrue(publisher.isOpen(), "blocked publisher was disconnected: "
                        + publisher.getCloseReason());
                assertTrue(consumer.isOpen());
                // the consumer's connection never published, so it is still served
                assertEquals(queue, in.queueDeclarePassive(queue).getQueue());
            } finally {
                // a blocked connection's close would wait for a close-ok that is never read
                publisher.abort(1000);
            }
        }
    }

    /**
     * A connection that only publishes inside a transaction and never commits holds its
     * publishes in the broker: the alarm blocks it too (RabbitMQ has no per-transaction limit;
     * its alarm blocks any connection that publishes), so a huge transaction stops its publisher
     * instead of exhausting memory.
     */
    @Test
    void transactionalPublisherIsBlockedBeforeItCommits() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().heartbeatSeconds(60);
        config.memoryHighWatermark = 1e-9;
        System.gc(); // the alarm reads the heap after a collection: make sure there was one
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setPort(broker.amqpPort());
            Connection publisher = f.newConnection();
            try {
                CountDownLatch blocked = new CountDownLatch(1);
                publisher.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        blocked.countDown();
                    }

                    @Override
                    public void handleUnblocked() {
                    }
                });
                Channel out = publisher.createChannel();
                String queue = out.queueDeclare().getQueue();
                out.txSelect();
                out.basicPublish("", queue, null, new byte[16]);
                assertTrue(blocked.await(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "a connection publishing only into an uncommitted transaction was not blocked");
            } finally {
                publisher.abort(1000);
            }
        }
    }
}
