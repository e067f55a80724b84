package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.warren.compat.CollectingConsumer.Received;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's queue x-arguments as clients see them: TTL (queue and per message), dead-lettering
 * with its x-death history, length limits with drop-head and reject-publish, priorities, queue
 * expiry and single active consumer.
 */
class QueueFeaturesTest extends CompatTest {

    /** A dead-letter queue bound to a fresh fanout exchange; answers {exchange, queue}. */
    private String[] deadLetterTarget(Channel ch) throws Exception {
        String dlx = exchangeName("dlx");
        ch.exchangeDeclare(dlx, "fanout", false, true, null);
        String dlq = ch.queueDeclare().getQueue();
        ch.queueBind(dlq, dlx, "");
        return new String[] {dlx, dlq};
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(AMQP.BasicProperties props) {
        List<Object> deaths = (List<Object>) props.getHeaders().get("x-death");
        return (Map<String, Object>) deaths.get(0);
    }

    @Test
    void messagesOfAZeroTtlQueueExpireUnlessAConsumerTakesThemAtOnce() throws Exception {
        Channel ch = channel();
        String q = queueName("ttl0");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 0));
        publishConfirmed(ch, "", q, "expired");
        assertNull(ch.basicGet(q, true));
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, true, consumer);
        publishConfirmed(ch, "", q, "taken");
        assertEquals("taken", consumer.next().text());
    }

    @Test
    void expiredMessagesAreDeadLetteredWithTheirHistory() throws Exception {
        Channel ch = channel();
        String[] target = deadLetterTarget(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(target[1], true, dead);
        String q = queueName("ttl-dlx");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 0, "x-dead-letter-exchange", target[0]));
        publishConfirmed(ch, "", q, "m");
        Received r = dead.next();
        assertEquals("m", r.text());
        assertEquals(target[0], r.envelope().getExchange());
        assertEquals(q, r.envelope().getRoutingKey());
        Map<String, Object> death = firstDeath(r.properties());
        assertEquals("expired", death.get("reason").toString());
        assertEquals(q, death.get("queue").toString());
        assertEquals("", death.get("exchange").toString());
        assertEquals(1L, ((Number) death.get("count")).longValue());
        assertEquals(List.of(q), ((List<?>) death.get("routing-keys")).stream().map(Object::toString).toList());
        assertEquals("expired", r.properties().getHeaders().get("x-first-death-reason").toString());
        assertEquals(q, r.properties().getHeaders().get("x-first-death-queue").toString());
    }

    @Test
    void perMessageExpirationDeadLettersWithTheOriginalExpiration() throws Exception {
        Channel ch = channel();
        String[] target = deadLetterTarget(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(target[1], true, dead);
        String q = queueName("expiration");
        ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", target[0]));
        ch.confirmSelect();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("0").build(), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        Received r = dead.next();
        // The expiration is removed from the dead-lettered copy and kept in its history.
        assertNull(r.properties().getExpiration());
        assertEquals("0", firstDeath(r.properties()).get("original-expiration").toString());
    }

    @Test
    void rejectedMessagesAreDeadLetteredToTheGivenRoutingKey() throws Exception {
        Channel ch = channel();
        String dlx = exchangeName("dlx-direct");
        ch.exchangeDeclare(dlx, "direct", false, true, null);
        String dlq = ch.queueDeclare().getQueue();
        ch.queueBind(dlq, dlx, "dead");
        String q = queueName("rejecting");
        ch.queueDeclare(q, false, false, false,
                Map.of("x-dead-letter-exchange", dlx, "x-dead-letter-routing-key", "dead"));
        publishConfirmed(ch, "", q, "1", "2");
        GetResponse one = get(ch, q, false);
        GetResponse two = get(ch, q, false);
        ch.basicReject(one.getEnvelope().getDeliveryTag(), false);
        ch.basicNack(two.getEnvelope().getDeliveryTag(), false, false);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        for (String expected : new String[] {"1", "2"}) {
            Received r = dead.next();
            assertEquals(expected, r.text());
            assertEquals("dead", r.envelope().getRoutingKey());
            assertEquals("rejected", firstDeath(r.properties()).get("reason").toString());
        }
    }

    @Test
    void requeuedMessagesAreNotDeadLettered() throws Exception {
        Channel ch = channel();
        String[] target = deadLetterTarget(ch);
        String q = queueName("requeue-no-dlx");
        ch.queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", target[0]));
        publishConfirmed(ch, "", q, "m");
        ch.basicReject(get(ch, q, false).getEnvelope().getDeliveryTag(), true);
        assertTrue(get(ch, q, true).getEnvelope().isRedeliver());
        assertEquals(0, ch.queueDeclarePassive(target[1]).getMessageCount());
    }

    @Test
    void maxLengthDropsFromTheHeadAndDeadLettersWhatItDrops() throws Exception {
        Channel ch = channel();
        String[] target = deadLetterTarget(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(target[1], true, dead);
        String q = queueName("maxlen");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 2, "x-dead-letter-exchange", target[0]));
        publishConfirmed(ch, "", q, "1", "2", "3");
        Received r = dead.next();
        assertEquals("1", r.text());
        assertEquals("maxlen", firstDeath(r.properties()).get("reason").toString());
        assertEquals(2, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals("2", text(get(ch, q, true).getBody()));
        assertEquals("3", text(get(ch, q, true).getBody()));
    }

    @Test
    void rejectPublishOverflowNacksThePublish() throws Exception {
        Channel ch = channel();
        String q = queueName("reject-publish");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        ch.confirmSelect();
        List<String> confirms = Collections.synchronizedList(new ArrayList<>());
        ch.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                confirms.add("ack " + tag);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                confirms.add("nack " + tag);
            }
        });
        ch.basicPublish("", q, null, bytes("fits"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        ch.basicPublish("", q, null, bytes("refused"));
        assertFalse(ch.waitForConfirms(TIMEOUT_SECONDS * 1000L));
        assertEquals(List.of("ack 1", "nack 2"), confirms);
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals("fits", text(get(ch, q, true).getBody()));
    }

    @Test
    void maxLengthBytesCountsBodies() throws Exception {
        Channel ch = channel();
        String q = queueName("maxlen-bytes");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", 10));
        publishConfirmed(ch, "", q, "aaaa", "bbbb", "cccc");
        assertEquals(2, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals("bbbb", text(get(ch, q, true).getBody()));
    }

    @Test
    void priorityQueueDeliversHigherPrioritiesFirst() throws Exception {
        Channel ch = channel();
        String q = queueName("priority");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-priority", 10));
        ch.confirmSelect();
        int[] priorities = {1, 5, 3, 0, 5, 20};
        for (int i = 0; i < priorities.length; i++) {
            ch.basicPublish("", q, new AMQP.BasicProperties.Builder().priority(priorities[i]).build(),
                    bytes("p" + priorities[i] + "-" + i));
        }
        ch.basicPublish("", q, null, bytes("none"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        List<String> order = drain(ch, q);
        // Above x-max-priority counts as the maximum; no priority as 0; FIFO within a priority.
        assertEquals(List.of("p20-5", "p5-1", "p5-4", "p3-2", "p1-0", "p0-3", "none"), order);
    }

    @Test
    void unusedQueueExpires() throws Exception {
        Channel ch = channel();
        String q = queueName("expires");
        // Long enough for the first mandatory publish to be routed even on a loaded machine.
        ch.queueDeclare(q, false, false, false, Map.of("x-expires", 1500));
        // Watched by mandatory publishes: a declare or a get would count as a use and keep it alive.
        ch.confirmSelect();
        List<String> returned = Collections.synchronizedList(new ArrayList<>());
        ch.addReturnListener(r -> returned.add(r.getRoutingKey()));
        ch.basicPublish("", q, true, null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(List.of(), returned, "returned before the queue could expire");
        eventually("queue " + q + " expired", () -> {
            ch.basicPublish("", q, true, null, bytes("m"));
            ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
            return !returned.isEmpty();
        });
        assertFalse(queueExists(q));
    }

    @Test
    void singleActiveConsumerGetsEverythingUntilItGoes() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("sac");
        ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
        Channel ch1 = c.createChannel();
        Channel ch2 = c.createChannel();
        CollectingConsumer first = new CollectingConsumer(ch1);
        CollectingConsumer second = new CollectingConsumer(ch2);
        String tag1 = ch1.basicConsume(q, true, first);
        ch2.basicConsume(q, true, second);
        publishConfirmed(ch, "", q, "1", "2", "3");
        assertEquals(List.of("1", "2", "3"), first.next(3).stream().map(Received::text).toList());
        assertEquals(0, second.pending());
        ch1.basicCancel(tag1);
        publishConfirmed(ch, "", q, "4");
        assertEquals("4", second.next().text());
    }

    /**
     * Once its publisher has the confirms, a drop-head queue's declare-ok counts what it holds:
     * never more than max-length, however soon the declare follows (by x-argument or policy).
     */
    @Test
    void aFullDropHeadQueueCountsMaxLengthRightAfterTheConfirms() throws Exception {
        Channel ch = channel();
        String[] burst = new String[300];
        java.util.Arrays.fill(burst, "m");
        for (int round = 0; round < 20; round++) {
            // queues elsewhere first, so that this one may land on another loop than the channel's
            for (int i = 0; i < round % 4; i++) {
                ch.queueDeclare(queueName("max-length-other"), false, true, false, null);
            }
            String q = queueName("max-length-count");
            ch.queueDeclare(q, false, false, true, Map.of("x-max-length", 2));
            publishConfirmed(ch, "", q, burst);
            assertEquals(2, ch.queueDeclarePassive(q).getMessageCount(), "round " + round);
            ch.queueDelete(q);
        }
    }
}
