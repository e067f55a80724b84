package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.http.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Definitions travel between RabbitMQ and Warren in RabbitMQ's format. The fixture
 * (definitions/rabbitmq-3.10-fixture.json) was exported from RabbitMQ 3.10.8 with
 * {@code GET /api/definitions}: a vhost "fixture" with classic and quorum queues (durable, with
 * x-arguments, one transient), exchanges of every type (one with an alternate-exchange argument,
 * one internal, one transient), exchange-to-queue and exchange-to-exchange bindings (one with
 * headers arguments), policies (one naming an alternate exchange), an operator policy, users,
 * permissions, a topic permission and global parameters.
 */
class DefinitionsTest extends CompatTest {

    private static final String FIXTURE = "/definitions/rabbitmq-3.10-fixture.json";
    /** A RabbitMQ's management API to import Warren's export into (Warren → RabbitMQ test). */
    private static final String RABBITMQ_HTTP_PROPERTY = "warren.compat.rabbitmq.http";
    private static final String VHOST = "fixture";
    private static final List<String> SECTIONS = List.of("users", "vhosts", "permissions", "topic_permissions",
            "parameters", "global_parameters", "policies", "queues", "exchanges", "bindings");

    private ManagementApi api;

    @BeforeEach
    void setUp() {
        api = ManagementApi.underTest();
    }

    @AfterEach
    void tearDown() throws Exception {
        cleanUp(api);
    }

    private static void cleanUp(ManagementApi at) throws Exception {
        at.call("DELETE", "/api/vhosts/" + VHOST, null);
        at.call("DELETE", "/api/vhosts/fixture-copy", null);
        at.call("DELETE", "/api/users/alice", null);
        at.call("DELETE", "/api/users/bob", null);
    }

