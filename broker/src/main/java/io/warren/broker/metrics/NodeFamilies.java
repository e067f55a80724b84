package io.warren.broker.metrics;

import io.warren.broker.config.Version;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node-wide families of RabbitMQ's rabbitmq_prometheus plugin, with its names, types and help
 * texts: alarms, churn counters, process limits, authentication, the global message counters
 * (label {@code protocol="amqp091"}), and the channel counters summed over the node.
 *
 * <p>What RabbitMQ reports per channel Warren counts per node (one LongAdder each, see
 * {@link BrokerCounters}): the {@code rabbitmq_channel_*_total} families are therefore the node's
 * totals, monotonic, where RabbitMQ sums its live channels. Dashboards take {@code sum(rate(...))}
 * of them, which reads the same. Families Warren has no truth for (Erlang reductions, the file
 * descriptor alarm it does not raise, per-queue-type splits) are left out rather than faked.
 */
final class NodeFamilies {

    private static final String AMQP = "amqp091";

    private final BrokerCounters c;
    private final NodeState node;
    private final NodeIdentity identity;
    private final String rabbitVersion;

    NodeFamilies(BrokerCounters counters, NodeState node, NodeIdentity identity, String rabbitVersion) {
        this.c = counters;
        this.node = node;
        this.identity = identity;
        this.rabbitVersion = rabbitVersion;
    }

    void writeIdentity(PrometheusText t) {
        t.family("rabbitmq_build_info", "untyped", "RabbitMQ & Erlang/OTP version info")
                .sample("rabbitmq_build_info", 1, "rabbitmq_version", rabbitVersion,
                        "prometheus_plugin_version", Version.number(), "product", "Warren",
                        "warren_version", Version.number(), "java_version", Runtime.version().toString());
        t.family("rabbitmq_identity_info", "untyped", "RabbitMQ node & cluster identity info")
                .sample("rabbitmq_identity_info", 1, "rabbitmq_node", identity.node(),
                        "rabbitmq_cluster", identity.cluster(),
                        "rabbitmq_cluster_permanent_id", identity.permanentId());
    }

    void writeNode(PrometheusText t) {
        t.single("rabbitmq_alarms_free_disk_space_watermark", "untyped",
                "is 1 if free disk space watermark alarm is in effect", node.diskAlarm() ? 1 : 0);
        t.single("rabbitmq_alarms_memory_used_watermark", "untyped",
                "is 1 if VM memory watermark alarm is in effect", node.memoryAlarm() ? 1 : 0);
        writeChurn(t, "rabbitmq_");
        long openFds = ProcessLimits.openFds();
        long maxFds = ProcessLimits.maxFds();
        int connections = node.connectionCount();
        if (openFds >= 0) {
            t.single("rabbitmq_process_open_fds", "gauge", "Open file descriptors", openFds);
        }
        t.single("rabbitmq_process_open_tcp_sockets", "gauge", "Open TCP sockets", connections);
        long rss = ProcessMemory.residentBytes();
        if (rss >= 0) {
            t.single("rabbitmq_process_resident_memory_bytes", "gauge", "Memory used in bytes", rss);
        }
        if (node.diskFreeBytes() >= 0) {
            t.single("rabbitmq_disk_space_available_bytes", "gauge", "Disk space available in bytes",
                    node.diskFreeBytes());
        }
        if (maxFds >= 0) {
            t.single("rabbitmq_process_max_fds", "gauge", "Open file descriptors limit", maxFds);
        }
        long socketLimit = node.connectionLimit() > 0 ? node.connectionLimit() : maxFds;
        if (socketLimit >= 0) {
            // Warren refuses connections beyond connection_max; without one, the descriptors bound them
            t.single("rabbitmq_process_max_tcp_sockets", "gauge", "Open TCP sockets limit", socketLimit);
        }
        t.single("rabbitmq_resident_memory_limit_bytes", "gauge", "Memory high watermark in bytes",
                node.memoryLimitBytes());
        t.single("rabbitmq_disk_space_available_limit_bytes", "gauge", "Free disk space low watermark in bytes",
                node.diskFreeLimitBytes());
        writeAuth(t);
    }

