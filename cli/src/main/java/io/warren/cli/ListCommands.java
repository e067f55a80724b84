package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * list_queues, list_exchanges, list_connections, with rabbitmqctl's column names. The values are
 * the management API's: on RabbitMQ its statistics lag a few seconds behind rabbitmqctl's.
 */
final class ListCommands {

    private static final Columns QUEUES = new Columns(List.of("name", "messages"),
            List.of("name", "durable", "auto_delete", "arguments", "policy", "exclusive", "messages_ready",
                    "messages_unacknowledged", "messages", "messages_ready_ram", "messages_unacknowledged_ram",
                    "messages_ram", "messages_persistent", "message_bytes", "message_bytes_ready",
                    "message_bytes_unacknowledged", "message_bytes_ram", "message_bytes_persistent",
                    "head_message_timestamp", "consumers", "consumer_utilisation", "consumer_capacity", "memory",
                    "state", "type", "leader", "members", "online"));

    private static final Columns EXCHANGES = new Columns(List.of("name", "type"),
            List.of("name", "type", "durable", "auto_delete", "internal", "arguments", "policy"));

    private static final Columns CONNECTIONS = new Columns(List.of("user", "peer_host", "peer_port", "state"),
            List.of("name", "user", "vhost", "state", "channels", "host", "port", "peer_host", "peer_port", "protocol",
                    "ssl", "ssl_protocol", "ssl_key_exchange", "ssl_cipher", "ssl_hash", "peer_cert_subject",
                    "peer_cert_issuer", "peer_cert_validity", "auth_mechanism", "timeout", "frame_max",
                    "channel_max", "client_properties", "user_provided_name", "connected_at", "type", "recv_oct",
                    "recv_cnt", "send_oct", "send_cnt", "send_pend")) {
        @Override
        String cell(String column, Map<String, Object> connection) {
            Object v = connection.get(column);
            if (column.equals("protocol") && v instanceof String p && p.startsWith("AMQP ")) {
                // rabbitmqctl prints the version as a tuple: "AMQP 0-9-1" is {0,9,1}
                return "{" + p.substring(5).replace('-', ',') + "}";
            }
            return Values.cell(v);
        }
    };

    private ListCommands() {}

    @Command(name = "list_queues", description = "Lists the queues of the vhost given by -p. Columns: name and "
            + "messages by default; also durable, auto_delete, arguments, exclusive, messages_ready, "
            + "messages_unacknowledged, consumers, state, type and more of rabbitmqctl's.")
    static final class ListQueues extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            List<String> cols = QUEUES.chosen(columns);
            output().banner("Timeout: " + api().timeout().toSeconds() + ".0 seconds ...");
            output().banner("Listing queues for vhost " + vhost + " ...");
            list(this, path("queues", vhost), QUEUES, cols);
            return 0;
        }
    }

    @Command(name = "list_exchanges", description = "Lists the exchanges of the vhost given by -p. Columns: "
            + "name and type by default; also durable, auto_delete, internal, arguments, policy.")
    static final class ListExchanges extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            List<String> cols = EXCHANGES.chosen(columns);
            output().banner("Listing exchanges for vhost " + vhost + " ...");
            list(this, path("exchanges", vhost), EXCHANGES, cols);
            return 0;
        }
    }

    @Command(name = "list_connections", description = "Lists AMQP connections. Columns: user, peer_host, "
            + "peer_port and state by default; also name, vhost, channels, protocol, ssl, auth_mechanism, "
            + "timeout, frame_max, client_properties, connected_at and more of rabbitmqctl's.")
    static final class ListConnections extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            List<String> cols = CONNECTIONS.chosen(columns);
            output().banner("Listing connections ...");
            list(this, path("connections"), CONNECTIONS, cols);
            return 0;
        }
    }

    private static void list(Verb.Listing verb, String path, Columns columns, List<String> cols) {
        Response r = verb.api().get(path);
        if (r.status() == 404) {
            // rabbitmqctl lists nothing, successfully, for a vhost that does not exist
            return;
        }
        verb.output().stream(cols, columns.rows(cols, Failures.require(r, verb.root).list()), verb.noHeaders);
    }
}
