package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which permission each AMQP method needs, and RabbitMQ's 403 for each: configure to declare and
 * delete (a queue even when it is gone), write on the queue and read on the exchange to bind
 * it, write on the destination and read on the source to bind exchanges, write to publish (the
 * default exchange checked as amq.default), read to consume, get and purge (before the queue's
 * existence), read on the queue and write on the dead-letter exchange to declare a queue with
 * one, read on the exchange and write on its alternate exchange. Users and permissions are set
 * through the HTTP API on both brokers.
 */
class PermissionsTest extends CompatTest {

    private AccessSetup access;

    @BeforeEach
    void setUp() {
        access = AccessSetup.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        access.close();
    }

    /** A user whose permissions in "/" are these patterns. */
    private String user(String configure, String write, String read) throws Exception {
        String u = access.user("perm", "");
        access.permit("/", u, configure, write, read);
        return u;
    }

    private Channel as(String user) throws Exception {
        return track(AccessSetup.factory(user, "/").newConnection()).createChannel();
    }

    private static String only(String name) {
        return "^" + java.util.regex.Pattern.quote(name) + "$";
    }

    private static void assertRefused(String kind, String name, String user, ShutdownSignalException e) {
        assertReplyText("ACCESS_REFUSED - access to " + kind + " '" + name + "' in vhost '/' refused for user '"
                + user + "'", e);
    }

    @Test
    void declaringAndDeletingAQueueNeedConfigure() throws Exception {
        String mine = queueName("perm-mine");
        String other = queueName("perm-other");
        channel().queueDeclare(other, false, false, false, null);
        String u = user(only(mine), ".*", ".*");
        Channel ch = as(u);

        ch.queueDeclare(mine, false, false, false, null);
        ch.queueDeclarePassive(other); // a passive declare needs no permission
        ShutdownSignalException declare = assertChannelError(403,
                () -> as(u).queueDeclare(other, false, false, false, null));
        ShutdownSignalException delete = assertChannelError(403, () -> as(u).queueDelete(other));
        ShutdownSignalException deleteGone = assertChannelError(403, () -> as(u).queueDelete(name("perm-gone")));

        assertRefused("queue", other, u, declare);
        assertRefused("queue", other, u, delete);
        assertEquals(403, ((com.rabbitmq.client.AMQP.Channel.Close) deleteGone.getReason()).getReplyCode());
        ch.queueDelete(mine);
    }

    @Test
    void declaringAndDeletingAnExchangeNeedConfigure() throws Exception {
        String mine = exchangeName("perm-x-mine");
        String other = exchangeName("perm-x-other");
        channel().exchangeDeclare(other, BuiltinExchangeType.FANOUT);
        String u = user(only(mine), ".*", ".*");

        as(u).exchangeDeclare(mine, BuiltinExchangeType.FANOUT);
        as(u).exchangeDeclarePassive(other);
        ShutdownSignalException declare = assertChannelError(403,
                () -> as(u).exchangeDeclare(other, BuiltinExchangeType.FANOUT));
        ShutdownSignalException delete = assertChannelError(403, () -> as(u).exchangeDelete(other));

        assertRefused("exchange", other, u, declare);
        assertRefused("exchange", other, u, delete);
        as(u).exchangeDelete(mine);
    }

    @Test
    void bindingAQueueNeedsWriteOnTheQueueAndReadOnTheExchange() throws Exception {
        String q = queueName("perm-bq");
        String x = exchangeName("perm-bx");
        Channel guest = channel();
        guest.queueDeclare(q, false, false, false, null);
        guest.exchangeDeclare(x, BuiltinExchangeType.DIRECT);
        String noWrite = user("", "^$", ".*");
        String noRead = user("", ".*", "^$");
        String both = user("", only(q), only(x));

        ShutdownSignalException bindNoWrite = assertChannelError(403, () -> as(noWrite).queueBind(q, x, "k"));
        ShutdownSignalException bindNoRead = assertChannelError(403, () -> as(noRead).queueBind(q, x, "k"));
        as(both).queueBind(q, x, "k");
        ShutdownSignalException unbindNoWrite = assertChannelError(403, () -> as(noWrite).queueUnbind(q, x, "k"));
        ShutdownSignalException unbindNoRead = assertChannelError(403, () -> as(noRead).queueUnbind(q, x, "k"));
        as(both).queueUnbind(q, x, "k");

        assertRefused("queue", q, noWrite, bindNoWrite);
        assertRefused("exchange", x, noRead, bindNoRead);
        assertRefused("queue", q, noWrite, unbindNoWrite);
        assertRefused("exchange", x, noRead, unbindNoRead);
    }

    @Test
    void bindingExchangesNeedsWriteOnTheDestinationAndReadOnTheSource() throws Exception {
        String source = exchangeName("perm-src");
        String destination = exchangeName("perm-dst");
        Channel guest = channel();
        guest.exchangeDeclare(source, BuiltinExchangeType.DIRECT);
        guest.exchangeDeclare(destination, BuiltinExchangeType.FANOUT);
        // write on the source and read on the destination (the wrong way round) is not enough
        String wrongWay = user("", only(source), only(destination));
        String noRead = user("", only(destination), "^$");
        String right = user("", only(destination), only(source));

        ShutdownSignalException wrong = assertChannelError(403,
                () -> as(wrongWay).exchangeBind(destination, source, "k"));
        ShutdownSignalException unread = assertChannelError(403,
                () -> as(noRead).exchangeBind(destination, source, "k"));
        as(right).exchangeBind(destination, source, "k");
        ShutdownSignalException unbind = assertChannelError(403,
                () -> as(wrongWay).exchangeUnbind(destination, source, "k"));
        as(right).exchangeUnbind(destination, source, "k");

        assertRefused("exchange", destination, wrongWay, wrong);
        assertRefused("exchange", source, noRead, unread);
        assertRefused("exchange", destination, wrongWay, unbind);
    }

