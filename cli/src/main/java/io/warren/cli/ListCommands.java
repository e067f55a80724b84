package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * list_queues, list_exchanges, list_bindings, list_connections, list_channels, list_consumers,
 * with rabbitmqctl's column names. The values are the management API's: on RabbitMQ its statistics
 * lag a few seconds behind rabbitmqctl's. Where rabbitmqctl shows an Erlang process id (a channel's
 * pid), the API has none, and the CLI shows the channel's name ("127.0.0.1:5000 -> 127.0.0.1:5672 (1)").
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

    private static final Columns BINDINGS = new Columns(List.of("source_name", "source_kind", "destination_name",
            "destination_kind", "routing_key", "arguments"), List.of("source_name", "source_kind", "destination_name",
            "destination_kind", "routing_key", "arguments")) {
        @Override
        Object value(String column, Map<String, Object> binding) {
            return switch (column) {
                case "source_name" -> binding.get("source");
                case "source_kind" -> "exchange";
                case "destination_name" -> binding.get("destination");
                case "destination_kind" -> binding.get("destination_type");
                default -> binding.get(column);
            };
        }
    };

    private static final Columns CHANNELS = new Columns(
            List.of("pid", "user", "consumer_count", "messages_unacknowledged"),
            List.of("pid", "connection", "name", "number", "user", "vhost", "transactional", "confirm",
                    "consumer_count", "messages_unacknowledged", "messages_uncommitted", "acks_uncommitted",
                    "messages_unconfirmed", "prefetch_count", "global_prefetch_count")) {
        @Override
        Object value(String column, Map<String, Object> channel) {
            return switch (column) {
                case "pid" -> channel.get("name");
                case "connection" -> detail(channel, "connection_details", "name");
                default -> channel.get(column);
            };
        }
    };

    private static final Columns CONSUMERS = new Columns(List.of("queue_name", "channel_pid", "consumer_tag",
            "ack_required", "prefetch_count", "active", "arguments"), List.of("queue_name", "channel_pid",
            "consumer_tag", "ack_required", "prefetch_count", "active", "activity_status", "arguments")) {
        @Override
        Object value(String column, Map<String, Object> consumer) {
            return switch (column) {
                case "queue_name" -> detail(consumer, "queue", "name");
                case "channel_pid" -> detail(consumer, "channel_details", "name");
                default -> consumer.get(column);
            };
        }
    };

    private ListCommands() {}

    private static Object detail(Map<String, Object> item, String object, String field) {
        return item.get(object) instanceof Map<?, ?> m ? m.get(field) : null;
    }

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
            list(this, path("queues", vhost), vhost, QUEUES, cols);
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
            list(this, path("exchanges", vhost), vhost, EXCHANGES, cols);
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
            list(this, path("connections"), null, CONNECTIONS, cols);
            return 0;
        }
    }

    @Command(name = "list_bindings", description = "Lists the bindings of the vhost given by -p. Columns: "
            + "source_name, source_kind, destination_name, destination_kind, routing_key, arguments.")
    static final class ListBindings extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            List<String> cols = BINDINGS.chosen(columns);
            output().banner("Listing bindings for vhost " + vhost + "...");
            list(this, path("bindings", vhost), vhost, BINDINGS, cols);
            return 0;
        }
    }

    @Command(name = "list_channels", description = "Lists the channels of all connections. Columns: pid (the "
            + "channel's name), user, consumer_count and messages_unacknowledged by default; also connection, name, "
            + "number, vhost, transactional, confirm, messages_uncommitted, acks_uncommitted, messages_unconfirmed, "
            + "prefetch_count, global_prefetch_count.")
    static final class ListChannels extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            List<String> cols = CHANNELS.chosen(columns);
            output().banner("Listing channels ...");
            list(this, path("channels"), null, CHANNELS, cols);
            return 0;
        }
    }

    @Command(name = "list_consumers", description = "Lists the consumers of the vhost given by -p. Columns: "
            + "queue_name, channel_pid (the channel's name), consumer_tag, ack_required, prefetch_count, active, "
            + "arguments; also activity_status.")
    static final class ListConsumers extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            String vhost = root.vhost();
            List<String> cols = CONSUMERS.chosen(columns);
            output().banner("Listing consumers in vhost " + vhost + " ...");
            list(this, path("consumers", vhost), vhost, CONSUMERS, cols);
            return 0;
        }
    }

    /** Lists the items at {@code path}; {@code vhost} is the vhost the path is under, if any. */
    private static void list(Verb.Listing verb, String path, String vhost, Columns columns, List<String> cols) {
        Response r = verb.api().get(path);
        List<Map<String, Object>> items;
        if (r.status() == 404 && vhost != null && verb.api().get(path("vhosts", vhost)).status() == 404) {
            // rabbitmqctl lists nothing, successfully, for a vhost that does not exist
            items = List.of();
        } else {
            // a 404 for a vhost that exists: this broker's API lacks the path, which is an error, not an empty list
            items = Failures.require(r, verb.root).list();
        }
        verb.output().stream(cols, columns, items, verb.noHeaders);
    }
}
