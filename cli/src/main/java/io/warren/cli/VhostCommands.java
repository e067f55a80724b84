package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import io.warren.cli.ManagementApi.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** add_vhost, delete_vhost, list_vhosts. */
final class VhostCommands {

    private static final Columns COLUMNS = new Columns(List.of("name"),
            List.of("name", "description", "tags", "tracing", "cluster_state", "default_queue_type")) {
        @Override
        Object value(String column, Map<String, Object> vhost) {
            Object v = vhost.get(column);
            return switch (column) {
                case "tags" -> Values.tags(v);
                case "tracing" -> Boolean.TRUE.equals(v);
                case "cluster_state", "default_queue_type" -> cell(column, vhost);
                default -> v;
            };
        }

        @Override
        String cell(String column, Map<String, Object> vhost) {
            Object v = vhost.get(column);
            return switch (column) {
                case "tags" -> Values.cell(Values.tags(v));
                case "tracing" -> String.valueOf(Boolean.TRUE.equals(v));
                case "cluster_state" -> clusterState(v);
                case "default_queue_type" -> v == null ? "undefined" : String.valueOf(v);
                default -> Values.cell(v);
            };
        }
    };

    private VhostCommands() {}

    @Command(name = "add_vhost", description = "Creates a virtual host (nothing happens if it exists).")
    static final class AddVhost extends Verb {
        @Parameters(index = "0", paramLabel = "<vhost>")
        String vhost;
        @Option(names = "--description", paramLabel = "<description>")
        String description;
        @Option(names = "--tags", paramLabel = "<tags>", description = "Comma-separated.")
        String tags;
        @Option(names = "--default-queue-type", paramLabel = "<type>")
        String defaultQueueType;

        @Override
        public Integer call() {
            output().banner("Adding vhost \"" + vhost + "\" ...");
            Map<String, Object> body = new LinkedHashMap<>();
            if (description != null) {
                body.put("description", description);
            }
            if (tags != null) {
                body.put("tags", tags);
            }
            if (defaultQueueType != null) {
                body.put("default_queue_type", defaultQueueType);
            }
            boolean existed = api().get(path("vhosts", vhost)).ok();
            Failures.require(api().put(path("vhosts", vhost), body), root);
            if (!existed) {
                // RabbitMQ's API grants the creating user full permissions in a new vhost;
                // rabbitmqctl's add_vhost grants nobody anything, and runbooks then set them
                Response granted = api().delete(path("permissions", vhost, root.username()));
                if (granted.status() != 404) {
                    Failures.require(granted, root);
                }
            }
            return 0;
        }
    }

    @Command(name = "delete_vhost", description = "Deletes a virtual host and everything in it.")
    static final class DeleteVhost extends Verb {
        @Parameters(index = "0", paramLabel = "<vhost>")
        String vhost;

        @Override
        public Integer call() {
            output().banner("Deleting vhost \"" + vhost + "\" ...");
            Response r = api().delete(path("vhosts", vhost));
            if (r.status() == 404) {
                throw CliException.vhostDoesNotExist(vhost);
            }
            Failures.require(r, root);
            return 0;
        }
    }

    @Command(name = "list_vhosts", description = "Lists virtual hosts. Columns: name (default), description, "
            + "tags, tracing, cluster_state, default_queue_type.")
    static final class ListVhosts extends Verb.Listing {
        @Parameters(paramLabel = "<column>", arity = "0..*")
        List<String> columns;

        @Override
        public Integer call() {
            List<String> cols = COLUMNS.chosen(columns);
            output().banner("Listing vhosts ...");
            Response r = Failures.require(api().get(path("vhosts")), root);
            output().table(cols, COLUMNS, r.list(), noHeaders);
            return 0;
        }
    }

    private static String clusterState(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('{').append(e.getKey()).append(", ").append(e.getValue()).append('}');
        }
        return sb.append(']').toString();
    }
}
