package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warren.compat.CollectingConsumer.Received;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Queues declared with {@code x-queue-type: quorum}, as RabbitMQ 3.10 has them: what a quorum
 * queue refuses at declare, its type in the HTTP API, and its delivery count and limit
 * ({@code x-delivery-count} on every delivery, {@code x-delivery-limit} against poison messages).
 */
class QuorumQueueTest extends CompatTest {

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private static Map<String, Object> quorum(Map<String, Object> more) {
        Map<String, Object> args = new HashMap<>(more);
        args.put("x-queue-type", "quorum");
        return args;
    }

    private void assertRefused(String expectedText, String name, boolean durable, boolean exclusive,
                               boolean autoDelete, Map<String, Object> args) throws Exception {
        Channel ch = channel();
        var close = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.queueDeclare(name, durable, exclusive, autoDelete, args));
        assertReplyText("PRECONDITION_FAILED - " + expectedText, close);
    }

    @Test
    void aQuorumQueueMustBeDurableAndNeitherExclusiveNorAutoDelete() throws Exception {
        String q = queueName("qq-props");
        assertRefused("invalid property 'non-durable' for queue '" + q + "' in vhost '/'", q, false, false, false, QUORUM);
        assertRefused("invalid property 'exclusive-owner' for queue '" + q + "' in vhost '/'", q, false, true, false,
                QUORUM);
        assertRefused("invalid property 'auto-delete' for queue '" + q + "' in vhost '/'", q, true, true, true, QUORUM);
        assertRefused("Cannot declare a server-named queue for type rabbit_quorum_queue", "", true, false, false,
                QUORUM);
        assertFalse(queueExists(q));
        channel().queueDeclare(q, true, false, false, QUORUM);
        assertTrue(queueExists(q));
    }

    @Test
    void eachQueueTypeRefusesTheArgumentsOfTheOthers() throws Exception {
        String q = queueName("qq-args");
        String quorumType = "' in vhost '/' of queue type rabbit_quorum_queue";
        String classicType = "' in vhost '/' of queue type rabbit_classic_queue";
        // Checked before the values and before the properties.
        assertRefused("invalid arg 'x-max-priority' for queue '" + q + quorumType, q, false, false, false,
                quorum(Map.of("x-max-priority", 300)));
        assertRefused("invalid arg 'x-queue-mode' for queue '" + q + quorumType, q, true, false, false,
                quorum(Map.of("x-queue-mode", "lazy")));
        assertRefused("invalid arg 'x-max-age' for queue '" + q + quorumType, q, true, false, false,
                quorum(Map.of("x-max-age", "1D")));
        assertRefused("invalid arg 'x-delivery-limit' for queue '" + q + classicType, q, true, false, false,
                Map.of("x-delivery-limit", 3));
        assertRefused("invalid arg 'x-dead-letter-strategy' for queue '" + q + classicType, q, true, false, false,
                Map.of("x-dead-letter-strategy", "at-least-once"));
        assertRefused("invalid arg 'x-max-age' for queue '" + q + classicType, q, true, false, false,
                Map.of("x-queue-type", "classic", "x-max-age", "1D"));
        // Values are checked next, properties last.
        assertRefused("invalid arg 'x-message-ttl' for queue '" + q + "' in vhost '/': {value_negative,-1}", q,
                false, false, false, quorum(Map.of("x-message-ttl", -1)));
        assertRefused("invalid arg 'x-dead-letter-strategy' for queue '" + q + "' in vhost '/': invalid_dlx_strategy",
                q, true, false, false, quorum(Map.of("x-dead-letter-strategy", "sometimes")));
        assertFalse(queueExists(q));
    }

    @Test
    void aQuorumQueueTakesItsOwnArguments() throws Exception {
        Channel ch = channel();
        List<Map<String, Object>> accepted = List.of(
                Map.of("x-delivery-limit", 5, "x-dead-letter-strategy", "at-most-once"),
                Map.of("x-delivery-limit", -1, "x-quorum-initial-group-size", 1),
                Map.of("x-delivery-limit", "not a number", "x-max-in-memory-length", 10, "x-unknown", 1));
        for (Map<String, Object> args : accepted) {
            String q = queueName("qq-accepts");
            ch.queueDeclare(q, true, false, false, quorum(args));
            assertTrue(queueExists(q), "declared with " + args);
        }
    }

    @Test
    void redeclaringAQuorumQueueWithoutItsTypeIsInequivalent() throws Exception {
        String q = queueName("qq-redeclare");
        channel().queueDeclare(q, true, false, false, QUORUM);
        Channel ch = channel();
        var close = assertChannelError(AMQP.PRECONDITION_FAILED, () -> ch.queueDeclare(q, true, false, false, null));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue '" + q
                + "' in vhost '/': received none but current is the value 'quorum' of type 'longstr'", close);
    }

    @Test
    void basicGetShowsTheDeliveryCountReplacingThePublishersOwn() throws Exception {
        Channel ch = channel();
        String q = queueName("qq-count");
        ch.queueDeclare(q, true, false, false, QUORUM);
        ch.confirmSelect();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder()
                .headers(Map.of("x-delivery-count", 7, "app", "kept")).build(), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        GetResponse first = get(ch, q, false);
        assertEquals(0L, ((Number) first.getProps().getHeaders().get("x-delivery-count")).longValue());
        assertEquals("kept", first.getProps().getHeaders().get("app").toString());
        assertFalse(first.getEnvelope().isRedeliver());
        ch.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
        GetResponse second = get(ch, q, false);
        assertEquals(1L, ((Number) second.getProps().getHeaders().get("x-delivery-count")).longValue());
        assertTrue(second.getEnvelope().isRedeliver());
    }

    /** A consumer sees the header only on redeliveries (RabbitMQ 3.10 adds it to basic.get only at 0). */
    @Test
    void aConsumerSeesTheDeliveryCountOnceTheMessageCameBack() throws Exception {
        Channel ch = channel();
        String q = queueName("qq-consumer-count");
        ch.queueDeclare(q, true, false, false, QUORUM);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, false, consumer);
        publishConfirmed(ch, "", q, "m");
        Received first = consumer.next();
        assertNull(first.properties().getHeaders());
        assertFalse(first.redelivered());
        ch.basicNack(first.tag(), false, true);
        Received second = consumer.next();
        assertEquals(1L, ((Number) second.properties().getHeaders().get("x-delivery-count")).longValue());
        assertTrue(second.redelivered());
        ch.basicAck(second.tag(), false);
    }

    @Test
    void aZeroTtlMessageNackedWithRequeueExpires() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = queueName("qq-ttl0-dlq");
        ch.queueDeclare(dlq, false, false, false, null);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        String q = queueName("qq-ttl0");
        ch.queueDeclare(q, true, false, false, quorum(Map.of("x-message-ttl", 0,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq)));
        Channel consumerChannel = c.createChannel();
        CollectingConsumer consumer = new CollectingConsumer(consumerChannel);
        consumerChannel.basicConsume(q, false, consumer);
        publishConfirmed(ch, "", q, "m");
        long tag = consumer.next().tag();
        // RabbitMQ's quorum queue compares expiry with its log's millisecond clock: a nack in
        // the same millisecond as the enqueue finds the message not yet expired and redelivers it.
        Thread.sleep(5);
        consumerChannel.basicNack(tag, false, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> death = ((List<Map<String, Object>>) dead.next().properties().getHeaders()
                .get("x-death")).get(0);
        assertEquals("expired", death.get("reason").toString());
        assertEquals(0, consumer.pending(), "not redelivered");
    }

    @Test
    void aRequeuedMessageGoesBehindTheOthers() throws Exception {
        Channel ch = channel();
        String q = queueName("qq-order");
        ch.queueDeclare(q, true, false, false, QUORUM);
        publishConfirmed(ch, "", q, "1", "2", "3");
        ch.basicReject(get(ch, q, false).getEnvelope().getDeliveryTag(), true);
        List<String> order = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(q, true)) != null) {
            order.add(text(r.getBody()) + (r.getEnvelope().isRedeliver() ? " redelivered" : ""));
        }
        assertEquals(List.of("2", "3", "1 redelivered"), order);
    }

    /**
     * x-delivery-limit 3: delivered with counts 0 to 3, each return (reject, nack, recover, a
     * closing channel) counting; the fourth return dead-letters it as delivery_limit, without
     * the count header.
     */
    @Test
    void aMessageReturnedMoreOftenThanTheDeliveryLimitIsDeadLettered() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = queueName("qq-dlq");
        ch.queueDeclare(dlq, false, false, false, null);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        String q = queueName("qq-limit");
        ch.queueDeclare(q, true, false, false, quorum(Map.of("x-delivery-limit", 3,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq)));
        publishConfirmed(ch, "", q, "poison");
        List<Long> counts = new ArrayList<>();
        for (String way : List.of("reject", "nack", "recover", "close")) {
            Channel holder = c.createChannel();
            GetResponse r = get(holder, q, false);
            counts.add(((Number) r.getProps().getHeaders().get("x-delivery-count")).longValue());
            long tag = r.getEnvelope().getDeliveryTag();
            switch (way) {
                case "reject" -> holder.basicReject(tag, true);
                case "nack" -> holder.basicNack(tag, false, true);
                case "recover" -> holder.basicRecover(true);
                default -> { } // closing the channel returns it
            }
            holder.close();
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), counts);
        Received r = dead.next();
        assertEquals("poison", r.text());
        Map<String, Object> headers = r.properties().getHeaders();
        assertFalse(headers.containsKey("x-delivery-count"));
        @SuppressWarnings("unchecked")
        Map<String, Object> death = ((List<Map<String, Object>>) headers.get("x-death")).get(0);
        assertEquals("delivery_limit", death.get("reason").toString());
        assertEquals(q, death.get("queue").toString());
        assertEquals("delivery_limit", headers.get("x-first-death-reason").toString());
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void aDeliveryLimitOfZeroDropsAtTheFirstReturn() throws Exception {
        Channel ch = channel();
        String q = queueName("qq-limit0");
        ch.queueDeclare(q, true, false, false, quorum(Map.of("x-delivery-limit", 0)));
        publishConfirmed(ch, "", q, "m");
        GetResponse r = get(ch, q, false);
        ch.basicReject(r.getEnvelope().getDeliveryTag(), true);
        assertNull(ch.basicGet(q, true));
        assertEquals(0, messageCount(q));
    }

    /**
     * The management API reports the declared type (skipped on a RabbitMQ whose API was not given
     * with {@code warren.compat.http}).
     */
    @Test
    void theHttpApiReportsTheQueueType() throws Exception {
        ManagementApi api = ManagementApi.underTest();
        String quorumQ = queueName("qq-api");
        String classicQ = queueName("classic-api");
        try (Connection c = factory().newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare(quorumQ, true, false, false, QUORUM);
            ch.queueDeclare(classicQ, true, false, false, null);
            try {
                assertEquals("quorum", apiQueueField(api, quorumQ, "type"));
                assertEquals("classic", apiQueueField(api, classicQ, "type"));
            } finally {
                ch.queueDelete(quorumQ);
                ch.queueDelete(classicQ);
            }
        }
    }

    /** A top-level field of GET /api/queues/%2F/{queue}. */
    private static Object apiQueueField(ManagementApi api, String queue, String field) throws Exception {
        ManagementApi.Response resp = api.get("/api/queues/%2F/" + ManagementApi.encode(queue));
        assertEquals(200, resp.status(), resp::body);
        return resp.object().get(field);
    }
}
