package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.AMQImpl;
import io.warren.compat.CollectingConsumer.Received;
import org.junit.jupiter.api.Test;

/** When exclusive and auto-delete queues go away, and what happens to messages out with a dead consumer. */
class LifecycleTest extends CompatTest {

    @Test
    void exclusiveQueueGoesWithItsConnectionsClose() throws Exception {
        Connection owner = factory().newConnection();
        String q = owner.createChannel().queueDeclare(name("excl"), false, true, false, null).getQueue();
        owner.close();
        assertFalse(queueExists(q));
    }

    @Test
    void exclusiveQueueGoesWhenItsConnectionDiesWithoutClosing() throws Exception {
        String q = name("excl-dead");
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Queue.Declare(0, q, false, false, true, false, false, null));
            raw.expect(AMQP.Queue.DeclareOk.class);
        }
        eventually("exclusive queue " + q + " deleted", () -> !queueExists(q));
    }

    @Test
    void exclusiveQueueOutlivesItsChannel() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare(name("excl"), false, true, false, null).getQueue();
        ch.close();
        c.createChannel().queueDeclarePassive(q);
    }

    @Test
    void autoDeleteQueueGoesWithItsLastConsumer() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("auto");
        ch.queueDeclare(q, false, false, true, null);
        String t1 = ch.basicConsume(q, true, new CollectingConsumer(ch));
        String t2 = ch.basicConsume(q, true, new CollectingConsumer(ch));
        ch.basicCancel(t1);
        assertTrue(queueExists(q));
        ch.basicCancel(t2);
        assertFalse(queueExists(q));
    }

    @Test
    void autoDeleteQueueThatNeverHadAConsumerStays() throws Exception {
        Channel ch = channel();
        String q = queueName("auto-unused");
        ch.queueDeclare(q, false, false, true, null);
        publishConfirmed(ch, "", q, "m");
        assertTrue(queueExists(q));
    }

    @Test
    void autoDeleteQueueGoesWhenItsConsumersChannelCloses() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("auto-ch");
        ch.queueDeclare(q, false, false, true, null);
        ch.basicConsume(q, false, new CollectingConsumer(ch));
        ch.close();
        assertFalse(queueExists(q));
    }

    @Test
    void autoDeleteQueueGoesWhenItsConsumersConnectionDies() throws Exception {
        String q = queueName("auto-dead");
        channel().queueDeclare(q, false, false, true, null);
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Basic.Consume(0, q, "c", false, false, false, false, null));
            raw.expect(AMQP.Basic.ConsumeOk.class);
        }
        eventually("auto-delete queue " + q + " deleted", () -> !queueExists(q));
    }

    @Test
    void unackedMessagesOfADeadConnectionAreRedeliveredToTheNextConsumer() throws Exception {
        Channel ch = channel();
        String q = queueName("dead-consumer");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "1", "2", "3");
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Basic.Consume(0, q, "c", false, false, false, false, null));
            raw.expect(AMQP.Basic.ConsumeOk.class);
            // Three deliveries arrive; none is acked.
            for (int i = 0; i < 3; i++) {
                raw.expect(AMQP.Basic.Deliver.class);
            }
        }
        Channel next = channel();
        CollectingConsumer consumer = new CollectingConsumer(next);
        next.basicConsume(q, false, consumer);
        for (String expected : new String[] {"1", "2", "3"}) {
            Received r = consumer.next();
            assertEquals(expected, r.text());
            assertTrue(r.redelivered(), expected);
            next.basicAck(r.tag(), false);
        }
    }

    @Test
    void ackOfAMessageWhoseQueueWasDeletedIsAccepted() throws Exception {
        Channel ch = channel();
        String q = queueName("deleted");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "m");
        GetResponse r = get(ch, q, false);
        channel().queueDelete(q);
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        // A synchronous call after the ack: the channel was not closed by it.
        ch.queueDeclare();
        assertTrue(ch.isOpen());
    }

    @Test
    void aDeletedQueueCanBeDeclaredAgainEmpty() throws Exception {
        Channel ch = channel();
        String q = queueName("again");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "m");
        ch.queueDelete(q);
        AMQP.Queue.DeclareOk ok = ch.queueDeclare(q, true, false, false, null);
        assertEquals(0, ok.getMessageCount());
    }
}
