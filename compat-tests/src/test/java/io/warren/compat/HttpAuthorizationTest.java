package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do what through the management API, by RabbitMQ's tag rules: no management tag, no
 * API; management sees only vhosts it has permissions in and only its own connections;
 * monitoring sees everything but changes only what its AMQP permissions allow, and closes only
 * its own connections. Users are created through the API itself, on both brokers.
 */
class HttpAuthorizationTest extends CompatTest {

    private static final String PASSWORD = "secret";

    private ManagementApi api;
    private final List<String> users = new ArrayList<>();

    @BeforeEach
    void api() {
        api = ManagementApi.underTest();
    }

    @AfterEach
    void deleteUsers() throws Exception {
        for (String u : users) {
            api.call("DELETE", "/api/users/" + ManagementApi.encode(u), null);
        }
        users.clear();
    }

    /** A user with {@code tag} (or none) and, unless null, these permissions on vhost "/". */
    private String user(String prefix, String tag, String configure, String write, String read) throws Exception {
        String name = name(prefix);
        users.add(name);
        String path = "/api/users/" + ManagementApi.encode(name);
        assertEquals(201, api.call("PUT", path, "{\"password\":\"" + PASSWORD + "\",\"tags\":\"" + tag + "\"}")
                .status());
        if (configure != null) {
            assertEquals(201, api.call("PUT", "/api/permissions/%2F/" + ManagementApi.encode(name),
                    "{\"configure\":\"" + configure + "\",\"write\":\"" + write + "\",\"read\":\"" + read + "\"}")
                    .status());
        }
        return name;
    }

    private ManagementApi.Response as(String user, String method, String path) throws Exception {
        return api.call(method, path, null, user, PASSWORD);
    }

    private static String error(String error, String reason) {
        return "{\"error\":\"" + error + "\",\"reason\":\"" + reason + "\"}";
    }

    private static String queuePath(String queue) {
        return "/api/queues/%2F/" + ManagementApi.encode(queue);
    }

    @Test
    void noManagementTagNoApi() throws Exception {
        String plain = user("http-plain", "", ".*", ".*", ".*");

        ManagementApi.Response r = as(plain, "GET", "/api/overview");
        ManagementApi.Response wrongPassword = api.call("GET", "/api/overview", null, plain, "wrong");

        assertEquals(401, r.status());
        assertEquals(error("not_authorised", "Not management user"), r.body());
        assertEquals(401, wrongPassword.status());
        assertEquals(error("not_authorized", "Login failed"), wrongPassword.body());
    }

    @Test
    void monitoringUserChangesOnlyWhatItsPermissionsAllow() throws Exception {
        String mon = user("http-mon", "monitoring", "", ".*", ".*");
        String q = queueName("http-mon-q");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a");

        ManagementApi.Response delete = as(mon, "DELETE", queuePath(q));
        ManagementApi.Response declare = as(mon, "PUT", "/api/queues/%2F/" + name("http-mon-new"));

        assertEquals(401, delete.status(), delete::toString);
        assertEquals(error("not_authorised", "Access refused."), delete.body());
        assertTrue(queueExists(q), "a monitoring user without configure permission deleted the queue");
        assertEquals(401, declare.status(), declare::toString);
        // Reading the queue is what its read permission allows: purge is allowed.
        assertEquals(204, as(mon, "DELETE", queuePath(q) + "/contents").status());
        assertEquals(0, messageCount(q));
    }

    @Test
    void monitoringSeesEveryConnectionButClosesNoneOfOthers() throws Exception {
        String mon = user("http-mon2", "monitoring", "", ".*", ".*");
        String mgmt = user("http-mgmt", "management", ".*", ".*", ".*");
        String label = name("http-conn");
        ConnectionFactory f = factory();
        f.setClientProperties(new java.util.HashMap<>(Map.of("connection_name", label)));
        Connection guestConnection = track(f.newConnection());

        String connectionName = awaitConnection(label, "guest", "guest");
        String path = "/api/connections/" + ManagementApi.encode(connectionName);

        assertTrue(listsConnection(label, mon, PASSWORD), "monitoring does not see other users' connections");
        assertFalse(listsConnection(label, mgmt, PASSWORD), "management sees other users' connections");
        assertEquals(200, as(mon, "GET", path).status());
        ManagementApi.Response other = as(mgmt, "GET", path);
        assertEquals(401, other.status(), other::toString);
        assertEquals(error("not_authorised", "User not authorised to access object"), other.body());
        ManagementApi.Response close = as(mon, "DELETE", path);
        assertEquals(401, close.status(), close::toString);
        assertEquals(error("not_authorised", "User not authorised to access object"), close.body());
        assertTrue(guestConnection.isOpen(), "a monitoring user closed another user's connection");
    }

    @Test
    void managementUserClosesItsOwnConnection() throws Exception {
        String mgmt = user("http-mgmt2", "management", ".*", ".*", ".*");
        String label = name("http-own");
        ConnectionFactory f = factory();
        f.setUsername(mgmt);
        f.setPassword(PASSWORD);
        f.setClientProperties(new java.util.HashMap<>(Map.of("connection_name", label)));
        Connection own = track(f.newConnection());

        String connectionName = awaitConnection(label, mgmt, PASSWORD);
        ManagementApi.Response close = as(mgmt, "DELETE", "/api/connections/" + ManagementApi.encode(connectionName));

        assertEquals(204, close.status(), close::toString);
        awaitClose(own);
    }

