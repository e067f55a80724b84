package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.warren.compat.CollectingConsumer.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * basic.qos global=true (one budget for the channel) as RabbitMQ 3.x applies it, with several
 * queues behind one channel: no-ack consumers neither count against the budget nor get anything
 * while it is used up (RabbitMQ's limiter: {@code can_send} refuses everyone once the limit is
 * reached, and counts only deliveries that need an ack); credit coming back goes round the
 * channel's queues instead of draining one of them first; and a consumer on a queue of another
 * connection (in Warren, another event loop) keeps getting served to the end.
 */
class GlobalQosTest extends CompatTest {

    private Connection connection;
    private Channel publisher;

    @BeforeEach
    void connectPublisher() throws Exception {
        connection = connect();
        publisher = connection.createChannel();
    }

    /** A queue declared by {@code declarer}, holding {@code messages} messages whose body is the queue's name. */
    private String queueWith(Channel declarer, int messages) throws Exception {
        String q = queueName("gqos");
        declarer.queueDeclare(q, false, false, false, null);
        String[] bodies = new String[messages];
        java.util.Arrays.fill(bodies, q);
        publishConfirmed(publisher, "", q, bodies);
        return q;
    }

    private int ready(String q) throws Exception {
        return publisher.queueDeclarePassive(q).getMessageCount();
    }

    @Test
    void noAckDeliveriesDoNotCountAgainstTheChannelLimit() throws Exception {
        String noAckQueue = queueWith(publisher, 10);
        String ackQueue = queueWith(publisher, 10);
        Channel ch = connection.createChannel();
        ch.basicQos(2, true);
        CollectingConsumer noAck = new CollectingConsumer(ch);
        ch.basicConsume(noAckQueue, true, noAck);
        noAck.next(10);
        CollectingConsumer acking = new CollectingConsumer(ch);
        ch.basicConsume(ackQueue, false, acking);
        acking.next(2);
        assertEquals(0, ready(noAckQueue));
        assertEquals(8, ready(ackQueue));
    }

    @Test
    void noAckConsumerWaitsWhileTheChannelLimitIsReached() throws Exception {
        String ackQueue = queueWith(publisher, 10);
        String noAckQueue = queueWith(publisher, 10);
        Channel ch = connection.createChannel();
        ch.basicQos(2, true);
        CollectingConsumer acking = new CollectingConsumer(ch);
        ch.basicConsume(ackQueue, false, acking);
        List<Received> held = acking.next(2);
        CollectingConsumer noAck = new CollectingConsumer(ch);
        ch.basicConsume(noAckQueue, true, noAck);
        assertEquals(10, ready(noAckQueue), "no-ack consumer served while the channel's limit is reached");
        assertEquals(0, noAck.pending());
        // Room again, and no other consumer to take it: the no-ack consumer takes everything
        // (its deliveries do not use the room up).
        ch.basicCancel(acking.consumeOk.get());
        ch.basicAck(held.get(1).tag(), true);
        noAck.next(10);
        assertEquals(0, ready(noAckQueue));
    }

    /**
     * Three queues with a backlog, a consumer on each, one channel, global prefetch 3: the
     * budget fills up, then each single ack lets one more delivery through. Those deliveries
     * come from every queue (RabbitMQ: in a random order), not from one queue until it is empty.
     */
    @ParameterizedTest(name = "queues declared by another connection: {0}")
    @ValueSource(booleans = {false, true})
    void creditComingBackGoesRoundTheChannelsQueues(boolean otherConnection) throws Exception {
        Channel declarer = otherConnection ? connect().createChannel() : publisher;
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queues.add(queueWith(declarer, 30));
        }
        Channel ch = connection.createChannel();
        ch.basicQos(3, true);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        for (String q : queues) {
            ch.basicConsume(q, false, consumer);
        }
        List<Received> outstanding = new ArrayList<>(consumer.next(3));
        Map<String, Integer> perQueue = new TreeMap<>();
        for (int i = 0; i < 24; i++) {
            ch.basicAck(outstanding.remove(0).tag(), false);
            Received r = consumer.next();
            outstanding.add(r);
            perQueue.merge(r.text(), 1, Integer::sum);
        }
        assertEquals(3, perQueue.size(), () -> "deliveries per queue after the first three: " + perQueue);
    }

    /**
     * Global prefetch 1 over queues declared by several connections (so, in Warren, on both
     * event loops), acked as they come: every message arrives, no consumer is left waiting for
     * a wake-up that never comes.
     */
    @Test
    void consumersOnSeveralLoopsAreServedToTheEnd() throws Exception {
        int perQueue = 300;
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queues.add(queueWith(connect().createChannel(), perQueue));
        }
        Channel ch = connection.createChannel();
        ch.basicQos(1, true);
        CountDownLatch all = new CountDownLatch(perQueue * queues.size());
        for (String q : queues) {
            ch.basicConsume(q, false, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body)
                        throws IOException {
                    all.countDown();
                    getChannel().basicAck(e.getDeliveryTag(), false);
                }
            });
        }
        assertTrue(all.await(TIMEOUT_SECONDS * 3, TimeUnit.SECONDS), () -> all.getCount() + " never delivered");
        for (String q : queues) {
            assertEquals(0, ready(q));
        }
    }
}
