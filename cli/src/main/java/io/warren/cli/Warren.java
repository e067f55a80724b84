package io.warren.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code warren} command: rabbitmqctl's verbs and arguments, so runbooks carry over, carried
 * out over the broker's management HTTP API (the same paths as RabbitMQ's, so it drives a RabbitMQ
 * with the management plugin too). Options may come before or after the verb, as rabbitmqctl's.
 */
@Command(name = "warren", mixinStandardHelpOptions = true, versionProvider = Warren.Version.class,
        sortOptions = false, subcommands = CommandLine.HelpCommand.class,
        description = {"Manages a Warren broker (or a RabbitMQ) through its management HTTP API,",
                "with rabbitmqctl's commands: `warren add_user alice s3cret` does what",
                "`rabbitmqctl add_user alice s3cret` does.", ""},
        footer = {"", "Environment: WARREN_CLI_HOST, WARREN_CLI_PORT, WARREN_CLI_URL,",
                "WARREN_CLI_USERNAME and WARREN_CLI_PASSWORD give the options' defaults.",
                "Exit codes as rabbitmqctl's: 0 ok, 64 usage, 65 data error, 67 no such user,",
                "69 unavailable (broker unreachable, refused, or the operation failed), 70 software error,",
                "73 cannot create a file, 75 temporary failure (await_startup timed out)."})
public final class Warren implements Runnable {

    /** The verbs, in the order {@code warren --help} lists them. */
    private static final List<Class<? extends Verb>> VERBS = List.of(
            UserCommands.AddUser.class, UserCommands.DeleteUser.class, UserCommands.ChangePassword.class,
            UserCommands.ClearPassword.class, UserCommands.AuthenticateUser.class, UserCommands.SetUserTags.class,
            UserCommands.ListUsers.class,
            VhostCommands.AddVhost.class, VhostCommands.DeleteVhost.class, VhostCommands.ListVhosts.class,
            PermissionCommands.SetPermissions.class, PermissionCommands.ClearPermissions.class,
            PermissionCommands.ListPermissions.class, PermissionCommands.ListUserPermissions.class,
            PermissionCommands.SetTopicPermissions.class, PermissionCommands.ClearTopicPermissions.class,
            PermissionCommands.ListTopicPermissions.class, PermissionCommands.ListUserTopicPermissions.class,
            LimitCommands.SetVhostLimits.class, LimitCommands.ClearVhostLimits.class,
            LimitCommands.ListVhostLimits.class, LimitCommands.SetUserLimits.class,
            LimitCommands.ClearUserLimits.class, LimitCommands.ListUserLimits.class,
            ListCommands.ListQueues.class, ListCommands.ListExchanges.class, ListCommands.ListBindings.class,
            ListCommands.ListConnections.class, ListCommands.ListChannels.class, ListCommands.ListConsumers.class,
            QueueCommands.PurgeQueue.class, QueueCommands.DeleteQueue.class, ConnectionCommands.CloseConnection.class,
            PolicyCommands.SetPolicy.class, PolicyCommands.ClearPolicy.class, PolicyCommands.ListPolicies.class,
            PolicyCommands.SetOperatorPolicy.class, PolicyCommands.ClearOperatorPolicy.class,
            PolicyCommands.ListOperatorPolicies.class,
            DefinitionCommands.ExportDefinitions.class, DefinitionCommands.ImportDefinitions.class,
            NodeCommands.Ping.class, NodeCommands.CheckRunning.class, NodeCommands.AwaitStartup.class,
            NodeCommands.Stop.class, StatusCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--node"}, scope = ScopeType.INHERIT, paramLabel = "<node>",
            description = "The broker's host; rabbitmqctl's form name@host also works (its host part is used).")
    String node;

    @Option(names = "--host", scope = ScopeType.INHERIT, paramLabel = "<host>",
            defaultValue = "${env:WARREN_CLI_HOST:-localhost}",
            description = "The broker's host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", scope = ScopeType.INHERIT, paramLabel = "<port>",
            defaultValue = "${env:WARREN_CLI_PORT:-15672}",
            description = "The management HTTP API's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "<url>", defaultValue = "${env:WARREN_CLI_URL}",
            description = "The management API's base URL, e.g. https://broker:15671 (instead of --host/--port).")
    String url;