    @Test
    void managementUserSeesOnlyVhostsItHasPermissionsIn() throws Exception {
        String outsider = user("http-outsider", "management", null, null, null);
        String insider = user("http-insider", "management", "", "", "");
        String q = queueName("http-vh-q");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Response outsiderList = as(outsider, "GET", "/api/queues");
        ManagementApi.Response outsiderQueue = as(outsider, "GET", queuePath(q));
        ManagementApi.Response outsiderVhosts = as(outsider, "GET", "/api/vhosts");

        assertEquals(200, outsiderList.status());
        assertTrue(outsiderList.list().stream().noneMatch(m -> q.equals(m.get("name"))), outsiderList::toString);
        assertEquals(401, outsiderQueue.status());
        assertEquals(error("not_authorised", "User not authorised to access virtual host"), outsiderQueue.body());
        assertTrue(outsiderVhosts.list().stream().noneMatch(m -> "/".equals(m.get("name"))), outsiderVhosts::toString);
        assertEquals("{\"name\":\"" + outsider + "\",\"tags\":[\"management\"]}",
                as(outsider, "GET", "/api/whoami").body());
        Map<?, ?> totals = (Map<?, ?>) as(outsider, "GET", "/api/overview").object().get("object_totals");
        assertEquals(0L, totals.get("queues"), "the overview counts queues of a vhost the user cannot use");
        assertEquals(0L, totals.get("exchanges"), totals::toString);
        assertEquals(0L, totals.get("connections"), "the overview counts other users' connections");
        // Any permission entry, even an empty one, lets it see the vhost's objects.
        assertTrue(as(insider, "GET", "/api/queues").list().stream().anyMatch(m -> q.equals(m.get("name"))));
        assertEquals(200, as(insider, "GET", queuePath(q)).status());
        // ...but not change them.
        assertEquals(401, as(insider, "DELETE", queuePath(q)).status());
        assertTrue(queueExists(q));
    }

    /**
     * RabbitMQ checks the default exchange ("" on the wire) as {@code amq.default}, so the
     * pattern its documentation gives for it grants publishing through it, over AMQP and the API.
     */
    @Test
    void defaultExchangeIsCheckedAsAmqDefault() throws Exception {
        String u = user("perm-dx", "management", ".*", "^(amq[.]default|aliveness-test)$", ".*");
        String q = queueName("perm-dx-q");
        channel().queueDeclare(q, false, false, false, null);
        ConnectionFactory f = factory();
        f.setUsername(u);
        f.setPassword(PASSWORD);
        Channel ch = track(f.newConnection()).createChannel();

        publishConfirmed(ch, "", q, "over amqp");
        ManagementApi.Response publish = api.call("POST", "/api/exchanges/%2F/amq.default/publish",
                publishBody(q), u, PASSWORD);
        ManagementApi.Response aliveness = as(u, "GET", "/api/aliveness-test/%2F");

        assertEquals(2, messageCount(q));
        assertEquals(200, publish.status(), publish::toString);
        assertEquals("{\"routed\":true}", publish.body());
        assertEquals(200, aliveness.status(), aliveness::toString);
    }

    @Test
    void defaultExchangeRefusalNamesAmqDefault() throws Exception {
        String u = user("perm-dx-no", "management", ".*", "^(app-|aliveness-test)$", ".*");
        String q = queueName("perm-dx-no-q");
        channel().queueDeclare(q, false, false, false, null);
        ConnectionFactory f = factory();
        f.setUsername(u);
        f.setPassword(PASSWORD);
        Channel ch = track(f.newConnection()).createChannel();
        String refusal = "ACCESS_REFUSED - access to exchange 'amq.default' in vhost '/' refused for user '" + u + "'";

        ch.basicPublish("", q, null, bytes("refused"));
        assertReplyText(refusal, awaitClose(ch));
        ManagementApi.Response publish = api.call("POST", "/api/exchanges/%2F/amq.default/publish",
                publishBody(q), u, PASSWORD);
        ManagementApi.Response aliveness = as(u, "GET", "/api/aliveness-test/%2F");

        assertEquals(0, messageCount(q));
        assertEquals(400, publish.status(), publish::toString);
        assertEquals(error("bad_request", "403 " + refusal), publish.body());
        assertEquals(401, aliveness.status(), aliveness::toString);
        assertEquals(error("not_authorised", refusal), aliveness.body());
    }

    private static String publishBody(String routingKey) {
        return "{\"properties\":{},\"routing_key\":\"" + routingKey
                + "\",\"payload\":\"over http\",\"payload_encoding\":\"string\"}";
    }

    private boolean listsConnection(String label, String user, String password) throws Exception {
        for (Map<String, Object> c : api.call("GET", "/api/connections", null, user, password).list()) {
            Object props = c.get("client_properties");
            if (props instanceof Map<?, ?> m && label.equals(m.get("connection_name"))) {
                return true;
            }
        }
        return false;
    }

    /** The API's name of the connection labelled {@code label} (RabbitMQ lists it with a delay). */
    private String awaitConnection(String label, String user, String password) throws Exception {
        String[] found = new String[1];
        eventually("connection " + label + " listed", () -> {
            for (Map<String, Object> c : api.call("GET", "/api/connections", null, user, password).list()) {
                Object props = c.get("client_properties");
                if (props instanceof Map<?, ?> m && label.equals(m.get("connection_name"))) {
                    found[0] = (String) c.get("name");
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
