package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.NetworkConnection;
import io.warren.broker.http.Json;
import io.warren.compat.WarrenCli.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code warren} verbs operators use daily beyond users and vhosts: list_bindings,
 * list_channels, list_consumers, purge_queue, delete_queue, close_connection, policies,
 * definitions, ping, check_running, await_startup, stop, and {@code --formatter json}. Texts and
 * exit codes are rabbitmqctl 3.10's (checked against it); the same tests run against RabbitMQ's
 * management API. Where rabbitmqctl names an Erlang pid, the CLI names the channel.
 */
class CliOperationsTest extends CompatTest {

    private WarrenCli warren;
    private final List<String> policies = new ArrayList<>();
    private final List<String> operatorPolicies = new ArrayList<>();
    private final List<String> vhostsToDelete = new ArrayList<>();

    @BeforeEach
    void api() {
        warren = new WarrenCli("http://localhost:" + ManagementApi.underTest().port());
    }

    @AfterEach
    void cleanUp() {
        policies.forEach(p -> warren.run("clear_policy", p));
        operatorPolicies.forEach(p -> warren.run("clear_operator_policy", p));
        vhostsToDelete.forEach(v -> warren.run("delete_vhost", v));
    }

    private Result cli(String... args) {
        return warren.run(args);
    }

    private Result ok(String... args) {
        return warren.ok(args);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonRows(Result r) {
        return (List<Map<String, Object>>) Json.parse(r.out());
    }

    @Test
    void listBindingsAsTableAndJson() throws Exception {
        Channel ch = channel();
        String q = queueName("cli-bq");
        String x = exchangeName("cli-bx");
        ch.queueDeclare(q, false, false, false, null);
        ch.exchangeDeclare(x, "topic", false, false, null);
        ch.queueBind(q, x, "a.#");

        Result table = ok("list_bindings");
        assertEquals(List.of("Listing bindings for vhost /...",
                "source_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments"),
                table.lines().subList(0, 2));
        assertTrue(table.lines().contains("\texchange\t" + q + "\tqueue\t" + q + "\t[]"), "the default binding");
        assertTrue(table.lines().contains(x + "\texchange\t" + q + "\tqueue\ta.#\t[]"), table.out());

        List<Map<String, Object>> rows = jsonRows(ok("list_bindings", "--formatter", "json", "source_name",
                "destination_name", "routing_key"));
        assertTrue(rows.contains(Map.of("source_name", x, "destination_name", q, "routing_key", "a.#")), rows::toString);
        assertEquals(new Result(0, "", ""), cli("-q", "list_bindings", "-p", name("cli-novh")));
        assertEquals(64, cli("list_bindings", "pid").exit());
    }

    @Test
    void listChannelsAndConsumers() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("cli-cq");
        ch.queueDeclare(q, false, false, false, null);
        ch.basicQos(7);
        String tag = ch.basicConsume(q, false, "cli-ctag", (t, d) -> { }, t -> { });
        String channelName = "127.0.0.1:" + ((NetworkConnection) c).getLocalPort() + " -> ";

        // RabbitMQ's API shows channels and consumers a few seconds late
        eventually("list_channels shows the channel", () -> ok("-s", "list_channels").lines().stream()
                .anyMatch(l -> l.startsWith(channelName) && l.endsWith(" (1)\tguest\t1\t0")));
        assertEquals(List.of("Listing channels ...", "pid\tuser\tconsumer_count\tmessages_unacknowledged"),
                ok("list_channels").lines().subList(0, 2));
        assertTrue(ok("-s", "list_channels", "user", "vhost", "number", "prefetch_count", "confirm").lines()
                .contains("guest\t/\t1\t7\tfalse"));

        eventually("list_consumers shows the consumer", () -> ok("-s", "list_consumers").lines().stream()
                .anyMatch(l -> l.startsWith(q + "\t" + channelName) && l.endsWith("\t" + tag + "\ttrue\t7\ttrue\t[]")));
        assertEquals(List.of("Listing consumers in vhost / ...", "queue_name\tchannel_pid\tconsumer_tag\tack_required"
                + "\tprefetch_count\tactive\targuments"), ok("list_consumers").lines().subList(0, 2));
        List<Map<String, Object>> rows = jsonRows(ok("list_consumers", "--formatter", "json", "queue_name",
                "consumer_tag", "ack_required", "prefetch_count"));
        assertTrue(rows.contains(Map.of("queue_name", q, "consumer_tag", tag, "ack_required", true,
                "prefetch_count", 7L)) || rows.contains(Map.of("queue_name", q, "consumer_tag", tag,
                "ack_required", true, "prefetch_count", 7)), rows::toString);
        // a vhost that does not exist has no consumers, as rabbitmqctl says
        assertEquals(new Result(0, "", ""), cli("-q", "list_consumers", "-p", name("cli-novh")));
    }