    @Option(names = "--username", scope = ScopeType.INHERIT, paramLabel = "<user>",
            defaultValue = "${env:WARREN_CLI_USERNAME:-guest}",
            description = "The user the CLI logs in as (default: ${DEFAULT-VALUE}); it needs the administrator tag.")
    String username;

    @Option(names = "--password", scope = ScopeType.INHERIT, paramLabel = "<password>",
            defaultValue = "${env:WARREN_CLI_PASSWORD:-guest}", description = "Its password (default: guest).")
    String password;

    @Option(names = {"-p", "--vhost"}, scope = ScopeType.INHERIT, paramLabel = "<vhost>", defaultValue = "/",
            description = "The virtual host (default: ${DEFAULT-VALUE}).")
    String vhost;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No informational messages (\"Listing users ...\").")
    boolean quiet;

    @Option(names = {"-s", "--silent"}, scope = ScopeType.INHERIT,
            description = "As --quiet, and no table headers either.")
    boolean silent;

    @Option(names = "--formatter", scope = ScopeType.INHERIT, paramLabel = "<table|json>", defaultValue = "table",
            description = "How results print: rabbitmqctl's table (default) or json.")
    Formatter formatter;

    /** rabbitmqctl's --formatter values that the CLI prints. */
    enum Formatter { table, json }

    @Option(names = {"-t", "--timeout"}, scope = ScopeType.INHERIT, paramLabel = "<seconds>",
            description = {"How long to wait for each answer of the API (default: 60);",
                    "for await_startup, how long to wait in all (default: 300)."})
    Integer timeoutSeconds;

    private final PrintWriter out;
    private final PrintWriter err;
    private ManagementApi api;

    Warren(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        System.exit(run(out, err, args));
    }

    /** Runs one command as the {@code warren} executable would; answers its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Warren root = new Warren(out, err);
        CommandLine cl = new CommandLine(root);
        for (Class<?> verb : VERBS) {
            CommandLine sub = new CommandLine(verb);
            // "warren add_user [OPTIONS] <username> <password>": the global options are listed once, under warren
            sub.getCommandSpec().usageMessage().abbreviateSynopsis(true);
            cl.addSubcommand(sub);
        }
        cl.setOut(out).setErr(err);
        cl.setParameterExceptionHandler(new UsageErrors());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException c) {
                line.getErr().println(c.getMessage());
                return c.exitCode();
            }
            line.getErr().println("Error:\n" + e);
            return CliException.SOFTWARE;
        });
        return cl;
    }

    @Override
    public void run() {
        // "warren" alone: the list of commands, as rabbitmqctl alone prints its usage
        spec.commandLine().usage(out);
    }

    ManagementApi api() {
        if (api == null) {
            Duration timeout = Duration.ofSeconds(timeoutSeconds == null ? 60 : timeoutSeconds);
            api = new ManagementApi(baseUrl(), username, password, timeout);
        }
        return api;
    }

    String baseUrl() {
        if (url != null && !url.isBlank()) {
            return url;
        }
        String h = host;
        if (node != null && !node.isBlank()) {
            h = node.contains("@") ? node.substring(node.indexOf('@') + 1) : node;
        }
        return URI.create("http://" + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port)
                .toString();
    }

    Output output() {
        return new Output(out, quiet, silent, formatter == Formatter.json);
    }

    /** The -t/--timeout given, or {@code otherwise} (await_startup waits 300 s by default, as rabbitmqctl's). */
    Duration timeout(Duration otherwise) {
        return timeoutSeconds == null ? otherwise : Duration.ofSeconds(timeoutSeconds);
    }

    String vhost() {
        return vhost;
    }

    String username() {
        return username;
    }

    /** The broker's node name, for banners that name it ("Status of node ..."). */
    String nodeLabel() {
        return node != null && !node.isBlank() ? node : baseUrl();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Warren.class.getPackage().getImplementationVersion();
            return new String[] {"warren " + (v == null ? "(development build)" : v)};
        }
    }
}