    /** The churn counters; {@code prefix} is rabbitmq_ or, for the detailed endpoint, rabbitmq_detailed_. */
    void writeChurn(PrometheusText t, String prefix) {
        counter(t, prefix + "connections_opened_total", "Total number of connections opened", c.connectionsOpened);
        counter(t, prefix + "connections_closed_total", "Total number of connections closed or terminated",
                c.connectionsClosed);
        counter(t, prefix + "channels_opened_total", "Total number of channels opened", c.channelsOpened);
        counter(t, prefix + "channels_closed_total", "Total number of channels closed", c.channelsClosed);
        counter(t, prefix + "queues_declared_total", "Total number of queues declared", c.queuesDeclared);
        counter(t, prefix + "queues_created_total", "Total number of queues created", c.queuesCreated);
        counter(t, prefix + "queues_deleted_total", "Total number of queues deleted", c.queuesDeleted);
    }

    private void writeAuth(PrometheusText t) {
        amqp(t, "rabbitmq_auth_attempts_total", "counter", "Total number of authorization attempts",
                c.authAttempts.sum());
        amqp(t, "rabbitmq_auth_attempts_succeeded_total", "counter",
                "Total number of successful authentication attempts", c.authSucceeded.sum());
        amqp(t, "rabbitmq_auth_attempts_failed_total", "counter",
                "Total number of failed authentication attempts", c.authFailed.sum());
    }

    /** The channel families, summed over the node (see the class comment). */
    void writeChannelTotals(PrometheusText t, QueueTotals q) {
        t.single("rabbitmq_channel_consumers", "gauge", "Consumers on a channel", q.consumers());
        // every unacknowledged delivery is held by one channel and one queue: the sums agree
        t.single("rabbitmq_channel_messages_unacked", "gauge", "Delivered but not yet acknowledged messages",
                q.unacked());
        t.single("rabbitmq_channel_messages_unconfirmed", "gauge", "Published but not yet confirmed messages",
                c.unconfirmed.sum());
        counter(t, "rabbitmq_channel_messages_published_total",
                "Total number of messages published into an exchange on a channel", c.received);
        counter(t, "rabbitmq_channel_messages_confirmed_total",
                "Total number of messages published into an exchange and confirmed on the channel", c.confirmed);
        counter(t, "rabbitmq_channel_messages_unroutable_returned_total",
                "Total number of messages published as mandatory into an exchange and returned to the publisher"
                        + " as unroutable", c.unroutableReturned);
        counter(t, "rabbitmq_channel_messages_unroutable_dropped_total",
                "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
                c.unroutableDropped);
        counter(t, "rabbitmq_channel_get_ack_total",
                "Total number of messages fetched with basic.get in manual acknowledgement mode", c.deliveredGet);
        counter(t, "rabbitmq_channel_get_total",
                "Total number of messages fetched with basic.get in automatic acknowledgement mode",
                c.deliveredGetAutoAck);
        counter(t, "rabbitmq_channel_messages_delivered_ack_total",
                "Total number of messages delivered to consumers in manual acknowledgement mode",
                c.deliveredConsumeManualAck);
        counter(t, "rabbitmq_channel_messages_delivered_total",
                "Total number of messages delivered to consumers in automatic acknowledgement mode",
                c.deliveredConsumeAutoAck);
        counter(t, "rabbitmq_channel_messages_redelivered_total", "Total number of messages redelivered to consumers",
                c.redelivered);
        counter(t, "rabbitmq_channel_messages_acked_total", "Total number of messages acknowledged by consumers",
                c.acknowledged);
        counter(t, "rabbitmq_channel_get_empty_total", "Total number of times basic.get operations fetched no message",
                c.getEmpty);
        counter(t, "rabbitmq_queue_messages_published_total", "Total number of messages published to queues",
                c.queuePublished);
    }

