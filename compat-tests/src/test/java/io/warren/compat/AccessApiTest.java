package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.http.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API for users, vhosts, permissions, topic permissions and limits: RabbitMQ 3.10's
 * paths, JSON fields, status codes and error bodies, which scripts and the {@code warren} CLI
 * depend on.
 */
class AccessApiTest extends CompatTest {

    private AccessSetup access;
    private ManagementApi api;

    @BeforeEach
    void setUp() {
        access = AccessSetup.underTest();
        api = access.api();
    }

    @AfterEach
    void tearDown() throws Exception {
        access.close();
    }

    private static String user(String u) {
        return "/api/users/" + ManagementApi.encode(u);
    }

    private static String error(String error, String reason) {
        return "{\"error\":\"" + error + "\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void usersAreCreatedShownChangedAndDeleted() throws Exception {
        String u = access.user("api-user", "management,monitoring");

        Map<String, Object> shown = api.get(user(u)).object();
        ManagementApi.Response update = api.call("PUT", user(u), "{\"password\":\"x2\",\"tags\":[\"administrator\"]}");
        Map<String, Object> updated = api.get(user(u)).object();
        List<Map<String, Object>> all = api.get("/api/users").list();

        assertEquals(u, shown.get("name"));
        assertEquals(List.of("management", "monitoring"), shown.get("tags"));
        assertEquals("rabbit_password_hashing_sha256", shown.get("hashing_algorithm"));
        assertEquals(48, ((String) shown.get("password_hash")).length(), "4 salt bytes and a SHA-256, base64");
        assertEquals(Map.of(), shown.get("limits"));
        assertEquals(204, update.status());
        assertEquals(List.of("administrator"), updated.get("tags"));
        assertTrue(all.stream().anyMatch(m -> u.equals(m.get("name"))));
        assertEquals(204, api.call("DELETE", user(u), null).status());
        ManagementApi.Response gone = api.get(user(u));
        assertEquals(404, gone.status());
        assertEquals(error("Object Not Found", "Not Found"), gone.body());
        assertEquals(404, api.call("DELETE", user(u), null).status());
    }

    @Test
    void aUserPutIsCheckedAsRabbitMqChecksIt() throws Exception {
        String u = CompatTest.name("api-bad");

        ManagementApi.Response noTags = api.call("PUT", user(u), "{\"password\":\"x\"}");
        ManagementApi.Response both = api.call("PUT", user(u),
                "{\"password\":\"x\",\"password_hash\":\"abcd\",\"tags\":\"\"}");
        ManagementApi.Response notBase64 = api.call("PUT", user(u), "{\"password_hash\":\"not base64!\",\"tags\":\"\"}");
        ManagementApi.Response notJson = api.call("PUT", user(u), "{");

        assertEquals(400, noTags.status());
        assertEquals(error("bad_request", "tags_not_present"), noTags.body());
        assertEquals(error("bad_request", "both_password_and_password_hash_are_provided"), both.body());
        assertEquals("{\"error\":\"bad_request\",\"reason\":[\"not_base64\",\"not base64!\"]}", notBase64.body());
        assertEquals(error("bad_request", "not_json"), notJson.body());
        assertEquals(404, api.get(user(u)).status());
    }

    @Test
    void aPutWithoutPasswordClearsTheExistingOne() throws Exception {
        String u = access.user("api-clear", "management");
        assertEquals(200, api.call("GET", "/api/whoami", null, u, AccessSetup.PASSWORD).status());

        access.expect(204, "PUT", user(u), "{\"tags\":\"management\"}");

        assertEquals("", api.get(user(u)).object().get("password_hash"));
        ManagementApi.Response login = api.call("GET", "/api/whoami", null, u, AccessSetup.PASSWORD);
        assertEquals(401, login.status());
        assertEquals(error("not_authorized", "Login failed"), login.body());
    }

    @Test
    void usersWithoutPermissionsAndBulkDelete() throws Exception {
        String with = access.user("api-with", "");
        String without = access.user("api-without", "");
        access.permit("/", with, ".*", ".*", ".*");
        String other = access.user("api-other", "");

        List<Map<String, Object>> list = api.get("/api/users/without-permissions").list();
        ManagementApi.Response bulk = api.call("POST", "/api/users/bulk-delete",
                "{\"users\":[\"" + without + "\",\"" + other + "\"]}");
        ManagementApi.Response unknown = api.call("POST", "/api/users/bulk-delete",
                "{\"users\":[\"" + CompatTest.name("nobody") + "\"]}");

        assertTrue(list.stream().anyMatch(m -> without.equals(m.get("name"))));
        assertTrue(list.stream().noneMatch(m -> with.equals(m.get("name"))));
        assertEquals(204, bulk.status());
        assertEquals(404, api.get(user(without)).status());
        assertEquals(404, api.get(user(other)).status());
        assertEquals(400, unknown.status());
        assertEquals("no_such_user", ((List<?>) unknown.object().get("reason")).get(0));
    }

