package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.NetworkConnection;
import io.warren.compat.WarrenCli.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code warren} command against the broker under test's management API: rabbitmqctl's
 * output, texts and exit codes (checked against {@code rabbitmqctl} on RabbitMQ 3.10), and the
 * effect on real AMQP clients (a user added by the CLI logs in, a permission set by it opens a
 * vhost, a limit set by it refuses a connection). Runs against RabbitMQ too, through its
 * management plugin ({@code -Dwarren.compat.http=http://localhost:15673}).
 */
class CliTest extends CompatTest {

    private static final String PASSWORD = "s3cret";

    private WarrenCli warren;
    private final List<String> users = new ArrayList<>();
    private final List<String> vhosts = new ArrayList<>();

    @BeforeEach
    void api() {
        // skips the test on a RabbitMQ whose management API was not named
        warren = new WarrenCli("http://localhost:" + ManagementApi.underTest().port());
    }

    @AfterEach
    void cleanUp() {
        users.forEach(u -> cli("delete_user", u));
        vhosts.forEach(v -> cli("delete_vhost", v));
    }

    /** Runs {@code warren --url <the broker's API> args...} in this JVM. */
    private Result cli(String... args) {
        return warren.run(args);
    }

    private Result ok(String... args) {
        return warren.ok(args);
    }

    private String newUser(String prefix) {
        String u = name(prefix);
        users.add(u);
        ok("add_user", u, PASSWORD);
        return u;
    }

    private String newVhost(String prefix) {
        String v = name(prefix);
        vhosts.add(v);
        ok("add_vhost", v);
        return v;
    }

    private Connection login(String user, String password, String vhost) throws IOException, TimeoutException {
        ConnectionFactory f = factory();
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(vhost);
        return track(f.newConnection());
    }

    @Test
    void addUserPrintsRabbitmqctlsLinesAndTheUserLogsIn() throws Exception {
        String u = name("cli-user");
        users.add(u);
        Result added = cli("add_user", u, PASSWORD);
        assertEquals(new Result(0, "Adding user \"" + u + "\" ...\nDone. Don't forget to grant the user permissions "
                + "to some virtual hosts! See 'warren help set_permissions' to learn more.\n", ""), added);

        assertEquals(new Result(0, "Authenticating user \"" + u + "\" ...\nSuccess\n", ""),
                cli("authenticate_user", u, PASSWORD));
        assertEquals(new Result(65, "Authenticating user \"" + u + "\" ...\n", "Error:\nError: failed to authenticate "
                + "user \"" + u + "\"\nuser '" + u + "' - invalid credentials\n"), cli("authenticate_user", u, "wrong"));

        // a user without permissions is refused the vhost; with them, it logs in over AMQP
        assertThrows(IOException.class, () -> login(u, PASSWORD, "/"));
        assertEquals(new Result(0, "Setting permissions for user \"" + u + "\" in vhost \"/\" ...\n", ""),
                cli("set_permissions", "-p", "/", u, ".*", ".*", ".*"));
        Connection c = login(u, PASSWORD, "/");
        assertTrue(c.isOpen());
    }

    @Test
    void addUserTwiceIsRefusedWithRabbitmqctlsExitCode() {
        String u = newUser("cli-twice");
        Result again = cli("add_user", u, "other");
        assertEquals(new Result(70, "Adding user \"" + u + "\" ...\n", "Error:\nUser \"" + u + "\" already exists\n"),
                again);
        // and the first password still holds
        assertEquals(0, cli("authenticate_user", u, PASSWORD).exit());
    }

    @Test
    void deleteUserThenAgainExits67() throws Exception {
        String u = newUser("cli-del");
        ok("set_permissions", u, ".*", ".*", ".*");
        Connection c = login(u, PASSWORD, "/");
        assertEquals(new Result(0, "Deleting user \"" + u + "\" ...\n", ""), cli("delete_user", u));
        awaitClose(c); // deleting a user closes its connections, as in RabbitMQ
        assertEquals(new Result(67, "Deleting user \"" + u + "\" ...\n", "Error:\nUser \"" + u + "\" does not exist\n"),
                cli("delete_user", u));
        assertThrows(AuthenticationFailureException.class, () -> login(u, PASSWORD, "/"));
    }

    @Test
    void changePasswordAndClearPassword() throws Exception {
        String u = newUser("cli-pw");
        ok("set_user_tags", u, "monitoring");
        assertEquals(new Result(0, "Changing password for user \"" + u + "\" ...\n", ""),
                cli("change_password", u, "n3w"));
        assertEquals(65, cli("authenticate_user", u, PASSWORD).exit());
        assertEquals(0, cli("authenticate_user", u, "n3w").exit());
        // the tags survive a password change
        assertTrue(cli("-s", "list_users").lines().contains(u + "\t[monitoring]"));

        assertEquals(new Result(0, "Clearing password for user \"" + u + "\" ...\n", ""), cli("clear_password", u));
        assertEquals(65, cli("authenticate_user", u, "n3w").exit());

        String missing = name("cli-nobody");
        assertEquals(new Result(67, "Changing password for user \"" + missing + "\" ...\n",
                "Error:\nUser \"" + missing + "\" does not exist\n"), cli("change_password", missing, "x"));
        assertEquals(new Result(69, "Clearing password for user \"" + missing + "\" ...\n",
                "Error:\n{:no_such_user, \"" + missing + "\"}\n"), cli("clear_password", missing));
    }

    @Test
    void setUserTagsKeepsThePasswordAndListUsersShowsThem() {
        String u = newUser("cli-tags");
        assertEquals(new Result(0, "Setting tags for user \"" + u + "\" to [monitoring, management] ...\n", ""),
                cli("set_user_tags", u, "monitoring", "management"));
        assertEquals(0, cli("authenticate_user", u, PASSWORD).exit());

        Result listed = ok("list_users");
        assertEquals("Listing users ...", listed.lines().get(0));
        assertEquals("user\ttags", listed.lines().get(1));
        assertTrue(listed.lines().contains(u + "\t[monitoring, management]"), listed.out());
        assertTrue(listed.lines().contains("guest\t[administrator]"), listed.out());
        // -q drops the banner, -s the header too, as rabbitmqctl's
        assertEquals("user\ttags", cli("-q", "list_users").lines().get(0));
        assertFalse(cli("list_users", "-s").out().contains("user\ttags"));
        assertFalse(cli("list_users", "--silent").out().contains("Listing users"));

        ok("set_user_tags", u);
        assertTrue(cli("-s", "list_users").lines().contains(u + "\t[]"));
        String missing = name("cli-nobody");
        assertEquals(67, cli("set_user_tags", missing, "x").exit());
    }

    @Test
    void vhostInThreeCommands() throws Exception {
        String v = name("cli-vh");
        vhosts.add(v);
        String u = newUser("cli-vhuser");
        assertEquals(new Result(0, "Adding vhost \"" + v + "\" ...\n", ""), cli("add_vhost", v));
        // rabbitmqctl's add_vhost grants nobody anything (RabbitMQ's API would grant its caller)
        assertEquals(new Result(0, "Listing permissions for vhost \"" + v + "\" ...\n\n", ""),
                cli("list_permissions", "-p", v));
        assertEquals(0, cli("add_vhost", v).exit(), "adding an existing vhost is not an error");
        assertTrue(cli("-s", "list_vhosts", "name", "tracing").lines().contains(v + "\tfalse"));

        ok("set_permissions", "-p", v, u, "^cli-", ".*", ".*");
        Channel ch = login(u, PASSWORD, v).createChannel();
        ch.queueDeclare("cli-q", false, false, true, null);
        // configure is "^cli-": another name is refused
        assertThrows(IOException.class, () -> ch.queueDeclare("other", false, false, true, null));

        assertEquals(new Result(0, "Listing permissions for vhost \"" + v + "\" ...\nuser\tconfigure\twrite\tread\n"
                + u + "\t^cli-\t.*\t.*\n", ""), cli("list_permissions", "-p", v));
        assertEquals(new Result(0, "Listing permissions for user \"" + u + "\" ...\nvhost\tconfigure\twrite\tread\n"
                + v + "\t^cli-\t.*\t.*\n", ""), cli("list_user_permissions", u));

        assertEquals(new Result(0, "Clearing permissions for user \"" + u + "\" in vhost \"" + v + "\" ...\n", ""),
                cli("clear_permissions", "-p", v, u));
        assertEquals(0, cli("clear_permissions", "-p", v, u).exit(), "nothing to clear is no error");
        assertThrows(IOException.class, () -> login(u, PASSWORD, v));

        assertEquals(new Result(0, "Deleting vhost \"" + v + "\" ...\n", ""), cli("delete_vhost", v));
        assertEquals(new Result(65, "Deleting vhost \"" + v + "\" ...\n", "Virtual host '" + v + "' does not exist\n"),
                cli("delete_vhost", v));
        assertFalse(cli("-s", "list_vhosts").lines().contains(v));
    }

    @Test
    void permissionsOnAMissingUserOrVhostFailAsRabbitmqctl() {
        String missingUser = name("cli-nobody");
        String missingVhost = name("cli-novh");
        assertEquals(new Result(67, "Setting permissions for user \"" + missingUser + "\" in vhost \"/\" ...\n",
                "Error:\nUser " + missingUser + " does not exist\n"), cli("set_permissions", missingUser, "a", "b", "c"));
        assertEquals(new Result(69, "Setting permissions for user \"guest\" in vhost \"" + missingVhost + "\" ...\n",
                "Error:\nVirtual host " + missingVhost + " does not exist\n"),
                cli("set_permissions", "-p", missingVhost, "guest", "a", "b", "c"));
        assertEquals(67, cli("clear_permissions", missingUser).exit());
        assertEquals(69, cli("clear_permissions", "-p", missingVhost, "guest").exit());
        assertEquals(new Result(65, "Listing permissions for vhost \"" + missingVhost + "\" ...\n",
                "Virtual host '" + missingVhost + "' does not exist\n"), cli("list_permissions", "-p", missingVhost));
        assertEquals(new Result(69, "Listing permissions for user \"" + missingUser + "\" ...\n",
                "Error:\n{:no_such_user, \"" + missingUser + "\"}\n"), cli("list_user_permissions", missingUser));
    }

    @Test
    void topicPermissions() throws Exception {
        String v = newVhost("cli-tvh");
        String u = newUser("cli-tuser");
        ok("set_permissions", "-p", v, u, ".*", ".*", ".*");
        assertEquals(new Result(0, "Setting topic permissions on \"amq.topic\" for user \"" + u + "\" in vhost \"" + v
                + "\" ...\n", ""), cli("set_topic_permissions", "-p", v, u, "amq.topic", "^allowed\\.", ".*"));
        ok("set_topic_permissions", "-p", v, u, "amq.direct", "^d", "^e");
        Result listed = ok("list_topic_permissions", "-p", v);
        assertEquals(List.of("Listing topic permissions for vhost \"" + v + "\" ...", "user\texchange\twrite\tread"),
                listed.lines().subList(0, 2));
        assertTrue(listed.lines().contains(u + "\tamq.topic\t^allowed\\.\t.*"), listed.out());
        assertTrue(listed.lines().contains(u + "\tamq.direct\t^d\t^e"), listed.out());

        // the effect: publishing to amq.topic with another routing key is refused
        Channel ch = login(u, PASSWORD, v).createChannel();
        ch.basicPublish("amq.topic", "allowed.x", null, new byte[0]);
        ch.basicPublish("amq.topic", "denied.x", null, new byte[0]);
        assertAccessRefused(awaitClose(ch));

        // clearing one exchange's keeps the other's
        assertEquals(new Result(0, "Clearing topic permissions on \"amq.topic\" for user \"" + u + "\" in vhost \"" + v
                + "\" ...\n", ""), cli("clear_topic_permissions", "-p", v, u, "amq.topic"));
        assertEquals(List.of(v + "\tamq.direct\t^d\t^e"), cli("-q", "list_user_topic_permissions", u).lines());
        ok("clear_topic_permissions", "-p", v, u);
        assertEquals(new Result(0, "\n", ""), cli("-q", "list_topic_permissions", "-p", v));
    }

    @Test
    void vhostLimitsReplaceAndRefuseConnections() throws Exception {
        String v = newVhost("cli-lvh");
        ok("set_permissions", "-p", v, "guest", ".*", ".*", ".*");
        assertEquals(new Result(0, "Setting vhost limits to \"{\"max-connections\": 10, \"max-queues\": 3}\" for vhost \""
                + v + "\" ...\n", ""), cli("set_vhost_limits", "-p", v, "{\"max-connections\": 10, \"max-queues\": 3}"));
        // a new definition replaces the old one: max-queues goes
        ok("set_vhost_limits", "-p", v, "{\"max-connections\": 1}");
        assertEquals(new Result(0, "Listing limits for vhost \"" + v + "\" ...\n{\"max-connections\":1}\n", ""),
                cli("list_vhost_limits", "-p", v));

        login("guest", "guest", v);
        assertThrows(IOException.class, () -> login("guest", "guest", v));

        assertEquals(new Result(69, "Setting vhost limits to \"bad\" for vhost \"" + v + "\" ...\n",
                "Error:\nJSON decoding error. Reason: badarg\n"), cli("set_vhost_limits", "-p", v, "bad"));
        assertEquals(new Result(0, "Clearing vhost \"" + v + "\" limits ...\n", ""), cli("clear_vhost_limits", "-p", v));
        assertEquals(new Result(0, "\n", ""), cli("-q", "list_vhost_limits", "-p", v));
        login("guest", "guest", v);
    }

    @Test
    void userLimitsMergeAndRefuseChannels() throws Exception {
        String u = newUser("cli-luser");
        ok("set_permissions", u, ".*", ".*", ".*");
        assertEquals(new Result(0, "Setting user limits to \"{\"max-channels\": 5, \"max-connections\": 2}\" for user \""
                + u + "\" ...\n", ""), cli("set_user_limits", u, "{\"max-channels\": 5, \"max-connections\": 2}"));
        // user limits merge: max-connections stays
        ok("set_user_limits", u, "{\"max-channels\": 1}");
        assertEquals(new Result(0, "Listing limits for user \"" + u + "\" ...\n{\"max-channels\":1,\"max-connections\":2}\n",
                ""), cli("list_user_limits", "--user", u));

        Connection c = login(u, PASSWORD, "/");
        c.createChannel();
        assertThrows(IOException.class, c::createChannel);

        assertEquals(new Result(0, "Clearing \"max-channels\" limit for user \"" + u + "\" ...\n", ""),
                cli("clear_user_limits", u, "max-channels"));
        ok("clear_user_limits", u, "all");
        assertEquals(new Result(0, "{}\n", ""), cli("-q", "list_user_limits", "--user", u));
        String missing = name("cli-nobody");
        assertEquals(new Result(69, "Setting user limits to \"{\"max-channels\": 5}\" for user \"" + missing + "\" ...\n",
                "Error:\n{:no_such_user, \"" + missing + "\"}\n"), cli("set_user_limits", missing, "{\"max-channels\": 5}"));
    }

    @Test
    void listQueuesExchangesAndConnections() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("cli-q");
        String x = exchangeName("cli-x");
        ch.queueDeclare(q, true, false, false, null);
        ch.exchangeDeclare(x, "topic", false, true, null);
        publishConfirmed(ch, "", q, "one");

        // RabbitMQ's API shows message counts a few seconds late
        eventually("list_queues shows " + q + " with its message", () -> {
            Result r = ok("list_queues", "name", "messages", "durable", "auto_delete", "consumers");
            return r.lines().contains(q + "\t1\ttrue\tfalse\t0");
        });
        Result queues = ok("list_queues", "-p", "/", "name", "messages");
        assertEquals(List.of("Timeout: 60.0 seconds ...", "Listing queues for vhost / ...", "name\tmessages"),
                queues.lines().subList(0, 3));

        Result exchanges = ok("list_exchanges", "name", "type", "durable", "auto_delete", "internal", "arguments");
        assertEquals("name\ttype\tdurable\tauto_delete\tinternal\targuments", exchanges.lines().get(1));
        assertTrue(exchanges.lines().contains(x + "\ttopic\tfalse\ttrue\tfalse\t[]"), exchanges.out());
        assertTrue(exchanges.lines().contains("\tdirect\ttrue\tfalse\tfalse\t[]"), "the default exchange");

        // the default columns: user, peer_host, peer_port, state
        String row = "guest\t127.0.0.1\t" + ((NetworkConnection) c).getLocalPort() + "\trunning";
        eventually("list_connections shows the client", () -> ok("list_connections").lines().contains(row));
        assertTrue(ok("-s", "list_connections", "user", "vhost", "state", "protocol").lines()
                .contains("guest\t/\trunning\t{0,9,1}"));

        assertEquals(new Result(64, "", "Error (argument validation): Info key(s) nonsense are not supported\n"
                + "Supported: name type durable auto_delete internal arguments policy\n"), cli("list_exchanges", "nonsense"));
    }

    @Test
    void statusNamesTheNodeAndCountsQueues() {
        Result r = ok("status");
        assertTrue(r.out().startsWith("Status of node "), r.out());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("Queue count: ")), r.out());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("RabbitMQ version: 3.")), r.out());
    }

    @Test
    void usageErrorsExit64() {
        Result missing = cli("add_user");
        assertEquals(64, missing.exit());
        assertTrue(missing.err().startsWith("Error (argument validation): not enough arguments.\n"), missing.err());
        assertEquals(64, cli("add_user", "a", "b", "c").exit());
        Result unknown = cli("no_such_command");
        assertEquals(64, unknown.exit());
        assertTrue(unknown.err().startsWith("Command 'no_such_command' not found."), unknown.err());
    }

    private static void assertAccessRefused(com.rabbitmq.client.ShutdownSignalException sse) {
        assertTrue(String.valueOf(sse.getReason()).contains("ACCESS_REFUSED"), String.valueOf(sse.getReason()));
    }
}
