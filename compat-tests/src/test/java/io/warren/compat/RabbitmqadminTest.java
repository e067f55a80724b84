package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.NetworkConnection;
import io.warren.broker.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's rabbitmqadmin (the script RabbitMQ's management plugin serves, run with python3)
 * against the broker under test: what an operator's scripts do with it, each command's effect
 * checked with an AMQP client or another rabbitmqadmin listing. Runs against RabbitMQ too.
 */
class RabbitmqadminTest extends CompatTest {

    @TempDir
    static Path dir;

    private static Rabbitmqadmin admin;

    @BeforeAll
    static void fetch() throws Exception {
        admin = Rabbitmqadmin.fetch(dir);
    }

    private static String ok(String... args) throws Exception {
        Rabbitmqadmin.Run r = admin.run(args);
        assertEquals(0, r.exit(), () -> "rabbitmqadmin " + String.join(" ", args) + ": " + r.output());
        return r.output();
    }

    /** A listing as JSON ({@code -f raw_json}), the form scripts parse. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String what) throws Exception {
        return (List<Map<String, Object>>) Json.parse(ok("-f", "raw_json", "list", what));
    }

    private static boolean named(List<Map<String, Object>> items, String name) {
        return items.stream().anyMatch(i -> name.equals(i.get("name")));
    }

    @Test
    void declarePublishGetDelete() throws Exception {
        String q = queueName("admin-q");
        String x = exchangeName("admin-x");
        assertEquals("queue declared\n", ok("declare", "queue", "name=" + q, "durable=false"));
        assertEquals("exchange declared\n", ok("declare", "exchange", "name=" + x, "type=fanout"));
        assertEquals("binding declared\n", ok("declare", "binding", "source=" + x, "destination=" + q));
        assertEquals("Message published\n", ok("publish", "exchange=" + x, "routing_key=k", "payload=hello"));

        // the message went through the binding, as an AMQP client sees it
        assertEquals(1, channel().queueDeclarePassive(q).getMessageCount());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> got = (List<Map<String, Object>>) Json.parse(ok("-f", "raw_json", "get",
                "queue=" + q, "ackmode=ack_requeue_false"));
        assertEquals("hello", got.get(0).get("payload"));
        assertEquals(x, got.get(0).get("exchange"));
        assertEquals(0, channel().queueDeclarePassive(q).getMessageCount());
        assertTrue(list("bindings").stream().anyMatch(b -> x.equals(b.get("source")) && q.equals(b.get("destination"))));

        assertEquals("binding deleted\n", ok("delete", "binding", "source=" + x, "destination_type=queue",
                "destination=" + q, "properties_key=~"));
        assertEquals("exchange deleted\n", ok("delete", "exchange", "name=" + x));
        assertEquals("queue deleted\n", ok("delete", "queue", "name=" + q));
        assertFalse(named(list("queues"), q));
        assertFalse(named(list("exchanges"), x));
    }

    @Test
    void listsShowWhatClientsMade() throws Exception {
        Connection c = connect();
        String q = queueName("admin-lq");
        c.createChannel().queueDeclare(q, false, false, false, null);
        String port = String.valueOf(((NetworkConnection) c).getLocalPort());

        assertTrue(named(list("queues"), q));
        assertTrue(named(list("exchanges"), "amq.topic"));
        assertTrue(named(list("users"), "guest"));
        assertTrue(named(list("vhosts"), "/"));
        // RabbitMQ lists a connection a few seconds after it opens
        eventually("rabbitmqadmin lists the connection", () -> list("connections").stream()
                .anyMatch(x -> port.equals(String.valueOf(x.get("peer_port")))));
        assertTrue(ok("list", "queues").contains("| " + q + " "), "the default table form too");
    }

    @Test
    void importAddsUsersVhostsAndPermissions() throws Exception {
        String u = name("admin-user");
        String v = name("admin-vh");
        Path file = dir.resolve("import.json");
        Files.writeString(file, "{\"users\": [{\"name\": \"" + u + "\", \"password\": \"s3cret\", \"tags\": \"\"}],"
                + " \"vhosts\": [{\"name\": \"" + v + "\"}], \"permissions\": [{\"user\": \"" + u + "\", \"vhost\": \""
                + v + "\", \"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}]}", StandardCharsets.UTF_8);
        try {
            assertTrue(ok("import", file.toString()).startsWith("Uploaded definitions"), "its message");
            assertTrue(named(list("users"), u));
            assertTrue(list("permissions").stream().anyMatch(p -> u.equals(p.get("user")) && v.equals(p.get("vhost"))));
        } finally {
            admin.run("delete", "user", "name=" + u);
            admin.run("delete", "vhost", "name=" + v);
        }
        assertFalse(named(list("users"), u));
        assertFalse(named(list("vhosts"), v));
    }

    @Test
    void exportWritesDefinitions() throws Exception {
        String q = queueName("admin-exp");
        channel().queueDeclare(q, true, false, false, null);
        Path file = dir.resolve("export.json");
        assertTrue(ok("export", file.toString()).startsWith("Exported definitions"), "its message");
        Map<?, ?> defs = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertTrue(((List<?>) defs.get("queues")).stream().anyMatch(x -> q.equals(((Map<?, ?>) x).get("name"))));
    }

    @Test
    void listChannelsConsumersAndPolicies() throws Exception {
        Connection c = connect();
        String q = queueName("admin-cq");
        var ch = c.createChannel();
        ch.queueDeclare(q, false, false, false, null);
        String tag = ch.basicConsume(q, true, (t, d) -> { }, t -> { });
        eventually("rabbitmqadmin lists the consumer", () -> list("consumers").stream()
                .anyMatch(x -> tag.equals(x.get("consumer_tag"))));
        eventually("rabbitmqadmin lists the channel", () -> !list("channels").isEmpty());

        String p = name("admin-pol");
        try {
            assertEquals("policy declared\n", ok("declare", "policy", "name=" + p, "pattern=^" + p,
                    "definition={\"max-length\": 1}"));
            assertTrue(named(list("policies"), p));
        } finally {
            admin.run("delete", "policy", "name=" + p);
        }
    }
}
