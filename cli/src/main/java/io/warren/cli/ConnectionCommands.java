package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * close_connection. rabbitmqctl names the connection by its Erlang process id, which the API does
 * not show; the CLI takes its name as the API (and list_connections name) shows it, e.g.
 * "127.0.0.1:50000 -> 127.0.0.1:5672".
 */
final class ConnectionCommands {

    private ConnectionCommands() {}

    @Command(name = "close_connection", description = "Closes a connection, named as list_connections name shows "
            + "it, telling the client <reason>.")
    static final class CloseConnection extends Verb {
        @Parameters(index = "0", paramLabel = "<connection>")
        String connection;

        @Parameters(index = "1", paramLabel = "<reason>")
        String reason;

        @Override
        public Integer call() {
            output().banner("Closing connection " + connection + ", reason: " + reason + "...");
            // the API passes the reason on in this header, as RabbitMQ's management UI does
            Response r = api().delete(path("connections", connection), "X-Reason", reason);
            if (r.status() == 404) {
                throw CliException.error(CliException.UNAVAILABLE, "Connection \"" + connection + "\" not found");
            }
            Failures.require(r, root);
            return 0;
        }
    }
}
