package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.compat.WarrenOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent messages to durable queues published the three ways a client can — without
 * confirms, in a transaction, with confirms — to a broker process with a store on disk, then a
 * restart (SIGTERM or SIGKILL, see {@link WarrenProcess}). RabbitMQ's guarantees, which Warren
 * keeps:
 * <ul>
 *   <li>a clean stop keeps every persistent message of a durable queue that was not acked,
 *       however it was published (an unacked delivered one comes back redelivered); transient
 *       messages, non-durable queues and acked messages are gone;</li>
 *   <li>a crash (SIGKILL) keeps what was confirmed and what a tx.commit-ok covered; of the
 *       unconfirmed ones nothing is promised (Warren keeps a prefix: its commits are in
 *       order).</li>
 * </ul>
 */
@WarrenOnly
class AckedAndUnackedRestartTest {

    private static final AMQP.BasicProperties PERSISTENT = MessageProperties.PERSISTENT_TEXT_PLAIN;
    private static final String WORK = "work";
    private static final String FAN = "fan";
    private static final String FAN_A = "fan-a";
    private static final String FAN_B = "fan-b";
    private static final String FAN_TRANSIENT = "fan-transient";

    @TempDir
    Path dataDir;

    @Test
    void aCleanRestartKeepsUnackedPersistentMessagesHoweverTheyWerePublished() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            try (Connection c = warren.factory().newConnection()) {
                Channel ch = c.createChannel();
                ch.exchangeDeclare(FAN, BuiltinExchangeType.FANOUT, true);
                ch.queueDeclare(WORK, true, false, false, null);
                for (String q : List.of(FAN_A, FAN_B)) {
                    ch.queueDeclare(q, true, false, false, null);
                    ch.queueBind(q, FAN, "");
                }
                ch.queueDeclare(FAN_TRANSIENT, false, false, false, null);
                ch.queueBind(FAN_TRANSIENT, FAN, "");

                for (int i = 0; i < 5; i++) {
                    ch.basicPublish("", WORK, PERSISTENT, bytes("plain-" + i));
                }
                ch.basicPublish("", WORK, MessageProperties.TEXT_PLAIN, bytes("transient"));
                ch.basicPublish("", WORK, true, PERSISTENT, bytes("mandatory"));
                for (int i = 0; i < 3; i++) {
                    ch.basicPublish(FAN, "", PERSISTENT, bytes("fan-" + i));
                }

                Channel tx = c.createChannel();
                tx.txSelect();
                tx.basicPublish("", WORK, PERSISTENT, bytes("tx-0"));
                tx.basicPublish("", WORK, PERSISTENT, bytes("tx-1"));
                tx.txCommit();
                tx.basicPublish("", WORK, PERSISTENT, bytes("rolled-back"));
                tx.txRollback();

                Channel confirmed = c.createChannel();
                confirmed.confirmSelect();
                confirmed.basicPublish("", WORK, PERSISTENT, bytes("confirmed-0"));
                confirmed.basicPublish("", WORK, PERSISTENT, bytes("confirmed-1"));
                confirmed.waitForConfirmsOrDie(10_000);

                Channel consumer = c.createChannel();
                GetResponse first = consumer.basicGet(WORK, false);
                assertEquals("plain-0", text(first));
                GetResponse second = consumer.basicGet(WORK, false);
                assertEquals("plain-1", text(second));
                consumer.basicAck(second.getEnvelope().getDeliveryTag(), false);
                consumer.basicAck(first.getEnvelope().getDeliveryTag(), false);
                assertEquals("plain-2", text(consumer.basicGet(WORK, false))); // never acked
                for (int i = 0; i < 3; i++) {
                    assertEquals("fan-" + i, text(consumer.basicGet(FAN_A, true)));
                }
                assertTrue(ch.isOpen() && tx.isOpen() && confirmed.isOpen());
            }
            warren.stop(); // SIGTERM: the shutdown hook closes the store
        }
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            Channel ch = c.createChannel();
            List<String> work = drain(ch, WORK);
            assertEquals(List.of("plain-2 redelivered", "plain-3", "plain-4", "mandatory", "tx-0",
                    "tx-1", "confirmed-0", "confirmed-1"), work);
            assertEquals(List.of(), drain(ch, FAN_A));
            assertEquals(List.of("fan-0", "fan-1", "fan-2"), drain(ch, FAN_B));
            assertFalse(queueExists(c, FAN_TRANSIENT), "the non-durable queue came back");
            c.close();
        }
    }

    @Test
    void aCrashKeepsWhatWasConfirmedOrCommittedAndAPrefixOfTheRest() throws Exception {
        int unconfirmed = 200;
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            Channel ch = c.createChannel();
            ch.queueDeclare(WORK, true, false, false, null);
            for (int i = 0; i < unconfirmed; i++) {
                ch.basicPublish("", WORK, PERSISTENT, bytes("plain-" + i));
            }
            Channel tx = c.createChannel();
            tx.txSelect();
            tx.basicPublish("", WORK, PERSISTENT, bytes("tx-0"));
            tx.basicPublish("", WORK, PERSISTENT, bytes("tx-1"));
            tx.txCommit();
            Channel confirmed = c.createChannel();
            confirmed.confirmSelect();
            confirmed.basicPublish("", WORK, PERSISTENT, bytes("confirmed-0"));
            confirmed.waitForConfirmsOrDie(10_000);
            for (int i = unconfirmed; i < 2 * unconfirmed; i++) {
                ch.basicPublish("", WORK, PERSISTENT, bytes("plain-" + i));
            }
            tx.basicPublish("", WORK, PERSISTENT, bytes("tx-uncommitted"));
            warren.kill();
        }
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            List<String> found = drain(c.createChannel(), WORK);
            assertTrue(found.containsAll(List.of("tx-0", "tx-1", "confirmed-0")), found::toString);
            assertFalse(found.contains("tx-uncommitted"), found::toString);
            List<String> plain = new ArrayList<>(found);
            plain.removeAll(List.of("tx-0", "tx-1", "confirmed-0"));
            for (int i = 0; i < plain.size(); i++) {
                assertEquals("plain-" + i, plain.get(i), () -> "not a prefix of what was published: " + plain);
            }
            c.close();
        }
    }

    /** Every message of {@code queue} by basic.get with auto-ack, "redelivered" appended when flagged. */
    private static List<String> drain(Channel ch, String queue) throws IOException {
        List<String> bodies = new ArrayList<>();
        for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
            bodies.add(text(r) + (r.getEnvelope().isRedeliver() ? " redelivered" : ""));
        }
        return bodies;
    }

    private static boolean queueExists(Connection c, String queue) throws IOException {
        try {
            c.createChannel().queueDeclarePassive(queue);
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException sse
                    && sse.getReason() instanceof AMQP.Channel.Close close
                    && close.getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(GetResponse r) {
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }
}
