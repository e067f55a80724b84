package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.compat.CollectingConsumer.Received;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** basic.get, basic.consume and basic.cancel, from both sides. */
class ConsumeTest extends CompatTest {

    @Test
    void getAnswersEmptyThenMessagesInOrderWithTheRemainingCount() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        assertNull(ch.basicGet(q, true));
        publishConfirmed(ch, "", q, "1", "2", "3");
        GetResponse first = get(ch, q, true);
        assertEquals("1", text(first.getBody()));
        assertEquals(2, first.getMessageCount());
        assertFalse(first.getEnvelope().isRedeliver());
        assertEquals("", first.getEnvelope().getExchange());
        assertEquals(q, first.getEnvelope().getRoutingKey());
        assertEquals("2", text(get(ch, q, true).getBody()));
        GetResponse last = get(ch, q, true);
        assertEquals("3", text(last.getBody()));
        assertEquals(0, last.getMessageCount());
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void getWithoutAutoAckComesBackRedeliveredWhenTheChannelCloses() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        publishConfirmed(ch, "", q, "m");
        GetResponse r = get(ch, q, false);
        assertFalse(r.getEnvelope().isRedeliver());
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        ch.close();
        Channel other = c.createChannel();
        GetResponse again = get(other, q, false);
        assertEquals("m", text(again.getBody()));
        assertTrue(again.getEnvelope().isRedeliver());
    }

    @Test
    void getOfAMissingQueueIs404() throws Exception {
        Channel ch = channel();
        String q = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.basicGet(q, true));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '/'", sse);
    }

    @Test
    void consumeWithoutATagGetsAServerGeneratedOne() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        CollectingConsumer consumer = new CollectingConsumer(ch);
        String tag = ch.basicConsume(q, true, consumer);
        assertTrue(tag.startsWith("amq.ctag-"), tag);
        assertEquals(tag, consumer.consumeOk.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        publishConfirmed(ch, "", q, "m");
        Received r = consumer.next();
        assertEquals(tag, r.consumerTag());
        assertEquals("m", r.text());
        String second = ch.basicConsume(q, true, new CollectingConsumer(ch));
        assertFalse(second.equals(tag));
    }

    @Test
    void consumeWithAClientTagKeepsIt() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        CollectingConsumer consumer = new CollectingConsumer(ch);
        assertEquals("my-tag", ch.basicConsume(q, true, "my-tag", consumer));
        publishConfirmed(ch, "", q, "m");
        assertEquals("my-tag", consumer.next().consumerTag());
    }

    @Test
    void backlogIsDeliveredInOrderWithIncreasingTags() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        publishConfirmed(ch, "", q, "1", "2", "3", "4", "5");
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, false, consumer);
        List<Received> got = consumer.next(5);
        for (int i = 0; i < 5; i++) {
            assertEquals(String.valueOf(i + 1), got.get(i).text());
            assertEquals(i + 1, got.get(i).tag());
            assertFalse(got.get(i).redelivered());
        }
    }

    @Test
    void consumeOfAMissingQueueIs404() throws Exception {
        Channel ch = channel();
        String q = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND,
                () -> ch.basicConsume(q, new CollectingConsumer(ch)));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '/'", sse);
    }

    @Test
    void cancelStopsDeliveriesAndLeavesLaterMessagesInTheQueue() throws Exception {
        Channel ch = channel();
        // Exclusive but not auto-delete: the queue must outlive its consumer.
        String q = ch.queueDeclare(name("q"), false, true, false, null).getQueue();
        CollectingConsumer consumer = new CollectingConsumer(ch);
        String tag = ch.basicConsume(q, true, consumer);
        publishConfirmed(ch, "", q, "before");
        assertEquals("before", consumer.next().text());
        ch.basicCancel(tag);
        assertEquals(tag, consumer.cancelOk.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        publishConfirmed(ch, "", q, "after");
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());
        assertEquals(0, ch.queueDeclarePassive(q).getConsumerCount());
        assertNull(consumer.poll(0));
    }

    @Test
    void cancelOfAnAckingConsumerKeepsItsUnackedDeliveriesOnTheChannel() throws Exception {
        Channel ch = channel();
        // Exclusive but not auto-delete: the queue must outlive its consumer.
        String q = ch.queueDeclare(name("q"), false, true, false, null).getQueue();
        CollectingConsumer consumer = new CollectingConsumer(ch);
        String tag = ch.basicConsume(q, false, consumer);
        publishConfirmed(ch, "", q, "m");
        Received r = consumer.next();
        ch.basicCancel(tag);
        consumer.cancelOk.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // Still acknowledgeable after the cancel, as RabbitMQ allows.
        ch.basicAck(r.tag(), false);
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        assertTrue(ch.isOpen());
    }

    @Test
    void deletingAConsumedQueueSendsTheConsumerABasicCancel() throws Exception {
        Channel ch = channel();
        String q = queueName("deleted-under");
        ch.queueDeclare(q, false, false, false, null);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        String tag = ch.basicConsume(q, true, consumer);
        channel().queueDelete(q);
        assertEquals(tag, consumer.cancelledByBroker.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(ch.isOpen());
        assertFalse(queueExists(q));
    }

    @Test
    void messagesAreSharedRoundRobinBetweenConsumers() throws Exception {
        Connection c = connect();
        Channel ch1 = c.createChannel();
        Channel ch2 = c.createChannel();
        String q = ch1.queueDeclare().getQueue();
        CollectingConsumer c1 = new CollectingConsumer(ch1);
        CollectingConsumer c2 = new CollectingConsumer(ch2);
        ch1.basicConsume(q, true, c1);
        ch2.basicConsume(q, true, c2);
        publishConfirmed(c.createChannel(), "", q, "1", "2", "3", "4", "5", "6");
        // Alternating: one consumer gets the odd messages, the other the even ones, each in order.
        List<String> got1 = c1.next(3).stream().map(Received::text).toList();
        List<String> got2 = c2.next(3).stream().map(Received::text).toList();
        List<String> odd = List.of("1", "3", "5");
        List<String> even = List.of("2", "4", "6");
        assertTrue(got1.equals(odd) && got2.equals(even) || got1.equals(even) && got2.equals(odd), got1 + " " + got2);
    }

    @Test
    void exclusiveConsumerLocksTheQueueForOtherConsumers() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.basicConsume(q, true, "", false, true, null, new CollectingConsumer(ch));
        Channel other = c.createChannel();
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED,
                () -> other.basicConsume(q, true, new CollectingConsumer(other)));
        assertReplyText("ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use", sse);
    }

    @Test
    void exclusiveConsumeOnAQueueWithConsumersIsRefused() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.basicConsume(q, true, new CollectingConsumer(ch));
        Channel other = c.createChannel();
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED,
                () -> other.basicConsume(q, true, "", false, true, null, new CollectingConsumer(other)));
        assertReplyText("ACCESS_REFUSED - queue '" + q + "' in vhost '/' in exclusive use", sse);
    }

    @Test
    void higherPriorityConsumerGetsMessagesWhileItHasCredit() throws Exception {
        Connection c = connect();
        Channel low = c.createChannel();
        Channel high = c.createChannel();
        String q = low.queueDeclare().getQueue();
        CollectingConsumer lowConsumer = new CollectingConsumer(low);
        CollectingConsumer highConsumer = new CollectingConsumer(high);
        low.basicConsume(q, true, "", false, false, Map.of("x-priority", 1), lowConsumer);
        high.basicQos(2);
        high.basicConsume(q, false, "", false, false, Map.of("x-priority", 10), highConsumer);
        publishConfirmed(c.createChannel(), "", q, "1", "2", "3");
        List<Received> toHigh = highConsumer.next(2);
        assertEquals(List.of("1", "2"), List.of(toHigh.get(0).text(), toHigh.get(1).text()));
        // The high-priority consumer is out of credit: the third goes to the low one.
        assertEquals("3", lowConsumer.next().text());
    }

    @Test
    void noAckDeliveriesAreNotRequeuedWhenTheChannelCloses() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        // Exclusive but not auto-delete: the queue must outlive its consumer.
        String q = ch.queueDeclare(name("q"), false, true, false, null).getQueue();
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, true, consumer);
        publishConfirmed(c.createChannel(), "", q, "1", "2");
        consumer.next(2);
        ch.close();
        assertEquals(0, c.createChannel().queueDeclarePassive(q).getMessageCount());
    }

    /** channel.flow(active=true) is answered flow-ok(true) and changes nothing: deliveries go on. */
    @Test
    void channelFlowActiveTrueIsAnsweredAndDeliveriesGoOn() throws Exception {
        Channel ch = channel();
        String q = queueName("flow");
        ch.queueDeclare(q, false, false, false, null);
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Channel.Flow(true));
            assertTrue(raw.expect(AMQP.Channel.FlowOk.class).getActive());
            raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Consume(0, q, "c", false, true, false, false, null));
            raw.expect(AMQP.Basic.ConsumeOk.class);
            publishConfirmed(ch, "", q, "served");
            AMQP.Basic.Deliver deliver = raw.expect(AMQP.Basic.Deliver.class);
            assertEquals("c", deliver.getConsumerTag());
        }
    }

    /**
     * Commands sent back to back, touching queues that live on other connections (and, in
     * Warren, other event loops), are answered strictly in the order they were sent.
     */
    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        List<String> queues = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Channel owner = connect().createChannel();
            String q = queueName("pipelined-" + i);
            owner.queueDeclare(q, false, false, false, null);
            publishConfirmed(owner, "", q, q + "-1", q + "-2");
            queues.add(q);
        }
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            List<Class<?>> expected = new java.util.ArrayList<>();
            for (String q : queues) {
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Get(0, q, false));
                expected.add(AMQP.Basic.GetOk.class);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Queue.Declare(0, q, true, false, false, false, false,
                        null));
                expected.add(AMQP.Queue.DeclareOk.class);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Queue.Purge(0, q, false));
                expected.add(AMQP.Queue.PurgeOk.class);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Get(0, q, false));
                expected.add(AMQP.Basic.GetEmpty.class);
                raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Basic.Qos(0, 5, false));
                expected.add(AMQP.Basic.QosOk.class);
            }
            raw.send(1, new com.rabbitmq.client.impl.AMQImpl.Channel.Close(200, "bye", 0, 0));
            expected.add(AMQP.Channel.CloseOk.class);
            int i = 0;
            for (Class<?> type : expected) {
                Object m = raw.expect(type);
                if (m instanceof AMQP.Queue.DeclareOk ok) {
                    assertEquals(1, ok.getMessageCount(), "after one get of two: " + ok);
                } else if (m instanceof AMQP.Queue.PurgeOk ok) {
                    assertEquals(1, ok.getMessageCount());
                } else if (m instanceof AMQP.Basic.GetOk ok) {
                    // Tags count up in the order the gets were sent.
                    assertEquals(++i, ok.getDeliveryTag());
                    assertEquals(1, ok.getMessageCount());
                }
            }
        }
        // Each queue got its unacked first message back when the channel closed.
        Channel ch = channel();
        for (String q : queues) {
            GetResponse r = get(ch, q, true);
            assertEquals(q + "-1", text(r.getBody()));
            assertTrue(r.getEnvelope().isRedeliver());
            assertNull(ch.basicGet(q, true));
        }
    }
}