    @Test
    void permissionsArePutShownAndDeleted() throws Exception {
        String v = access.vhost("api-perm");
        String u = access.user("api-perm", "");
        String path = AccessSetup.permissionPath(v, u);

        ManagementApi.Response created = api.call("PUT", path, "{\"configure\":\"^c\",\"write\":\"^w\",\"read\":\"^r\"}");
        ManagementApi.Response changed = api.call("PUT", path, "{\"configure\":\"^c\",\"write\":\"^w\",\"read\":\".*\"}");
        Map<String, Object> one = api.get(path).object();
        List<Map<String, Object>> ofUser = api.get(user(u) + "/permissions").list();
        List<Map<String, Object>> ofVhost = api.get("/api/vhosts/" + ManagementApi.encode(v) + "/permissions").list();
        ManagementApi.Response missingKeys = api.call("PUT", path, "{\"configure\":\".*\"}");
        ManagementApi.Response noVhost = api.call("PUT", AccessSetup.permissionPath(CompatTest.name("novh"), u),
                "{\"configure\":\"\",\"write\":\"\",\"read\":\"\"}");

        assertEquals(201, created.status());
        assertEquals(204, changed.status());
        assertEquals("{\"user\":\"" + u + "\",\"vhost\":\"" + v + "\",\"configure\":\"^c\",\"write\":\"^w\","
                + "\"read\":\".*\"}", api.get(path).body());
        assertEquals(".*", one.get("read"));
        assertEquals(List.of(one), ofUser);
        // guest got all permissions when it created the vhost, as RabbitMQ grants them
        assertTrue(ofVhost.stream().anyMatch(m -> "guest".equals(m.get("user")) && ".*".equals(m.get("configure"))));
        assertTrue(ofVhost.stream().anyMatch(m -> u.equals(m.get("user"))));
        assertEquals(error("bad_request", "[{key_missing,write},{key_missing,read}]"), missingKeys.body());
        assertEquals(error("bad_request", "vhost_or_user_not_found"), noVhost.body());
        assertEquals(204, api.call("DELETE", path, null).status());
        assertEquals(404, api.get(path).status());
        assertEquals(404, api.call("DELETE", path, null).status());
    }

    @Test
    void topicPermissionsArePutShownAndDeleted() throws Exception {
        String v = access.vhost("api-topic");
        String u = access.user("api-topic", "");
        String path = "/api/topic-permissions/" + ManagementApi.encode(v) + "/" + ManagementApi.encode(u);

        ManagementApi.Response created = api.call("PUT", path, "{\"exchange\":\"amq.topic\",\"write\":\"^a\",\"read\":\"^b\"}");
        ManagementApi.Response changed = api.call("PUT", path, "{\"exchange\":\"amq.topic\",\"write\":\"^a\",\"read\":\"^c\"}");
        ManagementApi.Response second = api.call("PUT", path, "{\"exchange\":\"other\",\"write\":\"\",\"read\":\"\"}");
        ManagementApi.Response missing = api.call("PUT", path, "{\"write\":\"\",\"read\":\"\"}");

        assertEquals(201, created.status());
        assertEquals(204, changed.status());
        assertEquals(204, second.status(), "RabbitMQ answers 201 only for the first topic permission in a vhost");
        assertEquals(error("bad_request", "[{key_missing,exchange}]"), missing.body());
        // in no particular order (RabbitMQ's varies)
        assertEquals(java.util.Set.of(
                Map.of("user", u, "vhost", v, "exchange", "amq.topic", "write", "^a", "read", "^c"),
                Map.of("user", u, "vhost", v, "exchange", "other", "write", "", "read", "")),
                new java.util.HashSet<>(api.get(path).list()));
        assertEquals("{\"user\":\"" + u + "\",\"vhost\":\"" + v + "\",\"exchange\":\"amq.topic\",\"write\":\"^a\","
                + "\"read\":\"^c\"}", Json.write(api.get(path).list().stream()
                .filter(m -> "amq.topic".equals(m.get("exchange"))).findFirst().orElseThrow()));
        assertEquals(2, api.get(user(u) + "/topic-permissions").list().size());
        assertEquals(2, api.get("/api/vhosts/" + ManagementApi.encode(v) + "/topic-permissions").list().size());
        assertEquals(204, api.call("DELETE", path, null).status());
        assertEquals(404, api.get(path).status());
    }

