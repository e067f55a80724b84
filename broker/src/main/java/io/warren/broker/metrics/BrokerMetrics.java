package io.warren.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.broker.vhost.VirtualHosts;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Prometheus metrics under RabbitMQ's names (its rabbitmq_prometheus plugin), so dashboards and
 * alerts written for RabbitMQ read Warren unchanged, on RabbitMQ's three paths:
 * <ul>
 *   <li>{@link #aggregated()} ({@code /metrics}): node totals; the queue families in one pass
 *       over the queues (see {@link QueueTotals}), whatever their number;</li>
 *   <li>{@link #perObject()} ({@code /metrics/per-object}): the same with one series per queue
 *       and per connection;</li>
 *   <li>{@link #detailed} ({@code /metrics/detailed}): only the families asked for, prefixed
 *       {@code rabbitmq_detailed_}, optionally for some vhosts.</li>
 * </ul>
 * The RabbitMQ families are written by hand ({@link PrometheusText}): their names, help texts and
 * types (RabbitMQ's "untyped" ones among them) are RabbitMQ's, and per-object series come and go
 * with the queues, which Micrometer's registered meters are not made for. Micrometer serves the
 * JVM's own meters (memory, GC, threads, classes, CPU, uptime) under its usual names.
 * Every value is read at scrape time from state the broker keeps anyway: nothing is pushed from
 * the hot path.
 *
 * <p>Concurrency: scrapes run on the metrics HTTP loop (one at a time there); everything read is
 * a LongAdder, a volatile or a concurrent collection.
 */
public final class BrokerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry jvm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final BrokerCounters counters;
    private final NodeState node;
    private final VirtualHosts vhosts;
    private final NodeFamilies nodeFamilies;

    public BrokerMetrics(BrokerCounters counters, NodeState node, VirtualHosts vhosts, NodeIdentity identity,
            String rabbitVersion) {
        this.counters = counters;
        this.node = node;
        this.vhosts = vhosts;
        this.nodeFamilies = new NodeFamilies(counters, node, identity, rabbitVersion);
        new JvmMemoryMetrics().bindTo(jvm);
        gc.bindTo(jvm);
        new JvmThreadMetrics().bindTo(jvm);
        new ClassLoaderMetrics().bindTo(jvm);
        new ProcessorMetrics().bindTo(jvm);
        new UptimeMetrics().bindTo(jvm);
    }

    /** The JVM meters' registry (Micrometer). */
    public MeterRegistry registry() {
        return jvm;
    }

    /** {@code /metrics}. */
    public String aggregated() {
        PrometheusText t = new PrometheusText();
        QueueTotals q = QueueTotals.of(vhosts);
        nodeFamilies.writeNode(t);
        QueueFamilies.writeTotals(t, q);
        nodeFamilies.writeChannelTotals(t, q);
        t.single("rabbitmq_connection_channels", "gauge", "Channels on a connection", openChannels());
        writeConnectionBytes(t, "rabbitmq_", false);
        writeObjectCounts(t, q);
        nodeFamilies.writeIdentity(t);
        nodeFamilies.writeGlobal(t, q);
        return t.raw(jvm.scrape()).toString();
    }

    /** {@code /metrics/per-object}. */
    public String perObject() {
        PrometheusText t = new PrometheusText();
        QueueTotals q = QueueTotals.of(vhosts);
        nodeFamilies.writeNode(t);
        QueueFamilies.writePerQueue(t, vhosts, v -> true, QueueFamilies.ALL, "rabbitmq_");
        nodeFamilies.writeChannelTotals(t, q);
        writePerConnection(t, "rabbitmq_");
        writeConnectionBytes(t, "rabbitmq_", true);
        writeObjectCounts(t, q);
        nodeFamilies.writeIdentity(t);
        nodeFamilies.writeGlobal(t, q);
        return t.raw(jvm.scrape()).toString();
    }

    /** The families {@code /metrics/detailed} knows, as RabbitMQ names them. */
    public static final Set<String> DETAILED_FAMILIES = Set.of("connection_churn_metrics", "queue_coarse_metrics",
            "queue_consumer_count", "queue_metrics", "vhost_status", "exchange_names", "exchange_bindings",
            "connection_coarse_metrics", "connection_metrics");

    /**
     * {@code /metrics/detailed?family=..&vhost=..}: the families asked for (others, RabbitMQ's
     * that Warren does not keep among them, give nothing, as unknown ones do in RabbitMQ), for
     * the vhosts asked for (all when none).
     */
    public String detailed(Set<String> families, Set<String> vhostNames) {
        PrometheusText t = new PrometheusText();
        Predicate<String> wanted = vhostNames.isEmpty() ? v -> true : vhostNames::contains;
        String prefix = "rabbitmq_detailed_";
        if (families.contains("connection_churn_metrics")) {
            nodeFamilies.writeChurn(t, prefix);
        }
        if (families.contains("queue_coarse_metrics")) {
            QueueFamilies.writePerQueue(t, vhosts, wanted, QueueFamilies.COARSE, prefix);
        }
        if (families.contains("queue_consumer_count")) {
            QueueFamilies.writePerQueue(t, vhosts, wanted, QueueFamilies.CONSUMER_COUNT, prefix);
        }
        if (families.contains("queue_metrics")) {
            QueueFamilies.writePerQueue(t, vhosts, wanted, QueueFamilies.METRICS, prefix);
        }
        if (families.contains("connection_coarse_metrics")) {
            writeConnectionBytes(t, prefix, true);
        }
        if (families.contains("connection_metrics")) {
            writePerConnection(t, prefix);
        }
        if (families.contains("vhost_status")) {
            TopologyFamilies.writeVhostStatus(t, vhosts, wanted);
        }
        if (families.contains("exchange_names")) {
            TopologyFamilies.writeExchangeNames(t, vhosts, wanted);
        }
        if (families.contains("exchange_bindings")) {
            TopologyFamilies.writeExchangeBindings(t, vhosts, wanted);
        }
        nodeFamilies.writeIdentity(t);
        return t.toString();
    }

    private void writeObjectCounts(PrometheusText t, QueueTotals q) {
        t.single("rabbitmq_connections", "gauge", "Connections currently open", node.connectionCount());
        t.single("rabbitmq_channels", "gauge", "Channels currently open", openChannels());
        t.single("rabbitmq_consumers", "gauge", "Consumers currently connected", q.consumers());
        t.single("rabbitmq_queues", "gauge", "Queues available", q.queues());
    }

    /** RabbitMQ labels a connection's series {@code channel} too (its process); Warren uses the connection's name. */
    private void writePerConnection(PrometheusText t, String prefix) {
        String name = prefix + "connection_channels";
        t.family(name, "gauge", "Channels on a connection");
        for (NodeState.ConnectionSample c : node.connections()) {
            t.sample(name, c.channels(), "channel", c.name());
        }
    }

    /**
     * The socket bytes of the open connections, per connection or summed (RabbitMQ sums its live
     * connections too: a closed connection's bytes leave the total).
     */
    private void writeConnectionBytes(PrometheusText t, String prefix, boolean perConnection) {
        String in = prefix + "connection_incoming_bytes_total";
        String out = prefix + "connection_outgoing_bytes_total";
        java.util.Collection<NodeState.ConnectionSample> connections = node.connections();
        t.family(in, "counter", "Total number of bytes received on a connection");
        long sum = 0;
        for (NodeState.ConnectionSample c : connections) {
            sum += c.bytesIn();
            if (perConnection) {
                t.sample(in, c.bytesIn(), "channel", c.name());
            }
        }
        if (!perConnection) {
            t.sample(in, sum);
        }
        t.family(out, "counter", "Total number of bytes sent on a connection");
        sum = 0;
        for (NodeState.ConnectionSample c : connections) {
            sum += c.bytesOut();
            if (perConnection) {
                t.sample(out, c.bytesOut(), "channel", c.name());
            }
        }
        if (!perConnection) {
            t.sample(out, sum);
        }
    }

    private long openChannels() {
        return counters.channelsOpened.sum() - counters.channelsClosed.sum();
    }

    @Override
    public void close() {
        gc.close();
        jvm.close();
    }
}
