package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** exchange.declare, delete, bind and unbind: the checks and the reply texts RabbitMQ gives. */
class ExchangeTest extends CompatTest {

    @Test
    void declareIsIdempotentWithTheSameProperties() throws Exception {
        Channel ch = channel();
        String x = exchangeName("x");
        for (String type : new String[] {"direct", "fanout", "topic", "headers"}) {
            String n = x + "-" + type;
            ch.exchangeDeclare(n, type, false, false, null);
            ch.exchangeDeclare(n, type, false, false, null);
            assertTrue(exchangeExists(n), n);
            ch.exchangeDelete(n);
        }
    }

    @Test
    void passiveDeclareOfAMissingExchangeIs404AndClosesOnlyTheChannel() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String x = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.exchangeDeclarePassive(x));
        assertReplyText("NOT_FOUND - no exchange '" + x + "' in vhost '/'", sse);
        assertTrue(c.isOpen());
        assertFalse(ch.isOpen());
        c.createChannel().exchangeDeclarePassive("amq.direct");
    }

    @Test
    void passiveDeclareIgnoresTheOtherFields() throws Exception {
        Channel ch = channel();
        String x = exchangeName("passive");
        ch.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        // A passive declare only checks existence: type and flags do not have to match.
        ch.exchangeDeclarePassive(x);
        ch.exchangeDeclare(x, "topic", false, false, null);
    }

    @Test
    void redeclareWithAnotherTypeIs406() throws Exception {
        Channel ch = channel();
        String x = exchangeName("equiv");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + x
                + "' in vhost '/': received 'fanout' but current is 'direct'", sse);
    }

    @Test
    void redeclareWithAnotherDurabilityIs406() throws Exception {
        Channel ch = channel();
        String x = exchangeName("equiv");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false);
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, true));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'durable' for exchange '" + x
                + "' in vhost '/': received 'true' but current is 'false'", sse);
    }

    @Test
    void redeclareWithAnotherAlternateExchangeIs406() throws Exception {
        Channel ch = channel();
        String x = exchangeName("equiv");
        ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", "ae1"));
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", "ae2")));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '" + x
                + "' in vhost '/': received 'ae2' but current is 'ae1'", sse);
        sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> channel().exchangeDeclare(x, "direct", false, false, null));
        assertReplyText("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange '" + x
                + "' in vhost '/': received none but current is the value 'ae1' of type 'longstr'", sse);
        // Other arguments are not compared.
        channel().exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", "ae1", "other", 1));
    }

    /** A new exchange's alternate-exchange must be a string; nothing is declared otherwise. */
    @Test
    void alternateExchangeOfAnotherTypeIs406() throws Exception {
        String x = exchangeName("ae-type");
        Object[][] cases = {{5, "signedint"}, {true, "bool"}, {Map.of("a", 1), "table"}};
        for (Object[] c : cases) {
            ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                    () -> channel().exchangeDeclare(x, "direct", false, false, Map.of("alternate-exchange", c[0])));
            assertReplyText("PRECONDITION_FAILED - invalid type '" + c[1] + "' for arg 'alternate-exchange' in exchange '"
                    + x + "' in vhost '/'", sse);
            assertFalse(exchangeExists(x));
        }
    }

    @Test
    void unknownTypeClosesTheConnectionWith503() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertConnectionError(AMQP.COMMAND_INVALID,
                () -> ch.exchangeDeclare(name("x"), "no-such-type"));
        assertReplyText("COMMAND_INVALID - unknown exchange type 'no-such-type'", sse);
    }

    @Test
    void amqPrefixIsReserved() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String x = "amq." + name("x");
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED,
                () -> ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT));
        assertReplyText("ACCESS_REFUSED - exchange name '" + x + "' contains reserved prefix 'amq.*'", sse);
        assertTrue(c.isOpen());
        // Redeclaring an existing amq.* exchange with its own properties is fine.
        c.createChannel().exchangeDeclare("amq.direct", BuiltinExchangeType.DIRECT, true);
    }

    @Test
    void systemExchangesCannotBeDeleted() throws Exception {
        for (String x : new String[] {"amq.direct", "amq.topic", "amq.default", "amq." + name("never-declared")}) {
            Channel ch = channel();
            ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED, () -> ch.exchangeDelete(x));
            assertReplyText("ACCESS_REFUSED - deletion of system exchange '" + x + "' in vhost '/' not allowed", sse);
        }
        assertTrue(exchangeExists("amq.direct"));
    }

    @Test
    void theDefaultExchangeCannotBeDeclaredOrDeleted() throws Exception {
        for (AmqpCall op : new AmqpCall[] {
                () -> channel().exchangeDeclare("", "direct", true),
                () -> channel().exchangeDeclarePassive(""),
                () -> channel().exchangeDelete("")}) {
            ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED, op);
            assertReplyText("ACCESS_REFUSED - operation not permitted on the default exchange", sse);
        }
    }

    /** In AMQP 0-9-1 "amq.default" is only a reserved name, not the default exchange. */
    @Test
    void amqDefaultIsNoAliasOfTheDefaultExchange() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queueBind(q, "amq.default", q));
        assertReplyText("NOT_FOUND - no exchange 'amq.default' in vhost '/'", sse);
        assertFalse(exchangeExists("amq.default"));
    }

    @Test
    void theDefaultExchangeCannotBeBoundTo() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ShutdownSignalException sse = assertChannelError(AMQP.ACCESS_REFUSED, () -> ch.queueBind(q, "", "k"));
        assertReplyText("ACCESS_REFUSED - operation not permitted on the default exchange", sse);
    }

    @Test
    void deleteRemovesTheExchangeAndItsBindings() throws Exception {
        Channel ch = channel();
        String x = exchangeName("del");
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "");
        ch.exchangeDelete(x);
        assertFalse(exchangeExists(x));
        // Declared again, it has no binding left.
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
        publishConfirmed(ch, x, "", "m");
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void deleteOfAMissingExchangeSucceeds() throws Exception {
        Channel ch = channel();
        ch.exchangeDelete(name("never-declared"));
        assertTrue(ch.isOpen());
    }

    @Test
    void deleteIfUnusedRefusesAnExchangeWithBindings() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String x = exchangeName("unused");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "k");
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED, () -> ch.exchangeDelete(x, true));
        assertReplyText("PRECONDITION_FAILED - exchange '" + x + "' in vhost '/' in use", sse);
        assertTrue(exchangeExists(x));
        Channel ch2 = c.createChannel();
        ch2.queueUnbind(q, x, "k");
        ch2.exchangeDelete(x, true);
        assertFalse(exchangeExists(x));
    }

    @Test
    void exchangeToExchangeBindingRoutesUntilUnbound() throws Exception {
        Channel ch = channel();
        String source = exchangeName("src");
        String destination = exchangeName("dst");
        ch.exchangeDeclare(source, BuiltinExchangeType.TOPIC);
        ch.exchangeDeclare(destination, BuiltinExchangeType.DIRECT);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, destination, "a.b");
        ch.exchangeBind(destination, source, "a.*");
        publishConfirmed(ch, source, "a.b", "through");
        publishConfirmed(ch, source, "a.c", "stops at the direct exchange");
        assertEquals("through", text(get(ch, q, true).getBody()));
        assertNull(ch.basicGet(q, true));
        ch.exchangeUnbind(destination, source, "a.*");
        publishConfirmed(ch, source, "a.b", "unbound");
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void bindingToAMissingExchangeIs404() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        String x = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queueBind(q, x, "k"));
        assertReplyText("NOT_FOUND - no exchange '" + x + "' in vhost '/'", sse);
        Channel ch2 = channel();
        String other = name("missing-dst");
        sse = assertChannelError(AMQP.NOT_FOUND, () -> ch2.exchangeBind(other, "amq.direct", "k"));
        assertReplyText("NOT_FOUND - no exchange '" + other + "' in vhost '/'", sse);
    }

    @Test
    void bindingAMissingQueueIs404() throws Exception {
        Channel ch = channel();
        String q = name("missing");
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> ch.queueBind(q, "amq.direct", "k"));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '/'", sse);
    }

    @Test
    void internalExchangeRefusesPublishesButRoutesFromOtherExchanges() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String internal = exchangeName("internal");
        String front = exchangeName("front");
        ch.exchangeDeclare(internal, BuiltinExchangeType.FANOUT, false, false, true, null);
        ch.exchangeDeclare(front, BuiltinExchangeType.FANOUT);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, internal, "");
        ch.exchangeBind(internal, front, "");
        publishConfirmed(ch, front, "", "via front");
        assertEquals("via front", text(get(ch, q, true).getBody()));

        Channel publisher = c.createChannel();
        publisher.basicPublish(internal, "", null, bytes("direct"));
        ShutdownSignalException sse = awaitClose(publisher);
        assertEquals(AMQP.ACCESS_REFUSED, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
        assertReplyText("ACCESS_REFUSED - cannot publish to internal exchange '" + internal + "' in vhost '/'", sse);
        assertTrue(c.isOpen());
    }

    @Test
    void autoDeleteExchangeGoesWithItsLastBinding() throws Exception {
        Channel ch = channel();
        String x = exchangeName("auto");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, true, null);
        String q1 = ch.queueDeclare().getQueue();
        String q2 = ch.queueDeclare().getQueue();
        ch.queueBind(q1, x, "a");
        ch.queueBind(q2, x, "b");
        ch.queueUnbind(q1, x, "a");
        assertTrue(exchangeExists(x));
        ch.queueUnbind(q2, x, "b");
        assertFalse(exchangeExists(x));
    }

    @Test
    void autoDeleteExchangeWithoutBindingsStays() throws Exception {
        Channel ch = channel();
        String x = exchangeName("auto-unbound");
        ch.exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, true, null);
        assertTrue(exchangeExists(x));
    }

    @Test
    void autoDeleteExchangeGoesWhenItsOnlyQueueIsDeleted() throws Exception {
        Channel ch = channel();
        String x = exchangeName("auto-q");
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT, false, true, null);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, x, "");
        ch.queueDelete(q);
        assertFalse(exchangeExists(x));
    }

    /** RabbitMQ 3.10 answers unbind-ok for any binding that is not there, even between missing ends. */
    @Test
    void unbindOfABindingThatDoesNotExistSucceeds() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.queueUnbind(q, "amq.direct", "never-bound");
        ch.queueUnbind(name("no-queue"), "amq.direct", "k");
        ch.queueUnbind(q, name("no-exchange"), "k");
        ch.exchangeUnbind(name("no-destination"), "amq.direct", "k");
        ch.exchangeUnbind("amq.fanout", name("no-source"), "k");
        assertTrue(ch.isOpen());
    }
}
