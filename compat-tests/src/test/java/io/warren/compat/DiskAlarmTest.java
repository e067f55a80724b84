package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's disk alarm: with disk_free_limit above the free space of the data dir's file
 * system, a publishing connection is blocked as by the memory alarm, told connection.blocked
 * "low on disk" (RabbitMQ's text), and its publishes are not taken in; lowering the limit clears
 * the alarm, the client hears connection.unblocked and what it sent meanwhile arrives.
 */
@WarrenOnly
class DiskAlarmTest {

    @TempDir
    Path dataDir;

    @Test
    void belowTheFreeDiskLimitPublishersAreBlockedUntilSpaceReturns() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().dataDir(dataDir).heartbeatSeconds(60);
        config.diskFreeLimitBytes = Long.MAX_VALUE; // more than any disk has free
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            assertTrue(broker.diskAlarm().raised(), "the alarm is raised at start");
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            Connection publisher = f.newConnection();
            try (Connection consumer = f.newConnection()) {
                BlockingQueue<String> heard = new LinkedBlockingQueue<>();
                publisher.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        heard.add("blocked: " + reason);
                    }

                    @Override
                    public void handleUnblocked() {
                        heard.add("unblocked");
                    }
                });
                Channel in = consumer.createChannel();
                String queue = in.queueDeclare("disk-alarm", true, false, false, null).getQueue();
                Channel out = publisher.createChannel();
                out.confirmSelect();
                out.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, "first".getBytes());
                assertEquals("blocked: low on disk", heard.poll(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                out.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, "second".getBytes());
                // not read while blocked: the second publish stays in the socket (the first, read
                // with the frame that made this connection a publisher, may have been taken)
                Thread.sleep(300);
                GetResponse first = in.basicGet(queue, true);
                if (first != null) {
                    assertEquals("first", new String(first.getBody()));
                }
                assertNull(in.basicGet(queue, true), "a publish was taken in while the disk alarm was raised");

                broker.diskAlarm().setLimit(1);
                assertFalse(broker.diskAlarm().raised());
                assertEquals("unblocked", heard.poll(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(out.waitForConfirms(CompatTest.TIMEOUT_SECONDS * 1000L), "every publish confirmed");
                int expected = first == null ? 2 : 1;
                for (int i = 0; i < expected; i++) {
                    assertNotNull(in.basicGet(queue, true), "a publish sent during the alarm was lost");
                }
                assertTrue(publisher.isOpen());
            } finally {
                publisher.abort(1000);
            }
        }
    }

    /** A connection that never published is not blocked: it can still consume and declare. */
    @Test
    void consumersAreNotBlocked() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().dataDir(dataDir).heartbeatSeconds(60);
        config.diskFreeLimitBytes = Long.MAX_VALUE;
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            try (Connection consumer = f.newConnection()) {
                Channel ch = consumer.createChannel();
                String q = ch.queueDeclare().getQueue();
                assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
            }
        }
    }

    /** RabbitMQ's health check names the disk alarm as its own: {resource_limit,disk,Node}. */
    @Test
    void theNodeHealthCheckFailsWhileTheDiskAlarmIsRaised() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().dataDir(dataDir).httpPort(0);
        config.diskFreeLimitBytes = Long.MAX_VALUE;
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            ManagementApi api = ManagementApi.at("http://localhost:" + broker.httpPort());
            ManagementApi.Response r = api.get("/api/healthchecks/node");
            assertEquals(200, r.status(), r::toString);
            assertEquals("failed", r.object().get("status"), r::toString);
            String reason = String.valueOf(r.object().get("reason"));
            assertTrue(reason.startsWith("resource alarm(s) in effect:[{resource_limit,disk,"), reason);

            broker.diskAlarm().setLimit(1);
            assertEquals("{\"status\":\"ok\"}", api.get("/api/healthchecks/node").body());
        }
    }

    /** Both alarms at once: one connection.blocked naming both, as RabbitMQ's "low on memory & disk". */
    @Test
    void bothAlarmsAreNamedInOneBlockedNotice() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().dataDir(dataDir).heartbeatSeconds(60);
        config.diskFreeLimitBytes = Long.MAX_VALUE;
        config.memoryHighWatermark = 1e-9;
        System.gc(); // the memory alarm reads the heap after a collection
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CompatTest.TIMEOUT_SECONDS);
            while (!broker.memoryAlarm().raised()) {
                assertTrue(System.nanoTime() < deadline, "memory alarm not raised");
                Thread.sleep(20);
            }
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            Connection publisher = f.newConnection();
            try {
                BlockingQueue<String> heard = new LinkedBlockingQueue<>();
                publisher.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        heard.add("blocked: " + reason);
                    }

                    @Override
                    public void handleUnblocked() {
                        heard.add("unblocked");
                    }
                });
                publisher.createChannel().basicPublish("", "nowhere", null, new byte[1]);
                assertEquals("blocked: low on memory & disk", heard.poll(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                broker.diskAlarm().setLimit(1);
                // still blocked by memory: no unblocked, and no second blocked
                assertNull(heard.poll(500, TimeUnit.MILLISECONDS));
            } finally {
                publisher.abort(1000);
            }
        }
    }
}
