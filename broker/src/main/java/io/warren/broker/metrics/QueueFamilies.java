package io.warren.broker.metrics;

import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * RabbitMQ's queue families: summed over the node for {@code /metrics}, one series per queue
 * (labels {@code vhost} and {@code queue}) for {@code /metrics/per-object} and the detailed
 * endpoint. The per-queue form reads every queue's counts once into a list, then writes the
 * families from it, so that each family's samples describe the same moment.
 */
final class QueueFamilies {

    private record Family(String suffix, String type, String help, java.util.function.ToLongFunction<Sample> value) {}

    private record Sample(String vhost, String queue, long ready, long unacked, long consumers, long pagedOut,
            long readyBytes) {}

    private static final Family READY = new Family("queue_messages_ready", "gauge",
            "Messages ready to be delivered to consumers", Sample::ready);
    private static final Family UNACKED = new Family("queue_messages_unacked", "gauge",
            "Messages delivered to consumers but not yet acknowledged", Sample::unacked);
    private static final Family MESSAGES = new Family("queue_messages", "gauge",
            "Sum of ready and unacknowledged messages - total queue depth", s -> s.ready() + s.unacked());
    private static final Family CONSUMERS = new Family("queue_consumers", "gauge", "Consumers on a queue",
            Sample::consumers);
    private static final Family PAGED_OUT = new Family("queue_messages_paged_out", "gauge",
            "Messages paged out to disk", Sample::pagedOut);
    /** What is not paged out is in memory: the ready count less the paged-out one. */
    private static final Family READY_RAM = new Family("queue_messages_ready_ram", "gauge",
            "Ready messages stored in memory", s -> Math.max(0, s.ready() - s.pagedOut()));
    private static final Family READY_BYTES = new Family("queue_messages_ready_bytes", "gauge",
            "Size in bytes of ready messages", Sample::readyBytes);

    /** RabbitMQ's queue_coarse_metrics (less its Erlang reductions). */
    static final List<Family> COARSE = List.of(READY, UNACKED, MESSAGES);
    /** RabbitMQ's queue_consumer_count. */
    static final List<Family> CONSUMER_COUNT = List.of(CONSUMERS);
    /** The part of RabbitMQ's queue_metrics Warren keeps (no per-queue memory or byte counts). */
    static final List<Family> METRICS = List.of(CONSUMERS, READY_RAM, READY_BYTES, PAGED_OUT);
    /** What /metrics and /metrics/per-object carry. */
    static final List<Family> ALL = List.of(READY, UNACKED, MESSAGES, CONSUMERS, READY_RAM, READY_BYTES, PAGED_OUT);

    private QueueFamilies() {}

    /** The node's totals, unlabelled. */
    static void writeTotals(PrometheusText t, QueueTotals q) {
        Sample s = new Sample("", "", q.ready(), q.unacked(), q.consumers(), q.pagedOut(), q.readyBytes());
        for (Family f : ALL) {
            t.single("rabbitmq_" + f.suffix(), f.type(), f.help(), f.value().applyAsLong(s));
        }
    }

    /** One series per queue of the vhosts {@code vhostWanted} accepts; {@code prefix} as RabbitMQ's endpoint has it. */
    static void writePerQueue(PrometheusText t, VirtualHosts vhosts, Predicate<String> vhostWanted,
            List<Family> families, String prefix) {
        List<Sample> samples = new ArrayList<>();
        for (VirtualHost vhost : vhosts.all()) {
            if (!vhostWanted.test(vhost.name())) {
                continue;
            }
            for (Queue q : vhost.queues()) {
                samples.add(new Sample(vhost.name(), q.name(), q.messageCount(), q.unackedCount(),
                        q.consumerCount(), q.pagedOutCount(), q.readyBytes()));
            }
        }
        for (Family f : families) {
            String name = prefix + f.suffix();
            t.family(name, f.type(), f.help());
            for (Sample s : samples) {
                t.sample(name, f.value().applyAsLong(s), "vhost", s.vhost(), "queue", s.queue());
            }
        }
    }
}
