package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.warren.compat.CollectingConsumer.Received;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The x-death history when the publisher already set x-death or x-first-death-* headers (a
 * message taken from a dead-letter queue and published again, say). What is asserted is RabbitMQ
 * 3.10's behaviour (the reference these tests run against), which is also what RabbitMQ 3.13's
 * documentation describes and what 3.13.3 and later do again (rabbitmq-server #11339 restored
 * reading the x-death header of an AMQP 0-9-1 publisher after 3.13.0-3.13.2 had stopped): the
 * entry for the same queue and reason is counted on and moved to the front, the x-first-death-*
 * headers are set only at the very first death and never changed afterwards.
 */
class DeadLetterHistoryTest extends CompatTest {

    private static final Date LONG_AGO = new Date(1_000_000_000_000L);

    /** A queue that dead-letters rejected messages into a fresh queue; answers {queue, dead-letter queue}. */
    private String[] rejectingQueue(Channel ch) throws Exception {
        String dlq = queueName("history-dlq");
        ch.queueDeclare(dlq, false, false, false, null);
        String q = queueName("history");
        ch.queueDeclare(q, false, false, false,
                Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
        return new String[] {q, dlq};
    }

    /** Publishes with {@code headers}, rejects it from {@code queue}, answers the dead-lettered copy. */
    private Received deadLetter(Channel ch, String[] queues, Map<String, Object> headers) throws Exception {
        ch.confirmSelect();
        ch.basicPublish("", queues[0], new AMQP.BasicProperties.Builder().headers(headers).build(), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        GetResponse in = get(ch, queues[0], false);
        ch.basicReject(in.getEnvelope().getDeliveryTag(), false);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(queues[1], true, dead);
        return dead.next();
    }

    private static Map<String, Object> death(String queue, String reason, long count, String exchange, String key) {
        Map<String, Object> d = new HashMap<>();
        d.put("queue", queue);
        d.put("reason", reason);
        d.put("count", count);
        d.put("exchange", exchange);
        d.put("routing-keys", List.of(key));
        d.put("time", LONG_AGO);
        return d;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(Received r) {
        return (List<Map<String, Object>>) r.properties().getHeaders().get("x-death");
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    @Test
    void aPublishedEntryForTheSameQueueAndReasonIsCountedOnAndMovedToTheFront() throws Exception {
        Channel ch = channel();
        String[] queues = rejectingQueue(ch);
        Map<String, Object> elsewhere = death("elsewhere", "expired", 2, "", "e");
        Map<String, Object> here = death(queues[0], "rejected", 5, "old-exchange", "old-key");
        Received r = deadLetter(ch, queues, Map.of("x-death", List.of(elsewhere, here),
                "x-first-death-queue", "set-by-client"));

        List<Map<String, Object>> deaths = deaths(r);
        assertEquals(2, deaths.size());
        Map<String, Object> first = deaths.get(0);
        assertEquals(queues[0], text(first.get("queue")));
        assertEquals("rejected", text(first.get("reason")));
        assertEquals(6L, ((Number) first.get("count")).longValue());
        // The entry keeps what it had: the exchange, keys and time of its first death.
        assertEquals("old-exchange", text(first.get("exchange")));
        assertEquals(List.of("old-key"), ((List<?>) first.get("routing-keys")).stream().map(Object::toString).toList());
        assertEquals(LONG_AGO, first.get("time"));
        assertEquals("elsewhere", text(deaths.get(1).get("queue")));
        assertEquals(2L, ((Number) deaths.get(1).get("count")).longValue());
        // Not the first death: the x-first-death-* headers are left as they were.
        Map<String, Object> headers = r.properties().getHeaders();
        assertEquals("set-by-client", text(headers.get("x-first-death-queue")));
        assertFalse(headers.containsKey("x-first-death-reason"));
        assertFalse(headers.containsKey("x-first-death-exchange"));
    }

    @Test
    void aPublishedEntryForAnotherReasonStaysAndANewOneGoesFirst() throws Exception {
        Channel ch = channel();
        String[] queues = rejectingQueue(ch);
        Received r = deadLetter(ch, queues, Map.of("x-death", List.of(death(queues[0], "expired", 3, "", "k"))));
        List<Map<String, Object>> deaths = deaths(r);
        assertEquals(2, deaths.size());
        assertEquals("rejected", text(deaths.get(0).get("reason")));
        assertEquals(1L, ((Number) deaths.get(0).get("count")).longValue());
        assertEquals(List.of(queues[0]),
                ((List<?>) deaths.get(0).get("routing-keys")).stream().map(Object::toString).toList());
        assertEquals("expired", text(deaths.get(1).get("reason")));
        assertEquals(3L, ((Number) deaths.get(1).get("count")).longValue());
    }

    @Test
    void anXDeathHeaderThatIsNotAnArrayIsReplaced() throws Exception {
        Channel ch = channel();
        String[] queues = rejectingQueue(ch);
        Received r = deadLetter(ch, queues, Map.of("x-death", "not an array"));
        List<Map<String, Object>> deaths = deaths(r);
        assertEquals(1, deaths.size());
        assertEquals(1L, ((Number) deaths.get(0).get("count")).longValue());
        assertEquals(queues[0], text(deaths.get(0).get("queue")));
        assertFalse(r.properties().getHeaders().containsKey("x-first-death-queue"));
    }

    @Test
    void theFirstDeathReplacesXFirstDeathHeadersAPublisherSet() throws Exception {
        Channel ch = channel();
        String[] queues = rejectingQueue(ch);
        Received r = deadLetter(ch, queues, Map.of("x-first-death-queue", "set-by-client",
                "x-first-death-reason", "made-up"));
        Map<String, Object> headers = r.properties().getHeaders();
        assertEquals(queues[0], text(headers.get("x-first-death-queue")));
        assertEquals("rejected", text(headers.get("x-first-death-reason")));
        assertEquals("", text(headers.get("x-first-death-exchange")));
    }
}
