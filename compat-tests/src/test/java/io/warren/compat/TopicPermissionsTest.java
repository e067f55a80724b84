package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's topic permissions: on a topic exchange for which the user has one, a publish's
 * routing key must match the write pattern and a binding's key the read pattern, with
 * {username} and {vhost} replaced first; exchanges of other types and topic exchanges without
 * one are not restricted.
 */
class TopicPermissionsTest extends CompatTest {

    private AccessSetup access;

    @BeforeEach
    void setUp() {
        access = AccessSetup.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        access.close();
    }

    private Channel as(String user) throws Exception {
        return track(AccessSetup.factory(user, "/").newConnection()).createChannel();
    }

    private String user() throws Exception {
        String u = access.user("topic", "");
        access.permit("/", u, ".*", ".*", ".*");
        return u;
    }

    private static void assertTopicRefused(String key, String exchange, String user, ShutdownSignalException e) {
        assertReplyText("ACCESS_REFUSED - access to topic '" + key + "' in exchange '" + exchange
                + "' in vhost '/' refused for user '" + user + "'", e);
    }

    @Test
    void publishingNeedsTheWritePatternToMatchTheRoutingKey() throws Exception {
        String x = exchangeName("topic-pub");
        String q = queueName("topic-pub-q");
        Channel guest = channel();
        guest.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        guest.queueDeclare(q, false, false, false, null);
        guest.queueBind(q, x, "#");
        String u = user();
        access.topicPermit("/", u, x, "^allowed\\.", ".*");

        publishConfirmed(as(u), x, "allowed.one", "a");
        Channel ch = as(u);
        ch.basicPublish(x, "denied.one", null, "b".getBytes());
        ShutdownSignalException e = awaitClose(ch);

        assertTopicRefused("denied.one", x, u, e);
        assertEquals(List.of("a"), drain(guest, q));
    }

    @Test
    void bindingNeedsTheReadPatternToMatchTheBindingKey() throws Exception {
        String x = exchangeName("topic-bind");
        String q = queueName("topic-bind-q");
        Channel guest = channel();
        guest.exchangeDeclare(x, BuiltinExchangeType.TOPIC);
        guest.queueDeclare(q, false, false, false, null);
        String u = user();
        access.topicPermit("/", u, x, ".*", "^mine\\.");

        as(u).queueBind(q, x, "mine.#");
        ShutdownSignalException bind = assertChannelError(403, () -> as(u).queueBind(q, x, "theirs.#"));
        ShutdownSignalException unbind = assertChannelError(403, () -> as(u).queueUnbind(q, x, "theirs.#"));
        String dst = exchangeName("topic-bind-dst");
        guest.exchangeDeclare(dst, BuiltinExchangeType.FANOUT);
        ShutdownSignalException exchangeBind = assertChannelError(403, () -> as(u).exchangeBind(dst, x, "theirs.#"));

        assertTopicRefused("theirs.#", x, u, bind);
        assertTopicRefused("theirs.#", x, u, unbind);
        assertTopicRefused("theirs.#", x, u, exchangeBind);
    }

    @Test
    void userNameAndVhostAreExpandedInThePatterns() throws Exception {
        String u = user();
        access.topicPermit("/", u, "amq.topic", "^{username}\\.{vhost}\\.", "^{username}\\.");
        String q = queueName("topic-var-q");
        channel().queueDeclare(q, false, false, false, null);

        publishConfirmed(as(u), "amq.topic", u + "./.x", "ok");
        as(u).queueBind(q, "amq.topic", u + ".#");
        Channel ch = as(u);
        ch.basicPublish("amq.topic", "someone-else./.x", null, "no".getBytes());
        ShutdownSignalException e = awaitClose(ch);

        assertTopicRefused("someone-else./.x", "amq.topic", u, e);
        channel().queueUnbind(q, "amq.topic", u + ".#");
    }

    /** RabbitMQ knows no client id for AMQP 0-9-1 connections: {client_id} stays literal text. */
    @Test
    void clientIdIsLiteralForAmqpClients() throws Exception {
        String u = user();
        access.topicPermit("/", u, "amq.topic", "^\\{client_id\\}\\.|^{client_id}-x", ".*");

        publishConfirmed(as(u), "amq.topic", "{client_id}.a", "literal");
        Channel ch = as(u);
        ch.basicPublish("amq.topic", "client.a", null, "no".getBytes());
        ShutdownSignalException e = awaitClose(ch);

        assertTopicRefused("client.a", "amq.topic", u, e);
    }

    @Test
    void otherExchangeTypesAndOtherTopicExchangesAreNotRestricted() throws Exception {
        String direct = exchangeName("topic-direct");
        String otherTopic = exchangeName("topic-other");
        Channel guest = channel();
        guest.exchangeDeclare(direct, BuiltinExchangeType.DIRECT);
        guest.exchangeDeclare(otherTopic, BuiltinExchangeType.TOPIC);
        String u = user();
        // a topic permission on a direct exchange's name does not apply to it
        access.topicPermit("/", u, direct, "^nothing$", "^nothing$");
        access.topicPermit("/", u, "amq.topic", "^nothing$", "^nothing$");

        Channel ch = as(u);
        publishConfirmed(ch, direct, "anything", "a");
        publishConfirmed(ch, otherTopic, "anything", "b");
        String q = queueName("topic-free-q");
        guest.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, direct, "anything");
        ch.queueBind(q, otherTopic, "anything");
    }

    @Test
    void anEmptyPatternAllowsOnlyTheEmptyKey() throws Exception {
        String u = user();
        access.topicPermit("/", u, "amq.topic", "", "");

        publishConfirmed(as(u), "amq.topic", "", "empty key");
        Channel ch = as(u);
        ch.basicPublish("amq.topic", "a", null, "no".getBytes());

        assertTopicRefused("a", "amq.topic", u, awaitClose(ch));
    }
}
