package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which queues a message reaches through each exchange type, the default exchange and alternate exchanges. */
class RoutingTest extends CompatTest {

    private Channel ch;

    @BeforeEach
    void openChannel() throws Exception {
        ch = channel();
        ch.confirmSelect();
    }

    private String queueBoundTo(String exchange, String key) throws IOException {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, exchange, key);
        return q;
    }

    private void publish(String exchange, String key) throws Exception {
        publish(exchange, key, null);
    }

    private void publish(String exchange, String key, Map<String, Object> headers) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().headers(headers).build();
        ch.basicPublish(exchange, key, props, bytes(key));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
    }

    /** The bodies (the routing keys they were published with) waiting in {@code queue}, in order. */
    private List<String> drain(String queue) throws IOException {
        return drain(ch, queue);
    }

    @Test
    void directRoutesOnTheExactKey() throws Exception {
        String x = exchangeName("direct");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        String a = queueBoundTo(x, "a");
        String ab = queueBoundTo(x, "a");
        ch.queueBind(ab, x, "b");
        for (String key : new String[] {"a", "b", "c", "A", "a.b", ""}) {
            publish(x, key);
        }
        assertEquals(List.of("a"), drain(a));
        assertEquals(List.of("a", "b"), drain(ab));
    }

    @Test
    void fanoutRoutesToEveryQueueWhateverTheKey() throws Exception {
        String x = exchangeName("fanout");
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
        String q1 = queueBoundTo(x, "");
        String q2 = queueBoundTo(x, "ignored");
        publish(x, "k1");
        publish(x, "");
        assertEquals(List.of("k1", ""), drain(q1));
        assertEquals(List.of("k1", ""), drain(q2));
    }

    @Test
    void topicStarMatchesExactlyOneWord() throws Exception {
        String x = exchangeName("topic");
        ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        String q = queueBoundTo(x, "*.orange.*");
        for (String key : new String[] {"quick.orange.rabbit", "orange", "quick.orange", "a.orange.b.c",
                ".orange.", "lazy.orange.elephant"}) {
            publish(x, key);
        }
        assertEquals(List.of("quick.orange.rabbit", ".orange.", "lazy.orange.elephant"), drain(q));
    }

    @Test
    void topicHashMatchesZeroOrMoreWords() throws Exception {
        String x = exchangeName("topic");
        ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        String lazy = queueBoundTo(x, "lazy.#");
        String all = queueBoundTo(x, "#");
        String middle = queueBoundTo(x, "a.#.z");
        for (String key : new String[] {"lazy", "lazy.a", "lazy.a.b", "lazyx", "a.z", "a.b.c.z", "a.zz", ""}) {
            publish(x, key);
        }
        assertEquals(List.of("lazy", "lazy.a", "lazy.a.b"), drain(lazy));
        assertEquals(List.of("lazy", "lazy.a", "lazy.a.b", "lazyx", "a.z", "a.b.c.z", "a.zz", ""), drain(all));
        assertEquals(List.of("a.z", "a.b.c.z"), drain(middle));
    }

    @Test
    void aQueueBoundSeveralTimesGetsOneCopy() throws Exception {
        String x = exchangeName("topic");
        ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        String q = queueBoundTo(x, "a.*");
        ch.queueBind(q, x, "*.b");
        ch.queueBind(q, x, "#");
        publish(x, "a.b");
        assertEquals(List.of("a.b"), drain(q));
    }

    @Test
    void headersAllNeedsEveryBoundHeader() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
        publish(x, "both", Map.of("format", "pdf", "type", "report"));
        publish(x, "both-and-more", Map.of("format", "pdf", "type", "report", "extra", 1));
        publish(x, "one", Map.of("format", "pdf"));
        publish(x, "wrong-value", Map.of("format", "pdf", "type", "log"));
        publish(x, "none", null);
        assertEquals(List.of("both", "both-and-more"), drain(q));
    }

    @Test
    void headersAllIsTheDefault() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("a", 1, "b", 2));
        publish(x, "one", Map.of("a", 1));
        publish(x, "two", Map.of("a", 1, "b", 2));
        assertEquals(List.of("two"), drain(q));
    }

    @Test
    void headersAnyNeedsOneBoundHeader() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", "any", "format", "pdf", "type", "report"));
        publish(x, "format", Map.of("format", "pdf"));
        publish(x, "type", Map.of("type", "report", "other", "x"));
        publish(x, "wrong", Map.of("format", "zip"));
        publish(x, "none", null);
        assertEquals(List.of("format", "type"), drain(q));
    }

    @Test
    void headersCompareValuesAndIgnoreTheRoutingKey() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        Map<String, Object> args = new HashMap<>();
        args.put("x-match", "all");
        args.put("n", 42);
        args.put("flag", true);
        ch.queueBind(q, x, "some-key", args);
        publish(x, "match", Map.of("n", 42, "flag", true));
        publish(x, "other-number", Map.of("n", 43, "flag", true));
        publish(x, "other-flag", Map.of("n", 42, "flag", false));
        assertEquals(List.of("match"), drain(q));
    }

    @Test
    void headersBindingWithoutHeadersMatchesEverything() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "", Map.of("x-match", "all"));
        publish(x, "a", Map.of("k", "v"));
        publish(x, "b", null);
        assertEquals(List.of("a", "b"), drain(q));
    }

    @Test
    void headersBindingWithAnInvalidXMatchIs406() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.queueBind(q, "amq.headers", "", Map.of("x-match", "some")));
        assertReplyText("PRECONDITION_FAILED - Invalid x-match field value <<\"some\">>; expected all, any,"
                + " all-with-x, or any-with-x", sse);
        Channel other = ch.getConnection().createChannel();
        sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> other.queueBind(q, "amq.headers", "", Map.of("x-match", 1)));
        assertReplyText("PRECONDITION_FAILED - Invalid x-match field type signedint (value 1); expected longstr", sse);
    }

    @Test
    void headersWithXMatchAllWithXCompareXHeadersToo() throws Exception {
        String x = exchangeName("headers");
        ch.exchangeDeclare(x, BuiltinExchangeType.HEADERS);
        String plain = ch.queueDeclare().getQueue();
        String withX = ch.queueDeclare().getQueue();
        ch.queueBind(plain, x, "", Map.of("x-match", "all", "x-tag", "a"));
        ch.queueBind(withX, x, "", Map.of("x-match", "all-with-x", "x-tag", "a"));
        publish(x, "tagged", Map.of("x-tag", "a"));
        publish(x, "untagged", Map.of("other", "b"));
        // "all" ignores x- arguments: the binding matches everything.
        assertEquals(List.of("tagged", "untagged"), drain(plain));
        assertEquals(List.of("tagged"), drain(withX));
    }

    @Test
    void defaultExchangeRoutesToTheQueueNamedByTheKey() throws Exception {
        String q = ch.queueDeclare().getQueue();
        publish("", q);
        publish("", q + "-not");
        assertEquals(List.of(q), drain(q));
    }

    @Test
    void unroutableMessagesAreDroppedAndStillConfirmed() throws Exception {
        String x = exchangeName("direct");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        publish(x, "nobody-listens");
        assertTrue(ch.isOpen());
    }

    @Test
    void alternateExchangeTakesWhatTheExchangeCannotRoute() throws Exception {
        String ae = exchangeName("ae");
        String x = exchangeName("with-ae");
        ch.exchangeDeclare(ae, BuiltinExchangeType.FANOUT);
        ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", ae));
        String routed = queueBoundTo(x, "known");
        String unrouted = queueBoundTo(ae, "");
        publish(x, "known");
        publish(x, "unknown");
        assertEquals(List.of("known"), drain(routed));
        assertEquals(List.of("unknown"), drain(unrouted));
    }

    @Test
    void mandatoryMessageRoutedThroughTheAlternateExchangeIsNotReturned() throws Exception {
        String ae = exchangeName("ae");
        String x = exchangeName("with-ae");
        ch.exchangeDeclare(ae, BuiltinExchangeType.FANOUT);
        ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", ae));
        String q = queueBoundTo(ae, "");
        CompletableFuture<String> returned = new CompletableFuture<>();
        ch.addReturnListener(r -> returned.complete(r.getRoutingKey()));
        ch.basicPublish(x, "unknown", true, null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(List.of("m"), drain(q));
        // The confirm came after any return would have: none came.
        assertFalse(returned.isDone());
    }

    @Test
    void alternateExchangeThatDoesNotExistDropsTheMessage() throws Exception {
        String x = exchangeName("with-missing-ae");
        ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", name("missing")));
        CompletableFuture<Integer> returned = new CompletableFuture<>();
        ch.addReturnListener(r -> returned.complete(r.getReplyCode()));
        ch.basicPublish(x, "unknown", true, null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(AMQP.NO_ROUTE, returned.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void exchangeToExchangeChainsAndCycleGiveOneCopy() throws Exception {
        String a = exchangeName("a");
        String b = exchangeName("b");
        ch.exchangeDeclare(a, BuiltinExchangeType.TOPIC);
        ch.exchangeDeclare(b, BuiltinExchangeType.FANOUT);
        ch.exchangeBind(b, a, "#");
        ch.exchangeBind(a, b, "");
        String qa = queueBoundTo(a, "k.#");
        String qb = queueBoundTo(b, "");
        publish(a, "k.1");
        publish(b, "k.2");
        assertEquals(List.of("k.1", "k.2"), drain(qa));
        assertEquals(List.of("k.1", "k.2"), drain(qb));
    }

    @Test
    void publishingToAMissingExchangeClosesTheChannelWith404() throws Exception {
        String x = name("missing");
        ch.basicPublish(x, "k", null, bytes("m"));
        ShutdownSignalException sse = awaitClose(ch);
        assertEquals(AMQP.NOT_FOUND, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
        assertReplyText("NOT_FOUND - no exchange '" + x + "' in vhost '/'", sse);
    }

    /** Every field-table type survives the broker (which decodes headers to route them) byte for byte. */
    @Test
    void headersOfEveryTypeArriveUnchanged() throws Exception {
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, "amq.headers", "", Map.of("x-match", "any", "kind", "all-types"));
        Map<String, Object> headers = new java.util.LinkedHashMap<>();
        headers.put("kind", "all-types");
        headers.put("int", 42);
        headers.put("long", 1L << 40);
        headers.put("short", (short) -7);
        headers.put("byte", (byte) 3);
        headers.put("double", 2.5d);
        headers.put("float", 1.25f);
        headers.put("bool", true);
        headers.put("decimal", new java.math.BigDecimal("12.345"));
        headers.put("timestamp", new java.util.Date(1_700_000_000_000L));
        headers.put("table", Map.of("inner", "value"));
        headers.put("array", List.of(1, "two", false));
        headers.put("bytes", new byte[] {1, 2, 3});
        headers.put("void", null);
        headers.put("unicode", "h\u00e9llo \u4e16\u754c");
        publish("amq.headers", "typed", headers);
        Map<String, Object> got = get(ch, q, true).getProps().getHeaders();
        assertEquals(headers.keySet(), got.keySet());
        assertEquals(42, got.get("int"));
        assertEquals(1L << 40, got.get("long"));
        assertEquals((short) -7, got.get("short"));
        assertEquals((byte) 3, got.get("byte"));
        assertEquals(2.5d, got.get("double"));
        assertEquals(1.25f, got.get("float"));
        assertEquals(true, got.get("bool"));
        assertEquals(new java.math.BigDecimal("12.345"), got.get("decimal"));
        assertEquals(new java.util.Date(1_700_000_000_000L), got.get("timestamp"));
        assertEquals("value", ((Map<?, ?>) got.get("table")).get("inner").toString());
        List<?> array = (List<?>) got.get("array");
        assertEquals(List.of("1", "two", "false"), array.stream().map(Object::toString).toList());
        assertTrue(java.util.Arrays.equals(new byte[] {1, 2, 3}, (byte[]) got.get("bytes")));
        assertEquals(null, got.get("void"));
        assertEquals("h\u00e9llo \u4e16\u754c", got.get("unicode").toString());
    }

    @Test
    void messageKeepsItsPropertiesThroughRouting() throws Exception {
        String q = ch.queueDeclare().getQueue();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("text/plain").contentEncoding("utf-8").headers(Map.of("h", "v"))
                .deliveryMode(1).priority(3).correlationId("c-1").replyTo("r").expiration("60000")
                .messageId("m-1").timestamp(new java.util.Date(1_700_000_000_000L)).type("t").appId("app")
                .build();
        ch.basicPublish("", q, props, bytes("body"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        GetResponse r = get(ch, q, true);
        AMQP.BasicProperties got = r.getProps();
        assertEquals("text/plain", got.getContentType());
        assertEquals("utf-8", got.getContentEncoding());
        assertEquals("v", got.getHeaders().get("h").toString());
        assertEquals(1, got.getDeliveryMode());
        assertEquals(3, got.getPriority());
        assertEquals("c-1", got.getCorrelationId());
        assertEquals("r", got.getReplyTo());
        assertEquals("60000", got.getExpiration());
        assertEquals("m-1", got.getMessageId());
        assertEquals(1_700_000_000_000L, got.getTimestamp().getTime());
        assertEquals("t", got.getType());
        assertEquals("app", got.getAppId());
        assertEquals("", r.getEnvelope().getExchange());
        assertEquals(q, r.getEnvelope().getRoutingKey());
    }
}