    @Test
    void purgeQueue() throws Exception {
        Channel ch = channel();
        String q = queueName("cli-purge");
        ch.queueDeclare(q, true, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");

        assertEquals(new Result(0, "Purging queue '" + q + "' in vhost '/' ...\n", ""), cli("purge_queue", q));
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        String missing = name("cli-none");
        assertEquals(new Result(69, "Purging queue '" + missing + "' in vhost '/' ...\n", "Error:\nnot_found\n"),
                cli("purge_queue", missing));
        assertEquals(64, cli("purge_queue").exit());
    }

    @Test
    void deleteQueueIfEmptyIfUnused() throws Exception {
        Channel ch = channel();
        String full = queueName("cli-full");
        String used = queueName("cli-used");
        ch.queueDeclare(full, false, false, false, null);
        ch.queueDeclare(used, false, false, false, null);
        publishConfirmed(ch, "", full, "a");
        ch.basicConsume(used, true, (t, d) -> { }, t -> { });

        assertEquals(new Result(64, "Deleting queue '" + full + "' on vhost '/' if queue is empty ...\n",
                "Error:\nQueue is not empty\n"), cli("delete_queue", full, "--if-empty"));
        assertEquals(new Result(64, "Deleting queue '" + used + "' on vhost '/' if queue is unused ...\n",
                "Error:\nQueue is in use\n"), cli("delete_queue", "-u", used));
        assertEquals(1, ch.queueDeclarePassive(full).getMessageCount(), "the refused delete kept the queue");

        Result deleted = cli("delete_queue", "-e", used);
        assertEquals(0, deleted.exit(), deleted::toString);
        assertEquals("Deleting queue '" + used + "' on vhost '/' if queue is empty ...", deleted.lines().get(0));
        assertTrue(deleted.lines().get(1).matches("Queue was successfully deleted with \\d+ ready messages"),
                deleted.out());
        assertEquals(0, cli("delete_queue", full).exit());
        assertEquals(new Result(64, "Deleting queue '" + full + "' on vhost '/' ...\n", "Error:\nQueue not found\n"),
                cli("delete_queue", full));
        Channel other = channel();
        assertChannelError(404, () -> other.queueDeclarePassive(full));
    }

    @Test
    void closeConnectionByName() throws Exception {
        Connection c = connect();
        String port = String.valueOf(((NetworkConnection) c).getLocalPort());
        String[] name = new String[1];
        eventually("list_connections shows the client", () -> {
            for (String line : ok("-s", "list_connections", "name", "peer_port").lines()) {
                if (line.endsWith("\t" + port)) {
                    name[0] = line.substring(0, line.lastIndexOf('\t'));
                    return true;
                }
            }
            return false;
        });
        assertEquals(new Result(0, "Closing connection " + name[0] + ", reason: maintenance...\n", ""),
                cli("close_connection", name[0], "maintenance"));
        ShutdownSignalException closed = awaitClose(c);
        // the client hears the reason given, as from rabbitmqctl close_connection
        assertEquals(320, ((com.rabbitmq.client.AMQP.Connection.Close) closed.getReason()).getReplyCode());
        assertReplyText("CONNECTION_FORCED - maintenance", closed);

        String missing = name("cli-noconn");
        assertEquals(new Result(69, "Closing connection " + missing + ", reason: x...\n", "Error:\nConnection \""
                + missing + "\" not found\n"), cli("close_connection", missing, "x"));
        assertEquals(64, cli("close_connection", missing).exit());
    }

    @Test
    void policiesSetListClear() throws Exception {
        String p = name("cli-pol");
        policies.add(p);
        assertEquals(new Result(0, "Setting policy \"" + p + "\" for pattern \"^compat-cli-pol-q\" to "
                + "\"{\"max-length\": 1}\" with priority \"3\" for vhost \"/\" ...\n", ""),
                cli("set_policy", p, "^compat-cli-pol-q", "{\"max-length\": 1}", "--priority", "3", "--apply-to", "queues"));
        Result listed = ok("list_policies");
        assertEquals(List.of("Listing policies for vhost \"/\" ...",
                "vhost\tname\tpattern\tapply-to\tdefinition\tpriority"), listed.lines().subList(0, 2));
        assertTrue(listed.lines().contains("/\t" + p + "\t^compat-cli-pol-q\tqueues\t{\"max-length\":1}\t3"),
                listed.out());
        List<Map<String, Object>> rows = jsonRows(ok("list_policies", "--formatter", "json"));
        assertTrue(rows.stream().anyMatch(r -> r.get("name").equals(p)
                && r.get("definition").equals("{\"max-length\":1}") && r.get("apply-to").equals("queues")
                && ((Number) r.get("priority")).intValue() == 3), rows::toString);

        // the effect: a matching queue keeps one message
        Channel ch = channel();
        String q = queueName("cli-pol-q");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");
        assertEquals(1, ch.queueDeclarePassive(q).getMessageCount());

        assertEquals(new Result(69, "Setting policy \"bad\" for pattern \"x\" to \"nonsense\" with priority \"0\" for "
                + "vhost \"/\" ...\n", "Error:\nJSON decoding error. Reason: badarg\n"), cli("set_policy", "bad", "x",
                "nonsense"));
        Result unknownKey = cli("set_policy", "bad", "x", "{\"no-such-key\": 1}");
        assertEquals(69, unknownKey.exit());
        assertTrue(unknownKey.err().startsWith("Error:\nValidation failed"), unknownKey.err());

        assertEquals(new Result(0, "Clearing policy \"" + p + "\" on vhost \"/\" ...\n", ""), cli("clear_policy", p));
        assertEquals(new Result(69, "Clearing policy \"" + p + "\" on vhost \"/\" ...\n",
                "Error:\nParameter does not exist\n"), cli("clear_policy", p));
        assertEquals(new Result(0, "\n", ""), cli("-q", "list_policies", "-p", newVhostForPolicies()));
        String novh = name("cli-novh");
        assertEquals(new Result(65, "Listing policies for vhost \"" + novh + "\" ...\n", "Virtual host '" + novh
                + "' does not exist\n"), cli("list_policies", "-p", novh));
        assertEquals(65, cli("set_policy", "-p", novh, p, "x", "{\"max-length\": 1}").exit());
    }

    private String newVhostForPolicies() {
        String v = name("cli-polvh");
        ok("add_vhost", v);
        vhostsToDelete.add(v);
        return v;
    }

    @Test
    void operatorPoliciesSetListClear() {
        String p = name("cli-opol");
        operatorPolicies.add(p);
        assertEquals(new Result(0, "Setting operator policy override \"" + p + "\" for pattern \"^cli-opol\" to "
                + "\"{\"max-length\": 5}\" with priority \"0\" for vhost \"/\" ...\n", ""),
                cli("set_operator_policy", p, "^cli-opol", "{\"max-length\": 5}", "--apply-to", "queues"));
        Result listed = ok("list_operator_policies");
        assertEquals("Listing operator policy overrides for vhost \"/\" ...", listed.lines().get(0));
        assertTrue(listed.lines().contains("/\t" + p + "\t^cli-opol\tqueues\t{\"max-length\":5}\t0"), listed.out());
        assertEquals(new Result(0, "Clearing operator policy \"" + p + "\" on vhost \"/\" ...\n", ""),
                cli("clear_operator_policy", p));
        assertEquals(69, cli("clear_operator_policy", p).exit());
    }

    @Test
    void importDefinitionsAddsUsersAndVhosts(@TempDir Path dir) throws Exception {
        String u = name("cli-imp-user");
        String v = name("cli-imp-vh");
        vhostsToDelete.add(v);
        Path file = dir.resolve("defs.json");
        Files.writeString(file, "{\"users\": [{\"name\": \"" + u + "\", \"password\": \"s3cret\", \"tags\": \"\"}],"
                + " \"vhosts\": [{\"name\": \"" + v + "\"}], \"permissions\": [{\"user\": \"" + u + "\", \"vhost\": \""
                + v + "\", \"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}]}", StandardCharsets.UTF_8);
        try {
            assertEquals(new Result(0, "Importing definitions in JSON from a file at \"" + file + "\" ...\n", ""),
                    cli("import_definitions", file.toString()));
            // done when the command returns
            assertTrue(ok("-s", "list_permissions", "-p", v).lines().contains(u + "\t.*\t.*\t.*"));
            assertEquals(0, cli("authenticate_user", u, "s3cret").exit());
        } finally {
            warren.run("delete_user", u);
        }

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{bad", StandardCharsets.UTF_8);
        Result refused = cli("import_definitions", bad.toString());
        assertEquals(65, refused.exit());
        assertTrue(refused.err().startsWith("Error:\nFailed to deserialise input (format: JSON)"), refused.err());
        Path missing = dir.resolve("missing.json");
        assertEquals(new Result(65, "", "Error (argument validation): Bad argument: File " + missing
                + " does not exist\n"), cli("import_definitions", missing.toString()));
        // a permission for a user nobody has: the broker refuses the file (a data error), and adds nothing
        Files.writeString(file, "{\"permissions\": [{\"user\": \"" + name("cli-nobody") + "\", \"vhost\": \"/\", "
                + "\"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}]}", StandardCharsets.UTF_8);
        assertEquals(65, cli("import_definitions", file.toString()).exit());
    }

    @Test
    void exportDefinitionsToAFileAndToStandardOutput(@TempDir Path dir) throws Exception {
        Channel ch = channel();
        String q = queueName("cli-exp");
        ch.queueDeclare(q, true, false, false, null);
        Path file = dir.resolve("defs.json");
        assertEquals(new Result(0, "Exporting definitions in JSON to a file at \"" + file + "\" ...\n", ""),
                cli("export_definitions", file.toString()));
        Map<?, ?> defs = (Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertTrue(((List<?>) defs.get("queues")).stream().anyMatch(x -> ((Map<?, ?>) x).get("name").equals(q)),
                defs::toString);
        assertTrue(((List<?>) defs.get("users")).stream().anyMatch(x -> ((Map<?, ?>) x).get("name").equals("guest")));

        Result stdout = ok("export_definitions", "-");
        assertTrue(((Map<?, ?>) Json.parse(stdout.out())).containsKey("vhosts"), "only the JSON: " + stdout.out());
        assertEquals(65, cli("export_definitions", dir.resolve("no/such/dir.json").toString()).exit());
    }

    @Test
    void pingCheckRunningAwaitStartup() {
        Result ping = ok("ping");
        assertTrue(ping.out().startsWith("Will ping "), ping.out());
        assertTrue(ping.out().endsWith("\nPing succeeded\n"), ping.out());
        assertEquals(new Result(0, "{\"message\":\"Ping succeeded\"}\n", ""), cli("ping", "--formatter", "json"));
        assertEquals(new Result(0, "Ping succeeded\n", ""), cli("-q", "ping"));

        Result running = ok("check_running");
        assertTrue(running.lines().get(1).matches("RabbitMQ on node .+@.+ is fully booted and running"), running.out());
        assertEquals(new Result(0, "", ""), cli("await_startup", "--timeout", "5"));
        assertEquals(64, cli("ping", "extra").exit());
        // credentials the API refuses: ping fails, and await_startup does not wait for them to turn right
        Result refused = cli("--password", "wrong", "ping");
        assertEquals(69, refused.exit());
        assertTrue(refused.err().startsWith("Error:\nFailed to connect and authenticate to "), refused.err());
        long start = System.nanoTime();
        assertEquals(69, cli("--password", "wrong", "await_startup", "--timeout", "30").exit());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "it did not wait out the timeout");
    }

    @Test
    void stopRefusesAndTheBrokerRunsOn() throws Exception {
        Result stop = cli("stop");
        assertEquals(69, stop.exit());
        assertTrue(stop.err().contains("no operation that stops a broker"), stop.err());
        assertTrue(connect().isOpen());
        ok("ping");
    }

    @Test
    void jsonFormatterListsQueuesAndExchanges() throws Exception {
        Channel ch = channel();
        String q = queueName("cli-json");
        ch.queueDeclare(q, true, false, false, Map.of("x-max-length", 5));
        publishConfirmed(ch, "", q, "one");

        eventually("list_queues shows the message", () -> jsonRows(ok("list_queues", "--formatter", "json", "name",
                "messages")).stream().anyMatch(r -> r.get("name").equals(q)
                && r.get("messages") instanceof Number n && n.intValue() == 1));
        Result r = ok("list_queues", "--formatter", "json", "name", "durable", "arguments");
        // rabbitmqctl's layout: "[", one object a line, each after the first led by ",", "]"; no banner
        assertEquals("[", r.lines().get(0));
        assertEquals("]", r.lines().get(r.lines().size() - 1));
        String row = "{\"name\":\"" + q + "\",\"durable\":true,\"arguments\":[[\"x-max-length\",\"long\",5]]}";
        assertTrue(r.lines().contains(row) || r.lines().contains("," + row), r.out());
        List<Map<String, Object>> exchanges = jsonRows(ok("list_exchanges", "--formatter", "json"));
        assertTrue(exchanges.contains(Map.of("name", "amq.topic", "type", "topic")), exchanges::toString);
        assertEquals(new Result(0, "[\n]\n", ""), cli("list_queues", "--formatter", "json", "-p", name("cli-novh")));
        assertEquals(64, cli("list_queues", "--formatter", "xml").exit());
    }

    @Test
    void jsonFormatterForUsersVhostsLimitsAndStatus() {
        List<Map<String, Object>> users = jsonRows(ok("list_users", "--formatter", "json"));
        assertTrue(users.contains(Map.of("user", "guest", "tags", List.of("administrator"))), users::toString);
        List<Map<String, Object>> vhosts = jsonRows(ok("list_vhosts", "--formatter", "json", "name", "tracing"));
        assertTrue(vhosts.contains(Map.of("name", "/", "tracing", false)), vhosts::toString);
        String v = newVhostForPolicies();
        assertEquals(new Result(0, "[]\n", ""), cli("list_vhost_limits", "-p", v, "--formatter", "json"));
        assertEquals(new Result(0, "[]\n", ""), cli("list_permissions", "-p", v, "--formatter", "json"));

        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) Json.parse(ok("status", "--formatter", "json").out());
        assertTrue(String.valueOf(status.get("rabbitmq_version")).startsWith("3."), status::toString);
        Map<?, ?> totals = (Map<?, ?>) status.get("totals");
        assertTrue(((Number) totals.get("virtual_host_count")).intValue() >= 2, status::toString);
    }
}