    @Test
    void vhostsAreCreatedShownAndDeleted() throws Exception {
        String v = CompatTest.name("api-vh");
        String path = "/api/vhosts/" + ManagementApi.encode(v);
        try {
            ManagementApi.Response created = api.call("PUT", path, "{\"description\":\"d\",\"tags\":\"a,b\"}");
            Map<String, Object> shown = api.get(path).object();
            ManagementApi.Response again = api.call("PUT", path, "{\"description\":\"new\"}");

            assertEquals(201, created.status());
            assertEquals("d", shown.get("description"));
            assertEquals(List.of("a", "b"), shown.get("tags"));
            assertEquals(Map.of("description", "d", "tags", List.of("a", "b")), shown.get("metadata"));
            assertEquals(false, shown.get("tracing"));
            assertEquals(204, again.status());
            assertEquals("new", api.get(path).object().get("description"));
            assertEquals(List.of(), api.get(path).object().get("tags"));
            assertTrue(api.get("/api/vhosts").list().stream().anyMatch(m -> v.equals(m.get("name"))));
        } finally {
            assertEquals(204, api.call("DELETE", path, null).status());
        }
        assertEquals(404, api.get(path).status());
        assertEquals(404, api.call("DELETE", path, null).status());
    }

    @Test
    void limitsAreSetShownAndCleared() throws Exception {
        String v = access.vhost("api-lim");
        String u = access.user("api-lim", "");
        String vpath = "/api/vhost-limits/" + ManagementApi.encode(v);
        String upath = "/api/user-limits/" + ManagementApi.encode(u);

        access.vhostLimit(v, "max-connections", 5);
        access.vhostLimit(v, "max-queues", 7);
        access.userLimit(u, "max-channels", 3);
        ManagementApi.Response badName = api.call("PUT", vpath + "/max-foo", "{\"value\":2}");
        ManagementApi.Response badValue = api.call("PUT", vpath + "/max-queues", "{\"value\":\"x\"}");
        ManagementApi.Response noValue = api.call("PUT", vpath + "/max-queues", "{}");
        ManagementApi.Response badUserLimit = api.call("PUT", upath + "/max-x", "{\"value\":3}");
        ManagementApi.Response noUser = api.call("PUT", "/api/user-limits/" + CompatTest.name("nobody")
                + "/max-channels", "{\"value\":3}");

        assertEquals(List.of(Map.of("vhost", v, "value", Map.of("max-connections", 5L, "max-queues", 7L))),
                api.get(vpath).list());
        assertTrue(api.get("/api/vhost-limits").list().stream().anyMatch(m -> v.equals(m.get("vhost"))));
        assertEquals(List.of(Map.of("user", u, "value", Map.of("max-channels", 3L))), api.get(upath).list());
        assertEquals(Map.of("max-channels", 3L), api.get(user(u)).object().get("limits"));
        assertEquals(400, badName.status());
        assertEquals("Validation failed\n\nUnrecognised terms [{<<\"max-foo\">>,2}] in limits\n",
                badName.object().get("reason"));
        assertEquals("Validation failed\n\nmax-queues should be a number, actually was <<\"x\">>\n",
                badValue.object().get("reason"));
        assertEquals(error("bad_request", "[{key_missing,value}]"), noValue.body());
        assertEquals("Unrecognised terms [{<<\"max-x\">>,3}] in user-limits", badUserLimit.object().get("reason"));
        assertEquals(400, noUser.status());
        assertEquals("no_such_user", ((List<?>) noUser.object().get("reason")).get(0));
        assertEquals(204, api.call("DELETE", vpath + "/max-connections", null).status());
        assertEquals(List.of(Map.of("vhost", v, "value", Map.of("max-queues", 7L))), api.get(vpath).list());
        assertEquals(204, api.call("DELETE", upath + "/max-channels", null).status());
        assertEquals(List.of(), api.get(upath).list());
    }

    @Test
    void onlyAdministratorsManageUsersVhostsAndPermissions() throws Exception {
        String m = access.user("api-mgmt", "management,monitoring");
        String notAdmin = error("not_authorised", "Not administrator user");

        for (String[] call : new String[][] {
            {"GET", "/api/users"}, {"GET", user(m)}, {"PUT", user(CompatTest.name("x"))},
            {"DELETE", user("guest")}, {"GET", "/api/permissions"}, {"GET", "/api/topic-permissions"},
            {"GET", "/api/users/without-permissions"}, {"PUT", "/api/vhosts/" + CompatTest.name("x")},
            {"DELETE", "/api/vhosts/%2F"}, {"GET", "/api/permissions/%2F/guest"},
            {"PUT", "/api/vhost-limits/%2F/max-queues"}}) {
            ManagementApi.Response r = api.call(call[0], call[1], call[0].equals("PUT") ? "{\"value\":1,\"tags\":\"\"}" : null,
                    m, AccessSetup.PASSWORD);
            assertEquals(401, r.status(), () -> call[0] + " " + call[1] + ": " + r);
            assertEquals(notAdmin, r.body(), () -> call[0] + " " + call[1]);
        }
        assertEquals("{\"name\":\"" + m + "\",\"tags\":[\"management\",\"monitoring\"]}",
                api.call("GET", "/api/whoami", null, m, AccessSetup.PASSWORD).body());
        assertEquals(200, api.call("GET", "/api/vhosts", null, m, AccessSetup.PASSWORD).status());
    }
}