    static String fixture() throws Exception {
        try (InputStream in = DefinitionsTest.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ConnectionFactory in(ConnectionFactory f, String vhost) {
        f.setVirtualHost(vhost);
        return f;
    }

    @Test
    void rabbitMqExportImportsWithItsPoliciesInEffect() throws Exception {
        ManagementApi.Response imported = api.call("POST", "/api/definitions", fixture());
        assertEquals(204, imported.status(), imported::toString);

        assertFixtureInEffect(api, factory(), VHOST);
        Connection alice = track(in(as("alice", "alice-pw"), VHOST).newConnection());
        assertTrue(alice.isOpen());
        assertEquals(Map.of("user", "bob", "vhost", VHOST, "exchange", "amq.topic", "write", "^bob\\.", "read", ".*"),
                api.get("/api/topic-permissions/" + VHOST + "/bob").list().get(0));
    }

    private ConnectionFactory as(String user, String password) {
        ConnectionFactory f = factory();
        f.setUsername(user);
        f.setPassword(password);
        return f;
    }

    /** The fixture's objects exist in {@code vhost}, and its policies act on them. */
    private void assertFixtureInEffect(ManagementApi at, ConnectionFactory amqp, String vhost) throws Exception {
        assertEquals(Map.of("x-dead-letter-exchange", "ae", "x-dead-letter-routing-key", "dead", "x-max-length", 100L,
                "x-max-priority", 5L, "x-message-ttl", 60000L, "x-overflow", "reject-publish"),
                at.get("/api/queues/" + vhost + "/q.args").object().get("arguments"));
        assertEquals("quorum", at.get("/api/queues/" + vhost + "/q.quorum").object().get("type"));
        assertEquals(Map.of("alternate-exchange", "ae"),
                at.get("/api/exchanges/" + vhost + "/fx.direct").object().get("arguments"));
        assertEquals(true, at.get("/api/exchanges/" + vhost + "/fx.headers").object().get("internal"));
        List<Map<String, Object>> bindings = at.get("/api/bindings/" + vhost).list();
        assertTrue(bindings.stream().anyMatch(b -> "fx.topic".equals(b.get("source"))
                && "fx.direct".equals(b.get("destination")) && "exchange".equals(b.get("destination_type"))
                && "a.*.c".equals(b.get("routing_key"))), bindings::toString);
        assertTrue(bindings.stream().anyMatch(b -> "fx.headers".equals(b.get("source"))
                && Map.of("x-match", "any", "color", "red").equals(b.get("arguments"))), bindings::toString);
        eventually("q.policy shows its policy and operator policy", () -> {
            Map<String, Object> q = at.get("/api/queues/" + vhost + "/q.policy").object();
            return "pol.queues".equals(q.get("policy")) && "op.cap".equals(q.get("operator_policy"));
        });
        assertEquals(Map.of("dead-letter-exchange", "ae", "max-length", 40L, "message-ttl", 20000L,
                "overflow", "drop-head"),
                at.get("/api/queues/" + vhost + "/q.policy").object().get("effective_policy_definition"));
        assertEquals("pol.ae", at.get("/api/exchanges/" + vhost + "/fx.policy-ae").object().get("policy"));
        try (Connection c = in(amqp, vhost).newConnection()) {
            Channel ch = c.createChannel();
            ch.queuePurge("q.ae");
            // unroutable on fx.policy-ae: its policy's alternate exchange "ae" takes it to q.ae
            publishConfirmed(ch, "fx.policy-ae", "no-such-key", "stray");
            // routed through fx.topic -> fx.direct (e2e), unroutable there -> its argument's AE
            publishConfirmed(ch, "fx.topic", "a.b.c", "via-e2e");
            assertEquals(List.of("stray", "via-e2e"), drain(ch, "q.ae"));
        }
    }

    @Test
    void aVhostExportImportsIntoAnotherVhost() throws Exception {
        assertEquals(204, api.call("POST", "/api/definitions", fixture()).status());
        Map<String, Object> export = api.get("/api/definitions/" + VHOST).object();
        assertEquals(Map.of("name", "q.plain", "durable", true, "auto_delete", false, "arguments", Map.of()),
                ((List<?>) export.get("queues")).stream().filter(q -> "q.plain".equals(((Map<?, ?>) q).get("name")))
                        .findFirst().orElseThrow());
        assertEquals(201, api.call("PUT", "/api/vhosts/fixture-copy", "{}").status());
        assertEquals(204, api.call("PUT", "/api/permissions/fixture-copy/guest",
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").status());

        ManagementApi.Response imported = api.call("POST", "/api/definitions/fixture-copy", Json.write(export));

        assertEquals(204, imported.status(), imported::toString);
        assertFixtureInEffect(api, factory(), "fixture-copy");
        assertEquals(400, api.get("/api/definitions/no-such-vhost").status());
    }

    @Test
    void aParameterOfAComponentWithoutItsPluginIsRefused() throws Exception {
        ManagementApi.Response refused = api.call("POST", "/api/definitions", withShovel());
        assertEquals(400, refused.status(), refused::toString);
        assertEquals("Validation failed\n\ncomponent shovel not found\n (fixture/shovel/op.cap)",
                refused.object().get("reason"));
    }

    private static String withShovel() throws Exception {
        return fixture().replace("\"component\": \"operator_policy\"", "\"component\": \"shovel\"");
    }

    /** RabbitMQ imports what comes before the bad parameter; Warren checks the whole file first. */
    @WarrenOnly
    @Test
    void aRefusedFileChangesNothing() throws Exception {
        assertEquals(400, api.call("POST", "/api/definitions", withShovel()).status());
        assertEquals(404, api.get("/api/vhosts/" + VHOST).status());
        assertEquals(404, api.get("/api/users/alice").status());
    }

    // ---- Warren -> Warren, Warren -> RabbitMQ --------------------------------------------------

    /** A Warren of its own, with an HTTP API, the fixture imported: all kinds of objects. */
    private static Broker warrenWithFixture() throws Exception {
        Broker w = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().httpPort(0));
        ManagementApi.Response r = ManagementApi.at("http://localhost:" + w.httpPort())
                .call("POST", "/api/definitions", fixture());
        assertEquals(204, r.status(), r::toString);
        return w;
    }

    @WarrenOnly
    @Test
    void aFreshWarrenLoadsAnotherWarrensExportAtStartAndByPost() throws Exception {
        Path file = Files.createTempFile("warren-definitions-", ".json");
        try (Broker source = warrenWithFixture()) {
            ManagementApi from = ManagementApi.at("http://localhost:" + source.httpPort());
            assertEquals(204, from.call("PUT", "/api/vhost-limits/" + VHOST + "/max-queues", "{\"value\":50}").status());
            Map<String, Object> exported = from.get("/api/definitions").object();
            Files.writeString(file, Json.write(exported));

            try (Broker loaded = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().httpPort(0)
                    .loadDefinitions(file))) {
                ManagementApi at = ManagementApi.at("http://localhost:" + loaded.httpPort());
                assertSameDefinitions(exported, at.get("/api/definitions").object());
                assertFixtureInEffect(at, amqpOf(loaded), VHOST);
            }
            try (Broker posted = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().httpPort(0))) {
                ManagementApi at = ManagementApi.at("http://localhost:" + posted.httpPort());
                assertEquals(204, at.call("POST", "/api/definitions", Json.write(exported)).status());
                assertSameDefinitions(exported, at.get("/api/definitions").object());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @WarrenOnly
    @Test
    void aDefinitionsFileThatCannotBeImportedStopsTheStart() throws Exception {
        Path file = Files.createTempFile("warren-definitions-", ".json");
        try {
            Files.writeString(file, "{\"queues\":[{\"name\":\"q\",\"vhost\":\"no-such-vhost\"}]}");
            var refused = org.junit.jupiter.api.Assertions.assertThrows(
                    io.warren.broker.http.DefinitionsImport.LoadException.class,
                    () -> BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().loadDefinitions(file)));
            assertEquals("cannot import definitions file " + file + ": [no_such_vhost, no-such-vhost]",
                    refused.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static ConnectionFactory amqpOf(Broker w) {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setPort(w.amqpPort());
        return f;
    }

    private static void assertSameDefinitions(Map<String, Object> expected, Map<String, Object> actual) {
        for (String section : SECTIONS) {
            assertEquals(new HashSet<>((List<?>) expected.get(section)), new HashSet<>((List<?>) actual.get(section)),
                    section);
        }
    }

    /**
     * Run with -Dwarren.compat.rabbitmq.http=http://localhost:15672 (a RabbitMQ with its
     * management plugin); skipped otherwise.
     */
    @WarrenOnly
    @Test
    void rabbitMqImportsWarrensExport() throws Exception {
        String rabbit = System.getProperty(RABBITMQ_HTTP_PROPERTY, "");
        Assumptions.assumeFalse(rabbit.isBlank(), "skipped: no RabbitMQ given (" + RABBITMQ_HTTP_PROPERTY + ")");
        ManagementApi rabbitmq = ManagementApi.at(rabbit.replaceAll("/+$", ""));
        try (Broker source = warrenWithFixture()) {
            ManagementApi from = ManagementApi.at("http://localhost:" + source.httpPort());
            assertEquals(204, from.call("PUT", "/api/vhost-limits/" + VHOST + "/max-queues", "{\"value\":50}").status());
            Map<String, Object> exported = from.get("/api/definitions").object();
            cleanUp(rabbitmq);

            ManagementApi.Response imported = rabbitmq.call("POST", "/api/definitions", Json.write(exported));

            assertTrue(imported.status() / 100 == 2, imported::toString);
            Map<String, Object> there = rabbitmq.get("/api/definitions/" + VHOST).object();
            Map<String, Object> here = from.get("/api/definitions/" + VHOST).object();
            for (String section : List.of("parameters", "policies", "queues", "exchanges", "bindings")) {
                assertEquals(new HashSet<>((List<?>) here.get(section)), new HashSet<>((List<?>) there.get(section)),
                        section);
            }
            assertEquals(Map.of("max-queues", 50L), rabbitmq.get("/api/vhost-limits/" + VHOST).list().get(0).get("value"));
        } finally {
            cleanUp(rabbitmq);
        }
    }
}
