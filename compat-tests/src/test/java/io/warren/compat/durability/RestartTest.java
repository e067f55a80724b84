package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.compat.WarrenOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a restart keeps, stopped either way an operator or the kernel stops Warren: SIGTERM (the
 * shutdown hook closes it) or SIGKILL. Kept: durable exchanges, durable queues with their
 * arguments, bindings between durable ends (to queues, to exchanges, with arguments) and the
 * persistent messages of durable queues, in publish order, those delivered and not acked marked
 * redelivered. Gone: transient messages, non-durable exchanges and queues, exclusive queues
 * (even declared durable), and what was deleted or unbound before the stop.
 *
 * <p>SIGKILL comes right after the last -ok the client got, with nothing confirmed after it: a
 * durable declare, bind, unbind or delete is on disk when it is answered.
 */
@WarrenOnly
class RestartTest {

    enum Stop { SIGTERM, SIGKILL }

    private static final String DX = "keep-direct";
    private static final String DTOPIC = "keep-topic";
    private static final String DHEADERS = "keep-headers";
    private static final String DQ = "keep-q";
    private static final String DQ_TOPIC = "keep-q-via-topic";
    private static final String DQ_HEADERS = "keep-q-headers";
    private static final String DQ_LATE = "keep-q-declared-last";
    private static final String DQ_UNBOUND = "keep-q-unbound-last";
    private static final Map<String, Object> DQ_ARGS = Map.of("x-max-length", 1000,
            "x-dead-letter-exchange", "keep-dlx");
    private static final int PERSISTENT = 10;
    /** p0, t0, p1, t1 are delivered (not acked) before the stop: p0 and p1 come back redelivered */
    private static final int DELIVERED_BEFORE_STOP = 4;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(Stop.class)
    void durableThingsSurviveARestartAndTransientOnesDoNot(Stop how) throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            Channel ch = c.createChannel();
            declareTopology(ch);
            publish(ch);
            Channel consumer = c.createChannel();
            for (int i = 0; i < DELIVERED_BEFORE_STOP; i++) {
                String expected = (i % 2 == 0 ? "p" : "t") + i / 2;
                assertEquals(expected, text(consumer.basicGet(DQ, false))); // not acked
            }
            // The delivered marks are written lazily; a confirm after the deliveries carries
            // them (the store applies writes in order).
            ch.basicPublish("", DQ_HEADERS, MessageProperties.PERSISTENT_BASIC, bytes("barrier"));
            ch.waitForConfirmsOrDie(10_000);
            changeTopologyLast(ch);
            if (how == Stop.SIGTERM) {
                warren.stop();
            } else {
                warren.kill();
            }
        }
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            ConnectionFactory f = warren.factory();
            try (Connection c = f.newConnection()) {
                checkTopology(c);
                checkMessages(c.createChannel());
                checkRouting(c.createChannel());
            }
            warren.stop();
        }
    }

    /** Durable and transient exchanges, queues and bindings, some bound with arguments. */
    private static void declareTopology(Channel ch) throws IOException {
        ch.exchangeDeclare(DX, BuiltinExchangeType.DIRECT, true);
        ch.exchangeDeclare(DTOPIC, BuiltinExchangeType.TOPIC, true);
        ch.exchangeDeclare(DHEADERS, BuiltinExchangeType.HEADERS, true);
        ch.exchangeBind(DTOPIC, DX, "k"); // exchange to exchange
        ch.queueDeclare(DQ, true, false, false, DQ_ARGS);
        ch.queueBind(DQ, DX, "k");
        ch.queueDeclare(DQ_TOPIC, true, false, false, null);
        ch.queueBind(DQ_TOPIC, DTOPIC, "#");
        ch.queueDeclare(DQ_HEADERS, true, false, false, null);
        ch.queueBind(DQ_HEADERS, DHEADERS, "", Map.of("x-match", "all", "color", "red"));
        ch.queueDeclare(DQ_UNBOUND, true, false, false, null);
        ch.queueBind(DQ_UNBOUND, DX, "unbound");

        ch.exchangeDeclare("gone-transient-x", BuiltinExchangeType.FANOUT, false);
        ch.queueDeclare("gone-transient-q", false, false, false, null);
        ch.queueBind("gone-transient-q", DX, "k");
        ch.queueDeclare("gone-exclusive-q", true, true, false, null);
        ch.queueBind("gone-exclusive-q", DX, "k");
        ch.queueDeclare("gone-deleted-q", true, false, false, null);
        ch.queueBind("gone-deleted-q", DX, "k");
        ch.exchangeDeclare("gone-deleted-x", BuiltinExchangeType.DIRECT, true);
    }

    /**
     * Persistent p0..p9 through the direct exchange (to DQ, and through the exchange binding to
     * DQ_TOPIC), each followed by a transient t0..t9; then red messages through the headers
     * exchange, all confirmed.
     */
    private static void publish(Channel ch) throws Exception {
        ch.confirmSelect();
        for (int i = 0; i < PERSISTENT; i++) {
            ch.basicPublish(DX, "k", MessageProperties.PERSISTENT_BASIC, bytes("p" + i));
            ch.basicPublish(DX, "k", MessageProperties.BASIC, bytes("t" + i));
        }
        AMQP.BasicProperties red = MessageProperties.PERSISTENT_BASIC.builder()
                .headers(Map.of("color", "red")).build();
        ch.basicPublish(DHEADERS, "", red, bytes("red"));
        ch.waitForConfirmsOrDie(10_000);
    }

    /** Declared, bound, deleted and unbound just before the stop, with nothing confirmed after. */
    private static void changeTopologyLast(Channel ch) throws IOException {
        ch.queueDelete("gone-deleted-q");
        ch.exchangeDelete("gone-deleted-x");
        ch.queueUnbind(DQ_UNBOUND, DX, "unbound");
        ch.queueDeclare(DQ_LATE, true, false, false, null);
        ch.queueBind(DQ_LATE, DHEADERS, "", Map.of("x-match", "any", "color", "blue", "size", "big"));
    }

    private static void checkTopology(Connection c) throws IOException {
        for (String x : List.of(DX, DTOPIC, DHEADERS)) {
            assertTrue(exchangeExists(c, x), "durable exchange " + x + " lost");
        }
        for (String x : List.of("gone-transient-x", "gone-deleted-x")) {
            assertFalse(exchangeExists(c, x), "exchange " + x + " came back");
        }
        for (String q : List.of(DQ, DQ_TOPIC, DQ_HEADERS, DQ_LATE, DQ_UNBOUND)) {
            assertTrue(queueExists(c, q), "durable queue " + q + " lost");
        }
        for (String q : List.of("gone-transient-q", "gone-exclusive-q", "gone-deleted-q")) {
            assertFalse(queueExists(c, q), "queue " + q + " came back");
        }
        // the arguments came back too: the same declaration is equivalent, another is not
        c.createChannel().queueDeclare(DQ, true, false, false, DQ_ARGS);
        IOException refused = assertThrows(IOException.class, () -> c.createChannel()
                .queueDeclare(DQ, true, false, false, Map.of("x-max-length", 999)));
        ShutdownSignalException sse = (ShutdownSignalException) refused.getCause();
        assertEquals(AMQP.PRECONDITION_FAILED, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
    }

    /** The persistent messages, in publish order, the delivered ones flagged; no transient one. */
    private static void checkMessages(Channel ch) throws IOException {
        List<String> bodies = new ArrayList<>();
        List<Boolean> redelivered = new ArrayList<>();
        for (GetResponse r = ch.basicGet(DQ, true); r != null; r = ch.basicGet(DQ, true)) {
            bodies.add(text(r));
            redelivered.add(r.getEnvelope().isRedeliver());
        }
        List<String> expected = new ArrayList<>();
        List<Boolean> expectedFlags = new ArrayList<>();
        for (int i = 0; i < PERSISTENT; i++) {
            expected.add("p" + i);
            expectedFlags.add(i < DELIVERED_BEFORE_STOP / 2);
        }
        assertEquals(expected, bodies, DQ + " after the restart");
        assertEquals(expectedFlags, redelivered, "redelivered flags in " + DQ);
        List<String> viaTopic = new ArrayList<>();
        for (GetResponse r = ch.basicGet(DQ_TOPIC, true); r != null; r = ch.basicGet(DQ_TOPIC, true)) {
            viaTopic.add(text(r));
        }
        assertEquals(expected, viaTopic, DQ_TOPIC + " (through the exchange binding)");
        assertEquals("red", text(ch.basicGet(DQ_HEADERS, true)));
        assertEquals("barrier", text(ch.basicGet(DQ_HEADERS, true)));
        assertNull(ch.basicGet(DQ_HEADERS, true));
    }

    /** The bindings route after the restart, the last one included; the unbound one does not. */
    private static void checkRouting(Channel ch) throws Exception {
        ch.confirmSelect();
        ch.basicPublish(DX, "k", null, bytes("after"));
        ch.basicPublish(DX, "unbound", null, bytes("unbound"));
        AMQP.BasicProperties red = new AMQP.BasicProperties.Builder()
                .headers(Map.of("color", "red")).build();
        ch.basicPublish(DHEADERS, "", red, bytes("red-after"));
        AMQP.BasicProperties big = new AMQP.BasicProperties.Builder()
                .headers(Map.of("size", "big")).build();
        ch.basicPublish(DHEADERS, "", big, bytes("big")); // only the x-match=any binding
        ch.waitForConfirmsOrDie(10_000);
        assertEquals("after", text(ch.basicGet(DQ, true)));
        assertEquals("after", text(ch.basicGet(DQ_TOPIC, true)));
        assertEquals("red-after", text(ch.basicGet(DQ_HEADERS, true)));
        assertNull(ch.basicGet(DQ_HEADERS, true));
        assertEquals("big", text(ch.basicGet(DQ_LATE, true)));
        assertNull(ch.basicGet(DQ_UNBOUND, true), "the binding removed before the stop came back");
    }

    private static boolean queueExists(Connection c, String q) throws IOException {
        return exists(c, ch -> ch.queueDeclarePassive(q));
    }

    private static boolean exchangeExists(Connection c, String x) throws IOException {
        return exists(c, ch -> ch.exchangeDeclarePassive(x));
    }

    private interface Passive {
        void declare(Channel ch) throws IOException;
    }

    private static boolean exists(Connection c, Passive passive) throws IOException {
        Channel ch = c.createChannel();
        try {
            passive.declare(ch);
            ch.abort();
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException sse && !sse.isHardError()
                    && ((AMQP.Channel.Close) sse.getReason()).getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static String text(GetResponse r) {
        assertTrue(r != null, "no message");
        return new String(r.getBody(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
