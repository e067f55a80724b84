package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users exported from RabbitMQ 3.10.8 ({@code GET /api/definitions}, the fixture
 * definitions/rabbitmq-3.10-users.json: SHA-256 users made with passwords, a SHA-512 one set by
 * its hash, one without a password, a vhost, permissions and a topic permission) are imported with
 * {@code POST /api/definitions} and log in with their original passwords, with their permissions.
 */
class DefinitionsImportTest extends CompatTest {

    private static final String FIXTURE = "/definitions/rabbitmq-3.10-users.json";
    private static final String VHOST = "defs-fixture-vh";
    private static final List<String> USERS = List.of("defs-fixture-admin", "defs-fixture-app", "defs-fixture-sha512",
            "defs-fixture-certonly");

    private ManagementApi api;

    @BeforeEach
    void setUp() {
        api = ManagementApi.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String u : USERS) {
            api.call("DELETE", "/api/users/" + u, null);
        }
        api.call("DELETE", "/api/vhosts/" + VHOST, null);
    }

    private static String fixture() throws Exception {
        try (InputStream in = DefinitionsImportTest.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private ConnectionFactory as(String user, String password) {
        ConnectionFactory f = factory();
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(VHOST);
        return f;
    }

    @Test
    void importedUsersLogInWithTheirOriginalPasswords() throws Exception {
        ManagementApi.Response imported = api.call("POST", "/api/definitions", fixture());

        assertEquals(204, imported.status(), imported::toString);
        Connection app = track(as("defs-fixture-app", "fixture-app-pw").newConnection());
        Connection sha512 = track(as("defs-fixture-sha512", "fixture-sha512-pw").newConnection());
        Connection admin = track(as("defs-fixture-admin", "fixture-admin-pw").newConnection());
        assertTrue(app.isOpen() && sha512.isOpen() && admin.isOpen());
        assertThrows(AuthenticationFailureException.class,
                () -> track(as("defs-fixture-app", "wrong").newConnection()));
        assertThrows(AuthenticationFailureException.class,
                () -> track(as("defs-fixture-certonly", "").newConnection()));
        assertEquals("{\"name\":\"defs-fixture-sha512\",\"tags\":[\"management\",\"monitoring\"]}",
                api.call("GET", "/api/whoami", null, "defs-fixture-sha512", "fixture-sha512-pw").body());
        assertEquals(List.of("administrator"), api.get("/api/users/defs-fixture-admin").object().get("tags"));
        assertEquals("rabbit_password_hashing_sha512",
                api.get("/api/users/defs-fixture-sha512").object().get("hashing_algorithm"));

        // their permissions came along: app may use only app-* names
        Channel ch = app.createChannel();
        ch.queueDeclare("app-q", false, true, true, null);
        ShutdownSignalException refused = assertChannelError(403,
                () -> app.createChannel().queueDeclare("other-q", false, true, true, null));
        assertReplyText("ACCESS_REFUSED - access to queue 'other-q' in vhost '" + VHOST
                + "' refused for user 'defs-fixture-app'", refused);
        assertEquals("[{\"user\":\"defs-fixture-app\",\"vhost\":\"" + VHOST + "\",\"exchange\":\"amq.topic\","
                + "\"write\":\"^app\\\\.\",\"read\":\"^app\\\\.\"}]",
                api.get("/api/topic-permissions/" + VHOST + "/defs-fixture-app").body());
        assertEquals(Map.of("user", "defs-fixture-sha512", "vhost", VHOST, "configure", "", "write", "",
                "read", ".*"), api.get("/api/permissions/" + VHOST + "/defs-fixture-sha512").object());
    }

    @Test
    void permissionsForUnknownUsersAreRefused() throws Exception {
        ManagementApi.Response r = api.call("POST", "/api/definitions", "{\"permissions\":[{\"user\":\""
                + name("nobody") + "\",\"vhost\":\"/\",\"configure\":\"\",\"write\":\"\",\"read\":\"\"}]}");

        assertEquals(400, r.status(), r::toString);
        assertEquals("no_such_user", ((List<?>) r.object().get("reason")).get(0));
    }

    /** Warren checks a whole file before it changes anything (RabbitMQ imports up to the bad item). */
    @Test
    @WarrenOnly
    void aFileWithABadItemIsRefusedWhole() throws Exception {
        String user = name("defs-refused");
        ManagementApi.Response queues = api.call("POST", "/api/definitions", "{\"users\":[{\"name\":\"" + user
                + "\",\"password\":\"x\",\"tags\":\"\"}],\"queues\":[{\"name\":\"q\",\"vhost\":\"/\","
                + "\"arguments\":{\"x-max-length\":-1}}]}");
        ManagementApi.Response unknown = api.call("POST", "/api/definitions", "{\"colour\":[]}");
        ManagementApi.Response emptySections = api.call("POST", "/api/definitions",
                "{\"queues\":[],\"exchanges\":[],\"bindings\":[],\"policies\":[],\"parameters\":[]}");

        assertEquals(400, queues.status());
        assertEquals("invalid arg 'x-max-length' for queue 'q' in vhost '/': {value_negative,-1}",
                queues.object().get("reason"));
        assertEquals(404, api.get("/api/users/" + user).status(), "a refused file changed something");
        assertEquals(400, unknown.status());
        assertEquals(204, emptySections.status());
    }
}
