package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** queue.declare, bind, purge and delete: names, counts, exclusivity, equivalence, RabbitMQ's texts. */
class QueueTest extends CompatTest {

    private static String lockedText(String q) {
        return "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + q + "' in vhost '/'. It could be"
                + " originally declared on another connection or the exclusive property value does not match that of"
                + " the original declaration.";
    }

    @Test
    void serverNamedQueueGetsAnAmqGenName() throws Exception {
        Channel ch = channel();
        AMQP.Queue.DeclareOk ok = ch.queueDeclare();
        assertTrue(ok.getQueue().startsWith("amq.gen-"), ok.getQueue());
        assertEquals(0, ok.getMessageCount());
        assertEquals(0, ok.getConsumerCount());
        AMQP.Queue.DeclareOk second = ch.queueDeclare();
        assertFalse(second.getQueue().equals(ok.getQueue()));
    }

    @Test
    void passiveDeclareOfAMissingQueueIs404AndTheConnectionStaysUsable() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queueDeclarePassive(q));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '/'", sse);
        assertTrue(c.isOpen());
        assertTrue(c.createChannel().queueDeclare().getQueue().startsWith("amq.gen-"));
    }

    @Test
    void declareOkCountsReadyMessagesAndConsumers() throws Exception {
        Channel ch = channel();
        String q = queueName("counts");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "1", "2", "3");
        AMQP.Queue.DeclareOk ok = ch.queueDeclare(q, false, false, false, null);
        assertEquals(3, ok.getMessageCount());
        assertEquals(0, ok.getConsumerCount());
        // One fetched and not acked: no longer counted as ready.
        get(ch, q, false);
        ok = ch.queueDeclarePassive(q);
        assertEquals(2, ok.getMessageCount());
        Channel consumer = channel();
        consumer.basicQos(1);
        consumer.basicConsume(q, false, new DefaultConsumer(consumer));
        consumer.basicConsume(q, false, new DefaultConsumer(consumer));
        ok = ch.queueDeclarePassive(q);
        assertEquals(2, ok.getConsumerCount());
    }

    @Test
    void redeclareWithAnotherDurabilityIs406() throws Exception {
        Channel ch = channel();
        String q = queueName("equiv");
        ch.queueDeclare(q, false, false, false, null);
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.queueDeclare(q, true, false, false, null));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'durable' for queue '" + q
                + "' in vhost '/': received 'true' but current is 'false'", sse);
    }

    @Test
    void redeclareWithAnotherAutoDeleteIs406() throws Exception {
        Channel ch = channel();
        String q = queueName("equiv");
        ch.queueDeclare(q, false, false, false, null);
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.queueDeclare(q, false, false, true, null));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue '" + q
                + "' in vhost '/': received 'true' but current is 'false'", sse);
    }

    /** RabbitMQ shows both values bare when both declarations have the argument, typed when one lacks it. */
    @Test
    void redeclareWithAnotherArgumentIs406() throws Exception {
        String q = queueName("equiv");
        channel().queueDeclare(q, false, false, false, Map.of("x-message-ttl", 1000));
        String prefix = "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '" + q + "' in vhost '/': ";
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> channel().queueDeclare(q, false, false, false, Map.of("x-message-ttl", 2000L)));
        assertReplyText(prefix + "received '2000' but current is '1000'", sse);
        sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> channel().queueDeclare(q, false, false, false, null));
        assertReplyText(prefix + "received none but current is the value '1000' of type 'signedint'", sse);
        sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> channel().queueDeclare(q, false, false, false,
                Map.of("x-message-ttl", 1000, "x-expires", 60000)));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'x-expires' for queue '" + q + "' in vhost '/': "
                + "received the value '60000' of type 'signedint' but current is none", sse);
        // An existing queue is only compared: a value that would be invalid for a new queue is "inequivalent".
        sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> channel().queueDeclare(q, false, false, false, Map.of("x-message-ttl", "1000")));
        assertReplyText(prefix + "received '1000' but current is '1000'", sse);
    }

    @Test
    void integerArgumentsAreEquivalentAcrossWidths() throws Exception {
        Channel ch = channel();
        String q = queueName("widths");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 10));
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 10L));
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", (short) 10));
        assertTrue(ch.isOpen());
    }

    @Test
    void unknownArgumentsAreNotCompared() throws Exception {
        Channel ch = channel();
        String q = queueName("unknown-args");
        ch.queueDeclare(q, false, false, false, Map.of("x-whatever", "a"));
        ch.queueDeclare(q, false, false, false, Map.of("x-whatever", "b"));
        assertTrue(ch.isOpen());
    }

    /** RabbitMQ 3.10's reasons, as its reply texts print them. */
    @Test
    void invalidArgumentsOfANewQueueAre406() throws Exception {
        Object[][] cases = {
            {"x-message-ttl", -1, "{value_negative,-1}"},
            {"x-message-ttl", "abc", "\"expected integer, got longstr\""},
            {"x-message-ttl", 1.5, "\"expected integer, got double\""},
            {"x-message-ttl", 99999999999999L, "{value_too_large,99999999999999}"},
            {"x-expires", 0, "{value_zero,0}"},
            {"x-max-length", -1L, "{value_negative,-1}"},
            {"x-max-priority", 300, "{max_value_exceeded,300}"},
            {"x-overflow", "foo", "invalid_overflow"},
            {"x-overflow", 1, "{unacceptable_type,signedint}"},
            {"x-queue-mode", "foo", "\"unsupported queue mode 'foo'\""},
            {"x-single-active-consumer", "yes", "{unacceptable_type,longstr}"},
            {"x-dead-letter-routing-key", "rk", "routing_key_but_no_dlx_defined"},
        };
        for (Object[] c : cases) {
            String q = name("invalid");
            ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                    () -> channel().queueDeclare(q, false, false, false, Map.of((String) c[0], c[1])));
            assertReplyText("PRECONDITION_FAILED - invalid arg '" + c[0] + "' for queue '" + q + "' in vhost '/': "
                    + c[2], sse);
            assertFalse(queueExists(q));
        }
        String q = name("invalid-dlx");
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> channel().queueDeclare(q, false, false, false, Map.of("x-dead-letter-exchange", 5)));
        assertReplyText("PRECONDITION_FAILED - invalid type 'signedint' for arg 'x-dead-letter-exchange' in queue '"
                + q + "' in vhost '/'", sse);
    }

    @Test
    void amqPrefixIsReserved() throws Exception {
        Channel ch = channel();
        String q = "amq." + name("q");
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED,
                () -> ch.queueDeclare(q, false, false, false, null));
        assertReplyText("ACCESS_REFUSED - queue name '" + q + "' contains reserved prefix 'amq.*'", sse);
    }

    @Test
    void aServerNamedQueueCannotBeRedeclaredByName() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED,
                () -> ch.queueDeclare(q, false, true, true, null));
        assertReplyText("ACCESS_REFUSED - queue name '" + q + "' contains reserved prefix 'amq.*'", sse);
    }

    @Test
    void passiveDeclareDoesNotUseTheEmptyNameShortcut() throws Exception {
        Channel ch = channel();
        ch.queueDeclare();
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queueDeclarePassive(""));
        assertReplyText("NOT_FOUND - no queue '' in vhost '/'", sse);
    }

    @Test
    void exclusiveQueueIsLockedForOtherConnections() throws Exception {
        Channel owner = channel();
        String q = owner.queueDeclare(name("excl"), false, true, false, null).getQueue();
        owner.basicPublish("", q, null, bytes("m"));
        AmqpCall[] others = {
            () -> channel().queueDeclare(q, false, true, false, null),
            () -> channel().queueDeclare(q, false, false, false, null),
            () -> channel().queueDeclarePassive(q),
            () -> channel().basicConsume(q, new DefaultConsumer(null)),
            () -> channel().basicGet(q, true),
            () -> channel().queuePurge(q),
            () -> channel().queueDelete(q),
            () -> channel().queueBind(q, "amq.fanout", ""),
        };
        for (AmqpCall op : others) {
            ShutdownSignalException sse = assertChannelError(AMQP.RESOURCE_LOCKED, op);
            assertReplyText(lockedText(q), sse);
        }
        // The owner still has its queue and its message.
        assertEquals("m", text(get(owner, q, true).getBody()));
    }

    @Test
    void redeclaringAnExclusiveQueueAsNonExclusiveOnItsOwnConnectionIs405() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare(name("excl"), false, true, false, null).getQueue();
        // The same flags on another channel of the owning connection are fine.
        c.createChannel().queueDeclare(q, false, true, false, null);
        ShutdownSignalException sse = assertChannelError(AMQP.RESOURCE_LOCKED,
                () -> ch.queueDeclare(q, false, false, false, null));
        assertReplyText(lockedText(q), sse);
    }

    @Test
    void purgeDropsReadyMessagesButNotUnackedOnes() throws Exception {
        Channel ch = channel();
        String q = queueName("purge");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "1", "2", "3", "4");
        GetResponse held = get(ch, q, false);
        assertEquals(3, ch.queuePurge(q).getMessageCount());
        assertNull(ch.basicGet(q, true));
        // The unacked one comes back when rejected: purge did not touch it.
        ch.basicReject(held.getEnvelope().getDeliveryTag(), true);
        GetResponse again = get(ch, q, true);
        assertEquals("1", text(again.getBody()));
        assertTrue(again.getEnvelope().isRedeliver());
        assertEquals(0, ch.queuePurge(q).getMessageCount());
    }

    @Test
    void purgeOfAMissingQueueIs404() throws Exception {
        Channel ch = channel();
        String q = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queuePurge(q));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '/'", sse);
    }

    @Test
    void deleteAnswersTheNumberOfReadyMessages() throws Exception {
        Channel ch = channel();
        String q = queueName("delete");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "1", "2");
        assertEquals(2, ch.queueDelete(q).getMessageCount());
        assertFalse(queueExists(q));
    }

    @Test
    void deleteOfAMissingQueueSucceeds() throws Exception {
        Channel ch = channel();
        assertEquals(0, ch.queueDelete(name("never-declared")).getMessageCount());
        assertTrue(ch.isOpen());
    }

    @Test
    void deleteIfUnusedRefusesAQueueWithConsumers() throws Exception {
        Connection c = connect();
        Channel consumer = c.createChannel();
        String q = queueName("if-unused");
        consumer.queueDeclare(q, false, false, false, null);
        String tag = consumer.basicConsume(q, true, new DefaultConsumer(consumer));
        Channel ch = c.createChannel();
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> ch.queueDelete(q, true, false));
        assertReplyText("PRECONDITION_FAILED - queue '" + q + "' in vhost '/' in use", sse);
        consumer.basicCancel(tag);
        c.createChannel().queueDelete(q, true, false);
        assertFalse(queueExists(q));
    }

    @Test
    void deleteIfEmptyRefusesAQueueWithMessages() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("if-empty");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "m");
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> ch.queueDelete(q, false, true));
        assertReplyText("PRECONDITION_FAILED - queue '" + q + "' in vhost '/' not empty", sse);
        Channel ch2 = c.createChannel();
        get(ch2, q, true);
        ch2.queueDelete(q, false, true);
        assertFalse(queueExists(q));
    }

    @Test
    void emptyNameMeansTheQueueLastDeclaredOnTheChannel() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.queueBind("", "amq.direct", "shortcut");
        ch.confirmSelect();
        ch.basicPublish("amq.direct", "shortcut", null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());
        GetResponse r = get(ch, "", true);
        assertEquals("m", text(r.getBody()));
        publishConfirmed(ch, "", q, "x");
        assertEquals(1, ch.queuePurge("").getMessageCount());
        assertEquals(0, ch.queueDelete("").getMessageCount());
        assertFalse(queueExists(q));
    }

    @Test
    void emptyNameWithoutAPreviousDeclareIs404() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queuePurge(""));
        assertReplyText("NOT_FOUND - no previously declared queue", sse);
    }
}
