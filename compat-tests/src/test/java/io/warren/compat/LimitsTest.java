package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's vhost limits (max-connections, max-queues) and user limits (max-connections,
 * max-channels), set through the HTTP API, with RabbitMQ's refusals.
 */
class LimitsTest extends CompatTest {

    private AccessSetup access;

    @BeforeEach
    void setUp() {
        access = AccessSetup.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        access.close();
    }

    private ConnectionFactory guestIn(String vhost) {
        ConnectionFactory f = factory();
        f.setVirtualHost(vhost);
        return f;
    }

    @Test
    void vhostMaxConnections() throws Exception {
        String v = access.vhost("lim-conn");
        access.vhostLimit(v, "max-connections", 1);
        Connection first = track(guestIn(v).newConnection());

        ShutdownSignalException e = assertConnectionError(530, () -> track(guestIn(v).newConnection()));
        first.close();
        track(guestIn(v).newConnection());

        assertReplyText("NOT_ALLOWED - access to vhost '" + v + "' refused for user 'guest': connection limit (1)"
                + " is reached", e);
    }

    @Test
    void vhostMaxConnectionsZeroAllowsNone() throws Exception {
        String v = access.vhost("lim-zero");
        access.vhostLimit(v, "max-connections", 0);

        ShutdownSignalException e = assertConnectionError(530, () -> track(guestIn(v).newConnection()));

        assertReplyText("NOT_ALLOWED - access to vhost '" + v + "' refused for user 'guest': connection limit (0)"
                + " is reached", e);
    }

    @Test
    void vhostMaxQueues() throws Exception {
        String v = access.vhost("lim-q");
        access.vhostLimit(v, "max-queues", 2);
        Channel ch = track(guestIn(v).newConnection()).createChannel();
        ch.queueDeclare("q1", false, false, false, null);
        ch.queueDeclare("", false, true, true, null);

        ch.queueDeclare("q1", false, false, false, null); // an existing one is no new queue
        ShutdownSignalException e = assertChannelError(406,
                () -> track(guestIn(v).newConnection()).createChannel().queueDeclare("q3", false, false, false, null));
        access.vhostLimit(v, "max-queues", -1);
        ch.queueDeclare("q3", false, false, false, null);

        assertReplyText("PRECONDITION_FAILED - cannot declare queue 'q3': queue limit in vhost '" + v
                + "' (2) is reached", e);
    }

    @Test
    void userMaxConnections() throws Exception {
        String u = access.user("lim-user-conn", "");
        access.permit("/", u, ".*", ".*", ".*");
        access.userLimit(u, "max-connections", 2);
        track(AccessSetup.factory(u, "/").newConnection());
        track(AccessSetup.factory(u, "/").newConnection());

        ShutdownSignalException e = assertConnectionError(530,
                () -> track(AccessSetup.factory(u, "/").newConnection()));

        assertReplyText("NOT_ALLOWED - connection refused for user '" + u + "': user connection limit (2) is reached",
                e);
    }

    @Test
    void userMaxChannels() throws Exception {
        String u = access.user("lim-user-ch", "");
        access.permit("/", u, ".*", ".*", ".*");
        access.userLimit(u, "max-channels", 2);
        Connection a = track(AccessSetup.factory(u, "/").newConnection());
        Connection b = track(AccessSetup.factory(u, "/").newConnection());
        a.createChannel();
        b.createChannel();

        // RabbitMQ counts a user's channels in tracking tables it updates asynchronously, so a
        // channel opened right after the limit is reached may still get through there (Warren
        // counts at channel.open): such a channel is closed again and the open retried.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        ShutdownSignalException e = null;
        while (e == null) {
            try {
                b.createChannel().close();
                assertTrue(System.nanoTime() < deadline, "a third channel was never refused");
                Thread.sleep(100);
            } catch (ShutdownSignalException closed) {
                e = closed;
            } catch (java.io.IOException closed) {
                e = (ShutdownSignalException) closed.getCause();
            }
        }
        assertEquals(530, ((com.rabbitmq.client.AMQP.Connection.Close) e.getReason()).getReplyCode(), e::toString);

        assertReplyText("NOT_ALLOWED - number of channels opened for user '" + u
                + "' has reached the maximum allowed user limit of (2)", e);
        assertEquals(true, a.isOpen());
    }
}