    @Test
    void publishingNeedsWriteAndTheDefaultExchangeIsAmqDefault() throws Exception {
        String q = queueName("perm-pub");
        String x = exchangeName("perm-pub-x");
        Channel guest = channel();
        guest.queueDeclare(q, false, false, false, null);
        guest.exchangeDeclare(x, BuiltinExchangeType.FANOUT);
        guest.queueBind(q, x, "");
        String u = user("", only(x), ".*");

        publishConfirmed(as(u), x, "", "allowed");
        Channel ch = as(u);
        ch.basicPublish("", q, null, "refused".getBytes());
        ShutdownSignalException refused = awaitClose(ch);
        Channel ch2 = as(u);
        ch2.basicPublish("amq.fanout", "", null, "refused".getBytes());
        ShutdownSignalException refusedFanout = awaitClose(ch2);

        assertRefused("exchange", "amq.default", u, refused);
        assertRefused("exchange", "amq.fanout", u, refusedFanout);
        assertEquals(java.util.List.of("allowed"), drain(guest, q));
    }

    @Test
    void publishingToAMissingExchangeWithoutWriteIsRefusedNotNotFound() throws Exception {
        String u = user("", "^$", ".*");
        String missing = name("perm-missing-x");
        Channel ch = as(u);

        ch.basicPublish(missing, "k", null, "x".getBytes());
        ShutdownSignalException e = awaitClose(ch);

        assertRefused("exchange", missing, u, e);
    }

    @Test
    void consumingGettingAndPurgingNeedRead() throws Exception {
        String q = queueName("perm-read");
        channel().queueDeclare(q, false, false, false, null);
        String missing = name("perm-read-missing");
        String u = user(".*", ".*", "^$");
        String reader = user("", "", only(q));

        ShutdownSignalException consume = assertChannelError(403,
                () -> as(u).basicConsume(q, true, new com.rabbitmq.client.DefaultConsumer(null)));
        ShutdownSignalException get = assertChannelError(403, () -> as(u).basicGet(q, true));
        ShutdownSignalException purge = assertChannelError(403, () -> as(u).queuePurge(q));
        // checked before the queue's existence: 403, not 404
        ShutdownSignalException getMissing = assertChannelError(403, () -> as(u).basicGet(missing, true));
        as(reader).basicGet(q, true);
        as(reader).queuePurge(q);

        assertRefused("queue", q, u, consume);
        assertRefused("queue", q, u, get);
        assertRefused("queue", q, u, purge);
        assertRefused("queue", missing, u, getMissing);
    }

    @Test
    void aQueueWithADeadLetterExchangeNeedsReadOnItAndWriteOnTheExchange() throws Exception {
        String q = queueName("perm-dlq");
        String q2 = queueName("perm-dlq2");
        String dlx = exchangeName("perm-dlx");
        channel().exchangeDeclare(dlx, BuiltinExchangeType.FANOUT);
        String noWriteOnDlx = user(".*", "^$", ".*");
        String noRead = user(".*", ".*", "^$");
        String ok = user(".*", only(dlx), only(q2));
        Map<String, Object> args = Map.of("x-dead-letter-exchange", dlx);

        ShutdownSignalException e1 = assertChannelError(403,
                () -> as(noWriteOnDlx).queueDeclare(q, false, false, false, args));
        ShutdownSignalException e2 = assertChannelError(403,
                () -> as(noRead).queueDeclare(q, false, false, false, args));
        as(ok).queueDeclare(q2, false, false, false, args);

        assertRefused("exchange", dlx, noWriteOnDlx, e1);
        assertRefused("queue", q, noRead, e2);
    }

    @Test
    void anExchangeWithAnAlternateNeedsReadOnItAndWriteOnTheAlternate() throws Exception {
        String x = exchangeName("perm-ae-x");
        String ae = exchangeName("perm-ae");
        channel().exchangeDeclare(ae, BuiltinExchangeType.FANOUT);
        String noWrite = user(".*", "^$", ".*");
        String ok = user(".*", only(ae), only(x));
        Map<String, Object> args = Map.of("alternate-exchange", ae);

        ShutdownSignalException e = assertChannelError(403,
                () -> as(noWrite).exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, args));
        as(ok).exchangeDeclare(x, BuiltinExchangeType.DIRECT, false, false, args);

        assertRefused("exchange", ae, noWrite, e);
    }

    @Test
    void aUserWithoutPermissionsInTheVhostCannotOpenIt() throws Exception {
        String u = access.user("perm-none", "");

        ShutdownSignalException e = assertConnectionError(530,
                () -> track(AccessSetup.factory(u, "/").newConnection()));

        assertReplyText("NOT_ALLOWED - access to vhost '/' refused for user '" + u + "'", e);
    }
}