    /** RabbitMQ's rabbitmq_global_* families (its "global counters"), protocol amqp091. */
    void writeGlobal(PrometheusText t, QueueTotals q) {
        amqp(t, "rabbitmq_global_consumers", "gauge", "Current number of consumers", q.consumers());
        amqp(t, "rabbitmq_global_messages_acknowledged_total", "counter",
                "Total number of messages acknowledged by consumers", c.acknowledged.sum());
        amqp(t, "rabbitmq_global_messages_confirmed_total", "counter",
                "Total number of messages confirmed to publishers", c.confirmed.sum());
        deadLettered(t, "rabbitmq_global_messages_dead_lettered_delivery_limit_total",
                "Total number of messages dead-lettered due to delivery-limit exceeded", c.deadLetteredDeliveryLimit);
        deadLettered(t, "rabbitmq_global_messages_dead_lettered_expired_total",
                "Total number of messages dead-lettered due to message TTL exceeded", c.deadLetteredExpired);
        deadLettered(t, "rabbitmq_global_messages_dead_lettered_maxlen_total",
                "Total number of messages dead-lettered due to overflow drop-head or reject-publish-dlx",
                c.deadLetteredMaxlen);
        deadLettered(t, "rabbitmq_global_messages_dead_lettered_rejected_total",
                "Total number of messages dead-lettered due to basic.reject or basic.nack", c.deadLetteredRejected);
        amqp(t, "rabbitmq_global_messages_delivered_consume_auto_ack_total", "counter",
                "Total number of messages delivered to consumers using basic.consume with automatic acknowledgment",
                c.deliveredConsumeAutoAck.sum());
        amqp(t, "rabbitmq_global_messages_delivered_consume_manual_ack_total", "counter",
                "Total number of messages delivered to consumers using basic.consume with manual acknowledgment",
                c.deliveredConsumeManualAck.sum());
        amqp(t, "rabbitmq_global_messages_delivered_get_auto_ack_total", "counter",
                "Total number of messages delivered to consumers using basic.get with automatic acknowledgment",
                c.deliveredGetAutoAck.sum());
        amqp(t, "rabbitmq_global_messages_delivered_get_manual_ack_total", "counter",
                "Total number of messages delivered to consumers using basic.get with manual acknowledgment",
                c.deliveredGet.sum());
        // RabbitMQ's delivered total counts basic.get answers too; Warren's delivered counter only consumes
        amqp(t, "rabbitmq_global_messages_delivered_total", "counter", "Total number of messages delivered to consumers",
                c.delivered.sum() + c.deliveredGet.sum() + c.deliveredGetAutoAck.sum());
        amqp(t, "rabbitmq_global_messages_get_empty_total", "counter",
                "Total number of times basic.get operations fetched no message", c.getEmpty.sum());
        amqp(t, "rabbitmq_global_messages_received_confirm_total", "counter",
                "Total number of messages received from publishers expecting confirmations", c.receivedConfirm.sum());
        amqp(t, "rabbitmq_global_messages_received_total", "counter",
                "Total number of messages received from publishers", c.received.sum());
        amqp(t, "rabbitmq_global_messages_redelivered_total", "counter",
                "Total number of messages redelivered to consumers", c.redelivered.sum());
        amqp(t, "rabbitmq_global_messages_routed_total", "counter",
                "Total number of messages routed to queues or streams", c.routed.sum());
        amqp(t, "rabbitmq_global_messages_unroutable_dropped_total", "counter",
                "Total number of messages published as non-mandatory into an exchange and dropped as unroutable",
                c.unroutableDropped.sum());
        amqp(t, "rabbitmq_global_publishers", "gauge", "Current number of publishers", c.publishers.sum());
        amqp(t, "rabbitmq_global_messages_unroutable_returned_total", "counter",
                "Total number of messages published as mandatory into an exchange and returned to the publisher as"
                        + " unroutable", c.unroutableReturned.sum());
    }

    private static void counter(PrometheusText t, String name, String help, LongAdder adder) {
        t.single(name, "counter", help, adder.sum());
    }

    private static void amqp(PrometheusText t, String name, String type, String help, double value) {
        t.family(name, type, help).sample(name, value, "protocol", AMQP);
    }

    /** Warren dead-letters at most once (no publisher confirms from the target queues), as classic queues do. */
    private static void deadLettered(PrometheusText t, String name, String help, LongAdder adder) {
        t.family(name, "counter", help).sample(name, adder.sum(), "dead_letter_strategy", "at_most_once");
    }
}
