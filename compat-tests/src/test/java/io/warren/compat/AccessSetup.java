package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Users, vhosts, permissions and limits made for a test through the management HTTP API, which
 * Warren and RabbitMQ both have, and deleted afterwards ({@link #close}): the same set-up on
 * either broker. Names are unique, so tests never meet each other's users on a shared RabbitMQ.
 */
final class AccessSetup implements AutoCloseable {

    static final String PASSWORD = "access-pw";

    private final ManagementApi api;
    private final List<String> users = new ArrayList<>();
    private final List<String> vhosts = new ArrayList<>();

    AccessSetup(ManagementApi api) {
        this.api = api;
    }

    static AccessSetup underTest() {
        return new AccessSetup(ManagementApi.underTest());
    }

    ManagementApi api() {
        return api;
    }

    /** A new user with {@link #PASSWORD} and these tags (comma-separated, "" for none). */
    String user(String prefix, String tags) throws Exception {
        String name = CompatTest.name(prefix);
        users.add(name);
        expect(201, "PUT", "/api/users/" + ManagementApi.encode(name),
                "{\"password\":\"" + PASSWORD + "\",\"tags\":\"" + tags + "\"}");
        return name;
    }

    /** A new vhost (the API's user, guest, gets all permissions there, as on RabbitMQ). */
    String vhost(String prefix) throws Exception {
        String name = CompatTest.name(prefix);
        vhosts.add(name);
        expect(201, "PUT", "/api/vhosts/" + ManagementApi.encode(name), null);
        return name;
    }

    void permit(String vhost, String user, String configure, String write, String read) throws Exception {
        ManagementApi.Response r = api.call("PUT", permissionPath(vhost, user), "{\"configure\":" + json(configure)
                + ",\"write\":" + json(write) + ",\"read\":" + json(read) + "}");
        assertTrue(r.status() == 201 || r.status() == 204, r::toString);
    }

    void revoke(String vhost, String user) throws Exception {
        expect(204, "DELETE", permissionPath(vhost, user), null);
    }

    void topicPermit(String vhost, String user, String exchange, String write, String read) throws Exception {
        ManagementApi.Response r = api.call("PUT", "/api/topic-permissions/" + ManagementApi.encode(vhost) + "/"
                + ManagementApi.encode(user), "{\"exchange\":" + json(exchange) + ",\"write\":" + json(write)
                + ",\"read\":" + json(read) + "}");
        assertTrue(r.status() == 201 || r.status() == 204, r::toString);
    }

    void vhostLimit(String vhost, String limit, long value) throws Exception {
        expect(204, "PUT", "/api/vhost-limits/" + ManagementApi.encode(vhost) + "/" + limit,
                "{\"value\":" + value + "}");
    }

    void userLimit(String user, String limit, long value) throws Exception {
        expect(204, "PUT", "/api/user-limits/" + ManagementApi.encode(user) + "/" + limit,
                "{\"value\":" + value + "}");
    }

    void deleteUser(String user) throws Exception {
        expect(204, "DELETE", "/api/users/" + ManagementApi.encode(user), null);
        users.remove(user);
    }

    void deleteVhost(String vhost) throws Exception {
        expect(204, "DELETE", "/api/vhosts/" + ManagementApi.encode(vhost), null);
        vhosts.remove(vhost);
    }

    /** Connections as {@code user} (with {@link #PASSWORD}) to {@code vhost}. */
    static ConnectionFactory factory(String user, String vhost) {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setUsername(user);
        f.setPassword(PASSWORD);
        f.setVirtualHost(vhost);
        return f;
    }

    static String permissionPath(String vhost, String user) {
        return "/api/permissions/" + ManagementApi.encode(vhost) + "/" + ManagementApi.encode(user);
    }

    ManagementApi.Response expect(int status, String method, String path, String body) throws Exception {
        ManagementApi.Response r = api.call(method, path, body);
        assertTrue(r.status() == status, () -> method + " " + path + ": expected " + status + ", got " + r);
        return r;
    }

    /** A JSON string literal. */
    static String json(String s) {
        return io.warren.broker.http.Json.write(s);
    }

    @Override
    public void close() throws Exception {
        for (String u : users) {
            api.call("DELETE", "/api/users/" + ManagementApi.encode(u), null);
        }
        for (String v : vhosts) {
            api.call("DELETE", "/api/vhosts/" + ManagementApi.encode(v), null);
        }
        users.clear();
        vhosts.clear();
    }
}
