package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.compat.WarrenOnly;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The durable-queue, persistent-message cell of the usage matrix ({@code UsageMatrixTest}), across
 * a restart: persistent messages published to a durable queue without confirms, with confirms and
 * in a transaction are all there after a clean stop (SIGTERM), in order and not flagged
 * redelivered. After SIGKILL only what the broker vouched for must be: the confirmed and the
 * committed messages. Unconfirmed publishes are counted by the broker (a passive declare sees
 * them all) before the stop, so a clean stop has no excuse to drop them.
 */
@WarrenOnly
class PersistentPublishRestartTest {

    enum Stop { SIGTERM, SIGKILL }

    enum Publishing { NO_CONFIRMS, CONFIRMS, TX }

    private static final int N = 20;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(Stop.class)
    void persistentMessagesInDurableQueuesSurviveARestart(Stop how) throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            for (Publishing p : Publishing.values()) {
                Channel ch = c.createChannel();
                ch.queueDeclare(queue(p), true, false, false, null);
                publish(ch, p);
                // the broker has them all: same channel, and polled for the unconfirmed case
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (ch.queueDeclarePassive(queue(p)).getMessageCount() < N && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(N, ch.queueDeclarePassive(queue(p)).getMessageCount(), p + " before the stop");
            }
            if (how == Stop.SIGTERM) {
                warren.stop(); // with the client still connected, as when an operator restarts
            } else {
                warren.kill();
            }
            c.abort();
        }
        Set<Publishing> mustSurvive = how == Stop.SIGTERM
                ? EnumSet.allOf(Publishing.class)
                : EnumSet.of(Publishing.CONFIRMS, Publishing.TX);
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            try (Connection c = warren.factory().newConnection()) {
                Channel ch = c.createChannel();
                for (Publishing p : mustSurvive) {
                    assertEquals(N, ch.queueDeclarePassive(queue(p)).getMessageCount(), p + " after " + how);
                    assertEquals(expectedBodies(p), drain(ch, queue(p)), p + " after " + how);
                }
            }
            warren.stop();
        }
    }

    private static String queue(Publishing p) {
        return "restart-persistent-" + p.name().toLowerCase();
    }

    private static List<String> expectedBodies(Publishing p) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            bodies.add(p + " #" + i);
        }
        return bodies;
    }

    private static void publish(Channel ch, Publishing p) throws Exception {
        if (p == Publishing.CONFIRMS) {
            ch.confirmSelect();
        } else if (p == Publishing.TX) {
            ch.txSelect();
        }
        for (String body : expectedBodies(p)) {
            ch.basicPublish("", queue(p), MessageProperties.PERSISTENT_TEXT_PLAIN,
                    body.getBytes(StandardCharsets.UTF_8));
        }
        if (p == Publishing.CONFIRMS) {
            ch.waitForConfirmsOrDie(10_000);
        } else if (p == Publishing.TX) {
            ch.txCommit();
        }
    }

    /** Takes and acks everything in {@code queue}: never delivered before, so none redelivered. */
    private static List<String> drain(Channel ch, String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            GetResponse r = ch.basicGet(queue, false);
            assertNotNull(r, queue + ": get-empty after " + i);
            assertFalse(r.getEnvelope().isRedeliver(), queue);
            assertEquals(2, r.getProps().getDeliveryMode(), queue);
            bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
            ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        }
        assertNull(ch.basicGet(queue, false), queue + ": more than published");
        return bodies;
    }
}
