package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users and vhosts as they change under open connections, as in RabbitMQ: vhosts keep their
 * objects apart; deleting a vhost closes its connections and takes its queues and their messages;
 * deleting a user closes its connections; a revoked permission refuses the next channel; a new
 * password replaces the old; a user without a password cannot log in by password; a user with a
 * SHA-512 hash set through the API logs in with its password.
 */
class UsersAndVhostsTest extends CompatTest {

    private AccessSetup access;

    @BeforeEach
    void setUp() {
        access = AccessSetup.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        access.close();
    }

    private Connection connectAs(String user, String vhost) throws Exception {
        return track(AccessSetup.factory(user, vhost).newConnection());
    }

    private Connection guestIn(String vhost) throws Exception {
        com.rabbitmq.client.ConnectionFactory f = factory();
        f.setVirtualHost(vhost);
        return track(f.newConnection());
    }

    @Test
    void vhostsKeepTheirObjectsAndUsersApart() throws Exception {
        String a = access.vhost("vh-a");
        String b = access.vhost("vh-b");
        String u = access.user("vh-user", "");
        access.permit(a, u, ".*", ".*", ".*");
        String q = name("vh-q");

        Channel inA = connectAs(u, a).createChannel();
        inA.queueDeclare(q, false, false, false, null);
        publishConfirmed(inA, "", q, "only in a");
        ShutdownSignalException refused = assertConnectionError(530, () -> connectAs(u, b));
        Channel guestInB = guestIn(b).createChannel();

        assertReplyText("NOT_ALLOWED - access to vhost '" + b + "' refused for user '" + u + "'", refused);
        ShutdownSignalException notFound = assertChannelError(404, () -> guestInB.queueDeclarePassive(q));
        assertReplyText("NOT_FOUND - no queue '" + q + "' in vhost '" + b + "'", notFound);
        assertEquals(1, inA.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void deletingAVhostClosesItsConnectionsAndDeletesItsQueues() throws Exception {
        String v = access.vhost("vh-del");
        String q = name("vh-del-q");
        Connection inside = guestIn(v);
        Channel ch = inside.createChannel();
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        ch.basicPublish("", q, MessageProperties.PERSISTENT_TEXT_PLAIN, "gone with the vhost".getBytes());
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        Connection outside = connect();

        access.deleteVhost(v);
        ShutdownSignalException closed = awaitClose(inside);
        access.vhost("vh-del"); // another name: the old one must stay gone
        access.expect(201, "PUT", "/api/vhosts/" + ManagementApi.encode(v), null);
        Channel again = guestIn(v).createChannel();

        assertTrue(closed.isHardError(), closed::toString);
        assertEquals(320, ((AMQP.Connection.Close) closed.getReason()).getReplyCode(), closed::toString);
        // RabbitMQ 3.10 says "is deleted" or, when its vhost supervisor stops first, "is down"
        String text = replyText(closed);
        assertTrue(text.equals("CONNECTION_FORCED - vhost '" + v + "' is deleted")
                || text.equals("CONNECTION_FORCED - vhost '" + v + "' is down"), text);
        assertTrue(outside.isOpen(), "a connection to another vhost was closed");
        assertChannelError(404, () -> again.queueDeclarePassive(q));
        access.deleteVhost(v);
    }

    @Test
    void deletingAUserClosesItsConnections() throws Exception {
        String u = access.user("del-user", "");
        access.permit("/", u, ".*", ".*", ".*");
        Connection c1 = connectAs(u, "/");
        Connection c2 = connectAs(u, "/");
        Connection other = connect();

        access.deleteUser(u);
        ShutdownSignalException e1 = awaitClose(c1);
        awaitClose(c2);

        assertEquals(320, ((AMQP.Connection.Close) e1.getReason()).getReplyCode(), e1::toString);
        assertReplyText("CONNECTION_FORCED - user '" + u + "' is deleted", e1);
        assertTrue(other.isOpen());
        assertThrows(AuthenticationFailureException.class, () -> connectAs(u, "/"));
    }

    @Test
    void aRevokedPermissionRefusesTheNextChannel() throws Exception {
        String u = access.user("revoke", "");
        access.permit("/", u, ".*", ".*", ".*");
        Connection c = connectAs(u, "/");
        String q = queueName("revoke-q");
        c.createChannel().queueDeclare(q, false, false, false, null);

        access.permit("/", u, "^$", ".*", ".*");
        ShutdownSignalException e = assertChannelError(403,
                () -> c.createChannel().queueDeclare(name("revoke-q2"), false, false, false, null));

        assertTrue(c.isOpen());
        assertTrue(replyText(e).startsWith("ACCESS_REFUSED - access to queue"), e::toString);
    }

    @Test
    void aNewPasswordReplacesTheOld() throws Exception {
        String u = access.user("pw-change", "");
        access.permit("/", u, ".*", ".*", ".*");
        Connection before = connectAs(u, "/");

        access.expect(204, "PUT", "/api/users/" + ManagementApi.encode(u), "{\"password\":\"new-pw\",\"tags\":\"\"}");
        com.rabbitmq.client.ConnectionFactory f = AccessSetup.factory(u, "/");
        f.setPassword("new-pw");

        track(f.newConnection());
        assertThrows(AuthenticationFailureException.class, () -> connectAs(u, "/"));
        assertTrue(before.isOpen(), "changing a password closed the user's connections");
    }

    @Test
    void aUserWithoutAPasswordCannotLogInByPassword() throws Exception {
        String u = CompatTest.name("no-pw");
        access.expect(201, "PUT", "/api/users/" + ManagementApi.encode(u), "{\"tags\":\"\"}");
        try {
            access.permit("/", u, ".*", ".*", ".*");
            com.rabbitmq.client.ConnectionFactory f = AccessSetup.factory(u, "/");
            f.setPassword("");

            assertThrows(AuthenticationFailureException.class, () -> track(f.newConnection()));
            f.setPassword("anything");
            assertThrows(AuthenticationFailureException.class, () -> track(f.newConnection()));
        } finally {
            access.api().call("DELETE", "/api/users/" + ManagementApi.encode(u), null);
        }
    }

    @Test
    void aSha512HashSetThroughTheApiLogsInWithItsPassword() throws Exception {
        String u = CompatTest.name("sha512");
        byte[] salt = {9, 8, 7, 6};
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(salt);
        md.update("sha512-secret".getBytes(StandardCharsets.UTF_8));
        byte[] digest = md.digest();
        byte[] saltAndHash = new byte[4 + digest.length];
        System.arraycopy(salt, 0, saltAndHash, 0, 4);
        System.arraycopy(digest, 0, saltAndHash, 4, digest.length);
        String hash = Base64.getEncoder().encodeToString(saltAndHash);
        access.expect(201, "PUT", "/api/users/" + ManagementApi.encode(u), "{\"password_hash\":\"" + hash
                + "\",\"hashing_algorithm\":\"rabbit_password_hashing_sha512\",\"tags\":\"\"}");
        try {
            access.permit("/", u, ".*", ".*", ".*");
            ManagementApi.Response shown = access.api().get("/api/users/" + ManagementApi.encode(u));
            com.rabbitmq.client.ConnectionFactory f = AccessSetup.factory(u, "/");
            f.setPassword("sha512-secret");

            assertEquals(hash, shown.object().get("password_hash"));
            assertEquals("rabbit_password_hashing_sha512", shown.object().get("hashing_algorithm"));
            assertTrue(track(f.newConnection()).isOpen());
            f.setPassword("wrong");
            assertThrows(AuthenticationFailureException.class, () -> track(f.newConnection()));
        } finally {
            access.api().call("DELETE", "/api/users/" + ManagementApi.encode(u), null);
        }
    }

    @Test
    void onlyAnImpersonatorPublishesWithAnotherUserId() throws Exception {
        String imp = access.user("impersonator", "impersonator");
        String plain = access.user("plain", "");
        access.permit("/", imp, ".*", ".*", ".*");
        access.permit("/", plain, ".*", ".*", ".*");
        String q = queueName("imp-q");
        channel().queueDeclare(q, false, false, false, null);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().userId("someone-else").build();

        Channel ch = connectAs(imp, "/").createChannel();
        ch.confirmSelect();
        ch.basicPublish("", q, props, "as someone else".getBytes());
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        Channel refused = connectAs(plain, "/").createChannel();
        refused.basicPublish("", q, props, "no".getBytes());
        ShutdownSignalException e = awaitClose(refused);

        assertEquals("someone-else", get(channel(), q, true).getProps().getUserId());
        assertReplyText("PRECONDITION_FAILED - user_id property set to 'someone-else' but authenticated user was '"
                + plain + "'", e);
    }

    /** Warren applies a change at the next check, also on a channel that was allowed before. */
    @Test
    @WarrenOnly
    void aRevokedPermissionAppliesToOpenChannelsOnWarren() throws Exception {
        String u = access.user("revoke-open", "");
        access.permit("/", u, ".*", ".*", ".*");
        String q = queueName("revoke-open-q");
        channel().queueDeclare(q, false, false, false, null);
        Channel ch = connectAs(u, "/").createChannel();
        publishConfirmed(ch, "", q, "allowed");

        access.permit("/", u, ".*", "^$", ".*");
        ch.basicPublish("", q, null, "refused".getBytes());
        ShutdownSignalException e = awaitClose(ch);

        assertReplyText("ACCESS_REFUSED - access to exchange 'amq.default' in vhost '/' refused for user '" + u + "'", e);
    }
}
