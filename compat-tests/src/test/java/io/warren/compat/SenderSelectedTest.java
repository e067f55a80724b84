package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's sender-selected distribution: CC and BCC headers are extra routing keys, through
 * exchange-to-exchange bindings too; they must be arrays; and dead-lettering keeps using them.
 */
class SenderSelectedTest extends CompatTest {

    private static AMQP.BasicProperties headers(Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().headers(headers).build();
    }

    private static List<String> texts(Object list) {
        return ((List<?>) list).stream().map(Object::toString).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(AMQP.BasicProperties props) {
        return (Map<String, Object>) ((List<Object>) props.getHeaders().get("x-death")).get(0);
    }

    /** The messages now in {@code queue}, taken with auto-ack. */
    private static List<GetResponse> getAll(Channel ch, String queue) throws Exception {
        List<GetResponse> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
            out.add(r);
        }
        return out;
    }

    @Test
    void ccAndBccKeysAreRoutedThroughExchangeToExchangeBindings() throws Exception {
        Channel ch = channel();
        String front = exchangeName("cc-front");
        String back = exchangeName("cc-back");
        ch.exchangeDeclare(front, "direct", false, true, null);
        ch.exchangeDeclare(back, "direct", false, true, null);
        ch.exchangeBind(back, front, "b");
        ch.exchangeBind(back, front, "c");
        String b = queueName("cc-e2e-b");
        String c = queueName("cc-e2e-c");
        ch.queueDeclare(b, false, false, false, null);
        ch.queueDeclare(c, false, false, false, null);
        ch.queueBind(b, back, "b");
        ch.queueBind(c, back, "c");
        ch.confirmSelect();
        ch.basicPublish(front, "a", headers(Map.of("CC", List.of("b"), "BCC", List.of("c"))), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        for (String q : List.of(b, c)) {
            List<GetResponse> got = getAll(ch, q);
            assertEquals(1, got.size(), "one copy in " + q);
            assertEquals("a", got.get(0).getEnvelope().getRoutingKey());
            assertFalse(got.get(0).getProps().getHeaders().containsKey("BCC"));
        }
    }

    @Test
    void aCcOrBccHeaderThatIsNotAnArrayIsAPreconditionFailure() throws Exception {
        String q = queueName("cc-invalid");
        Channel setup = channel();
        setup.queueDeclare(q, false, false, false, null);
        Object[][] cases = {{"CC", "b", "longstr"}, {"BCC", 5, "signedint"}};
        for (Object[] bad : cases) {
            Channel ch = channel();
            ch.basicPublish("", q, headers(Map.of((String) bad[0], bad[1])), bytes("m"));
            ShutdownSignalException close = awaitClose(ch);
            AMQP.Channel.Close reason = (AMQP.Channel.Close) close.getReason();
            assertEquals(AMQP.PRECONDITION_FAILED, reason.getReplyCode());
            assertEquals("PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,\"" + bad[0] + "\","
                    + bad[2] + "}", reason.getReplyText());
            assertEquals(60, reason.getClassId());
            assertEquals(40, reason.getMethodId());
        }
        assertEquals(0, messageCount(q));
    }

    @Test
    void elementsOfTheCcArrayThatAreNotStringsAreIgnored() throws Exception {
        Channel ch = channel();
        String a = queueName("cc-mixed-a");
        String b = queueName("cc-mixed-b");
        ch.queueDeclare(a, false, false, false, null);
        ch.queueDeclare(b, false, false, false, null);
        publish(ch, a, Map.of("CC", Arrays.asList(1, b)));
        assertEquals(1, getAll(ch, a).size());
        assertEquals(1, getAll(ch, b).size());
    }

    private static void publish(Channel ch, String routingKey, Map<String, Object> headers) throws Exception {
        ch.confirmSelect();
        ch.basicPublish("", routingKey, headers(headers), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
    }

    /**
     * Without x-dead-letter-routing-key a dead-lettered message is routed again with all the keys
     * it was published with, BCC ones included; its x-death routing-keys list the CC keys but
     * never the BCC ones.
     */
    @Test
    void deadLetteringRoutesWithEveryKeyAndRecordsTheCcKeys() throws Exception {
        Channel ch = channel();
        String dlx = exchangeName("cc-dlx");
        ch.exchangeDeclare(dlx, "direct", false, true, null);
        String src = queueName("cc-src");
        ch.queueDeclare(src, false, false, false, Map.of("x-dead-letter-exchange", dlx));
        List<String> targets = new ArrayList<>();
        for (String key : List.of(src, "cc-key", "bcc-key")) {
            String t = queueName("cc-dl");
            ch.queueDeclare(t, false, false, false, null);
            ch.queueBind(t, dlx, key);
            targets.add(t);
        }
        publish(ch, src, Map.of("CC", List.of("cc-key"), "BCC", List.of("bcc-key")));
        GetResponse in = get(ch, src, false);
        ch.basicReject(in.getEnvelope().getDeliveryTag(), false);
        for (String t : targets) {
            eventually("a dead-lettered copy in " + t, () -> messageCount(t) > 0);
            GetResponse r = get(ch, t, true);
            Map<String, Object> h = r.getProps().getHeaders();
            assertEquals(src, r.getEnvelope().getRoutingKey());
            assertEquals(List.of("cc-key"), texts(h.get("CC")));
            assertFalse(h.containsKey("BCC"));
            assertEquals(List.of(src, "cc-key"), texts(firstDeath(r.getProps()).get("routing-keys")));
            assertNull(ch.basicGet(t, true), "one copy in " + t);
        }
    }

    /** With x-dead-letter-routing-key the message goes only there, and its CC header is removed. */
    @Test
    void aDeadLetterRoutingKeyReplacesTheCcKeys() throws Exception {
        Channel ch = channel();
        String dlx = exchangeName("cc-dlrk");
        ch.exchangeDeclare(dlx, "direct", false, true, null);
        String src = queueName("cc-src-rk");
        ch.queueDeclare(src, false, false, false,
                Map.of("x-dead-letter-exchange", dlx, "x-dead-letter-routing-key", "dead"));
        String dead = queueName("cc-dead");
        String ccTarget = queueName("cc-not-dead");
        ch.queueDeclare(dead, false, false, false, null);
        ch.queueDeclare(ccTarget, false, false, false, null);
        ch.queueBind(dead, dlx, "dead");
        ch.queueBind(ccTarget, dlx, "cc-key");
        publish(ch, src, Map.of("CC", List.of("cc-key")));
        GetResponse in = get(ch, src, false);
        ch.basicReject(in.getEnvelope().getDeliveryTag(), false);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(dead, true, consumer);
        CollectingConsumer.Received r = consumer.next();
        assertEquals("dead", r.envelope().getRoutingKey());
        assertFalse(r.properties().getHeaders().containsKey("CC"));
        assertEquals(List.of(src, "cc-key"), texts(firstDeath(r.properties()).get("routing-keys")));
        assertEquals(0, messageCount(ccTarget));
    }

    @Test
    void ccAndBccRouteCopiesOnceEachAndBccIsHidden() throws Exception {
        Channel ch = channel();
        String a = ch.queueDeclare(name("cc-a"), false, false, true, null).getQueue();
        String b = ch.queueDeclare(name("cc-b"), false, false, true, null).getQueue();
        String c = ch.queueDeclare(name("cc-c"), false, false, true, null).getQueue();
        ch.confirmSelect();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .headers(Map.of("CC", List.of(b), "BCC", List.of(c, a), "k", 1)).build();
        ch.basicPublish("", a, props, "m".getBytes());
        ch.waitForConfirmsOrDie(5000);

        for (String q : List.of(a, b, c)) {
            GetResponse r = ch.basicGet(q, true);
            assertNotNull(r, "a copy in " + q);
            Map<String, Object> headers = r.getProps().getHeaders();
            assertTrue(headers.containsKey("CC"), "CC is kept");
            assertFalse(headers.containsKey("BCC"), "BCC is removed before delivery");
            assertNull(ch.basicGet(q, true), "exactly one copy in " + q);
        }
        assertEquals(0, ch.queueDeclarePassive(a).getMessageCount());
    }
}
