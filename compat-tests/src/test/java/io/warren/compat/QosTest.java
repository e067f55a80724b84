package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.warren.compat.CollectingConsumer.Received;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * basic.qos as RabbitMQ interprets prefetch_count: global=false limits each consumer created
 * after it, global=true limits the channel as a whole; both count deliveries not yet acked.
 *
 * <p>How "no more than N" is checked without sleeping: once N deliveries have arrived, a passive
 * queue.declare reports how many messages are still ready in the queue, which is exactly what
 * the limit held back.
 */
class QosTest extends CompatTest {

    private Connection connection;
    private Channel publisher;

    @BeforeEach
    void connectPublisher() throws Exception {
        connection = connect();
        publisher = connection.createChannel();
    }

    private String queueWith(int messages) throws Exception {
        String q = publisher.queueDeclare(name("qos"), false, true, false, null).getQueue();
        String[] bodies = new String[messages];
        for (int i = 0; i < messages; i++) {
            bodies[i] = String.valueOf(i + 1);
        }
        publishConfirmed(publisher, "", q, bodies);
        return q;
    }

    private int ready(String q) throws Exception {
        return publisher.queueDeclarePassive(q).getMessageCount();
    }

    @Test
    void perConsumerPrefetchLimitsEachConsumerSeparately() throws Exception {
        String q1 = queueWith(5);
        String q2 = queueWith(5);
        Channel ch = connection.createChannel();
        ch.basicQos(2, false);
        CollectingConsumer c1 = new CollectingConsumer(ch);
        CollectingConsumer c2 = new CollectingConsumer(ch);
        ch.basicConsume(q1, false, c1);
        ch.basicConsume(q2, false, c2);
        List<Received> got1 = c1.next(2);
        c2.next(2);
        assertEquals(3, ready(q1));
        assertEquals(3, ready(q2));
        // One ack gives that consumer room for exactly one more.
        ch.basicAck(got1.get(0).tag(), false);
        assertEquals("3", c1.next().text());
        assertEquals(2, ready(q1));
        assertEquals(3, ready(q2));
    }

    @Test
    void globalPrefetchIsOneBudgetForTheWholeChannel() throws Exception {
        String q1 = queueWith(5);
        String q2 = queueWith(5);
        Channel ch = connection.createChannel();
        ch.basicQos(3, true);
        CollectingConsumer both = new CollectingConsumer(ch);
        ch.basicConsume(q1, false, both);
        ch.basicConsume(q2, false, both);
        List<Received> got = both.next(3);
        assertEquals(7, ready(q1) + ready(q2));
        ch.basicAck(got.get(1).tag(), false);
        both.next();
        assertEquals(6, ready(q1) + ready(q2));
    }

    @Test
    void perConsumerAndGlobalLimitsApplyTogether() throws Exception {
        String q1 = queueWith(5);
        String q2 = queueWith(5);
        Channel ch = connection.createChannel();
        ch.basicQos(2, false);
        ch.basicQos(3, true);
        CollectingConsumer both = new CollectingConsumer(ch);
        String tag1 = ch.basicConsume(q1, false, both);
        ch.basicConsume(q2, false, both);
        // Three in all (the channel's limit), no consumer more than two (its own).
        List<Received> got = both.next(3);
        assertEquals(7, ready(q1) + ready(q2));
        long toFirst = got.stream().filter(r -> r.consumerTag().equals(tag1)).count();
        assertTrue(toFirst == 1 || toFirst == 2, () -> "deliveries per consumer: " + toFirst + " and " + (3 - toFirst));
    }

    @Test
    void perConsumerPrefetchAppliesOnlyToConsumersCreatedAfterIt() throws Exception {
        String q1 = queueWith(5);
        String q2 = queueWith(5);
        Channel ch = connection.createChannel();
        CollectingConsumer unlimited = new CollectingConsumer(ch);
        ch.basicConsume(q1, false, unlimited);
        ch.basicQos(1, false);
        CollectingConsumer limited = new CollectingConsumer(ch);
        ch.basicConsume(q2, false, limited);
        unlimited.next(5);
        limited.next();
        assertEquals(0, ready(q1));
        assertEquals(4, ready(q2));
    }

    @Test
    void prefetchZeroMeansNoLimit() throws Exception {
        String q = queueWith(20);
        Channel ch = connection.createChannel();
        ch.basicQos(0);
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        c.next(20);
        assertEquals(0, ready(q));
    }

    @Test
    void autoAckConsumersAreNotLimited() throws Exception {
        String q = queueWith(10);
        Channel ch = connection.createChannel();
        ch.basicQos(1, false);
        ch.basicQos(1, true);
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, true, c);
        c.next(10);
        assertEquals(0, ready(q));
    }

    @Test
    void rejectAndNackGiveCreditBackLikeAnAck() throws Exception {
        String q = queueWith(4);
        Channel ch = connection.createChannel();
        ch.basicQos(1);
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        Received first = c.next();
        assertEquals(3, ready(q));
        ch.basicReject(first.tag(), false);
        Received second = c.next();
        assertEquals("2", second.text());
        ch.basicNack(second.tag(), false, false);
        assertEquals("3", c.next().text());
        assertEquals(1, ready(q));
    }

    @Test
    void multipleAckReturnsAllItsCredit() throws Exception {
        String q = queueWith(6);
        Channel ch = connection.createChannel();
        ch.basicQos(3);
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        List<Received> got = c.next(3);
        assertEquals(3, ready(q));
        ch.basicAck(got.get(2).tag(), true);
        List<Received> more = c.next(3);
        assertEquals(List.of("4", "5", "6"), more.stream().map(Received::text).toList());
        assertEquals(0, ready(q));
    }

    @Test
    void raisingThePrefetchLetsMoreThrough() throws Exception {
        String q = queueWith(5);
        Channel ch = connection.createChannel();
        ch.basicQos(1, true);
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        c.next();
        assertEquals(4, ready(q));
        ch.basicQos(3, true);
        c.next(2);
        assertEquals(2, ready(q));
    }
}
