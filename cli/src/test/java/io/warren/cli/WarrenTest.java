package io.warren.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What the command does without a broker: usage, help, and a broker it cannot reach. */
class WarrenTest {

    record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Warren.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsRabbitmqctlsVerbs() {
        Result r = run("--help");
        assertEquals(0, r.exit());
        for (String verb : new String[] {"add_user", "delete_user", "change_password", "clear_password",
                "set_user_tags", "list_users", "authenticate_user", "add_vhost", "delete_vhost", "list_vhosts",
                "set_permissions", "clear_permissions", "list_permissions", "list_user_permissions",
                "set_topic_permissions", "clear_topic_permissions", "list_topic_permissions", "set_vhost_limits",
                "clear_vhost_limits", "set_user_limits", "clear_user_limits", "list_queues", "list_exchanges",
                "list_connections", "status", "list_bindings", "list_channels", "list_consumers", "purge_queue",
                "delete_queue", "close_connection", "set_policy", "clear_policy", "list_policies",
                "set_operator_policy", "clear_operator_policy", "list_operator_policies", "export_definitions",
                "import_definitions", "ping", "check_running", "await_startup", "stop"}) {
            assertTrue(r.out().contains("  " + verb + " "), verb + " missing from:\n" + r.out());
        }
    }

    @Test
    void wrongArgumentsExit64AsRabbitmqctl() {
        Result missing = run("set_permissions", "alice", ".*");
        assertEquals(64, missing.exit());
        assertTrue(missing.err().startsWith("Error (argument validation): not enough arguments.\nArguments given:\n"
                + "\tset_permissions alice .*\n"), missing.err());
        assertTrue(missing.err().contains("warren set_permissions [OPTIONS] <username> <conf> <write> <read>"),
                missing.err());

        assertTrue(run("delete_user", "a", "b").err().startsWith("Error (argument validation): too many arguments."));
        Result unknown = run("frobnicate");
        assertEquals(64, unknown.exit());
        assertTrue(unknown.err().startsWith("Command 'frobnicate' not found.\n"), unknown.err());
        assertEquals(64, run("list_users", "--no-such-option").exit());
    }

    @Test
    void aBrokerThatIsNotThereExits69() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = run("--port", String.valueOf(port), "list_users");
        assertEquals(69, r.exit());
        assertEquals("Listing users ...\n", r.out());
        assertTrue(r.err().startsWith("Error: unable to perform an operation on the management API at http://localhost:"
                + port + ": connection refused"), r.err());
        // the options may follow the verb too, as rabbitmqctl's
        assertEquals(69, run("list_users", "-q", "--port", String.valueOf(port)).exit());
        assertEquals("", run("list_users", "-q", "--port", String.valueOf(port)).out());
    }

    @Test
    void healthChecksOfABrokerThatIsNotThere() throws IOException {
        String port = String.valueOf(freePort());
        Result ping = run("--port", port, "ping");
        assertEquals(69, ping.exit());
        assertTrue(ping.err().startsWith("Error:\nFailed to connect and authenticate to http://localhost:" + port
                + " in 60000 ms\n"), ping.err());
        assertEquals(69, run("--port", port, "check_running").exit());
        // await_startup waits for the API, then gives up with rabbitmqctl's temporary failure
        long start = System.nanoTime();
        Result waited = run("--port", port, "await_startup", "--timeout", "1");
        assertEquals(75, waited.exit(), waited::toString);
        assertTrue(System.nanoTime() - start >= 1_000_000_000L, "it waited the second");
        assertTrue(waited.err().contains("did not finish booting within 1 seconds"), waited.err());
        assertEquals(69, run("--port", port, "stop").exit());
    }

    @Test
    void definitionFilesAreCheckedBeforeTheBrokerIsAsked() throws IOException {
        String port = String.valueOf(freePort());
        Result missing = run("--port", port, "import_definitions", "/no/such/file.json");
        assertEquals(new Result(65, "", "Error (argument validation): Bad argument: File /no/such/file.json does not "
                + "exist\n"), missing);
        assertEquals(65, run("--port", port, "export_definitions", "/no/such/dir/file.json").exit());
        assertEquals(64, run("import_definitions").exit());
        assertEquals(64, run("list_queues", "--formatter", "yaml").exit());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void nodeNamesTheHostAsRabbitmqctlsDoes() {
        StringWriter sink = new StringWriter();
        Warren w = (Warren) Warren.commandLine(new PrintWriter(sink), new PrintWriter(sink))
                .parseArgs("-n", "rabbit@broker.example", "--port", "15673", "status").commandSpec().root().userObject();
        assertEquals("http://broker.example:15673", w.baseUrl());
        Warren url = (Warren) Warren.commandLine(new PrintWriter(sink), new PrintWriter(sink))
                .parseArgs("--url", "https://b:15671/", "status").commandSpec().root().userObject();
        assertEquals("https://b:15671/", url.baseUrl());
    }
}
