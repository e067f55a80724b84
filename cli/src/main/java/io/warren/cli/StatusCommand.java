package io.warren.cli;

import static io.warren.cli.ManagementApi.path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** status: a short form of rabbitmqctl's, from /api/overview (what the API can tell). */
@Command(name = "status", description = "Shows the broker's version, object counts and listeners.")
final class StatusCommand extends Verb {

    @Override
    public Integer call() {
        Map<String, Object> o = Failures.require(api().get(path("overview")), root).object();
        int vhosts = Failures.require(api().get(path("vhosts")), root).list().size();
        Output out = output();
        if (out.json()) {
            out.result(Json.write(json(o, vhosts)));
            return 0;
        }
        out.banner("Status of node " + o.getOrDefault("node", root.nodeLabel()) + " ...");
        out.result("Runtime");
        out.result("");
        out.result("Product name: " + Values.cell(o.get("product_name")));
        out.result("Product version: " + Values.cell(o.get("product_version")));
        out.result("RabbitMQ version: " + Values.cell(o.get("rabbitmq_version")));
        out.result("Node name: " + Values.cell(o.get("node")));
        out.result("");
        out.result("Totals");
        out.result("");
        Map<?, ?> totals = o.get("object_totals") instanceof Map<?, ?> m ? m : Map.of();
        out.result("Connection count: " + Values.cell(totals.get("connections")));
        out.result("Queue count: " + Values.cell(totals.get("queues")));
        out.result("Virtual host count: " + vhosts);
        if (o.get("listeners") instanceof List<?> listeners && !listeners.isEmpty()) {
            out.result("");
            out.result("Listeners");
            out.result("");
            for (Object l : listeners) {
                if (l instanceof Map<?, ?> m) {
                    String protocol = String.valueOf(m.get("protocol"));
                    out.result("Interface: [" + m.get("ip_address") + "], port: " + Values.cell(m.get("port"))
                            + ", protocol: " + protocol + ", purpose: " + purpose(protocol));
                }
            }
        }
        return 0;
    }

    /** The part of rabbitmqctl's status --formatter json the API can tell, under its keys. */
    private static Map<String, Object> json(Map<String, Object> o, int vhosts) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("product_name", o.get("product_name"));
        status.put("product_version", o.get("product_version"));
        status.put("rabbitmq_version", o.get("rabbitmq_version"));
        Map<?, ?> totals = o.get("object_totals") instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("virtual_host_count", vhosts);
        counts.put("connection_count", totals.get("connections"));
        counts.put("queue_count", totals.get("queues"));
        status.put("totals", counts);
        List<Map<String, Object>> listeners = new ArrayList<>();
        if (o.get("listeners") instanceof List<?> ls) {
            for (Object l : ls) {
                if (l instanceof Map<?, ?> m) {
                    Map<String, Object> listener = new LinkedHashMap<>();
                    listener.put("interface", "[" + m.get("ip_address") + "]");
                    listener.put("node", m.get("node"));
                    listener.put("port", m.get("port"));
                    listener.put("protocol", m.get("protocol"));
                    listener.put("purpose", purpose(String.valueOf(m.get("protocol"))));
                    listeners.add(listener);
                }
            }
        }
        status.put("listeners", listeners);
        return status;
    }

    private static String purpose(String protocol) {
        return switch (protocol) {
            case "amqp" -> "AMQP 0-9-1 and AMQP 1.0";
            case "amqp/ssl" -> "AMQP 0-9-1 and AMQP 1.0 over TLS";
            case "http" -> "HTTP API";
            case "https" -> "HTTP API over TLS (HTTPS)";
            case "clustering" -> "inter-node and CLI tool communication";
            case "http/prometheus" -> "Prometheus exporter API over HTTP";
            default -> protocol;
        };
    }
}
