package io.warren.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import java.util.function.IntSupplier;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics under RabbitMQ's names (its rabbitmq_prometheus plugin, aggregated form), so
 * dashboards and alerts written for RabbitMQ read Warren unchanged. Every meter is a function of
 * state the broker keeps anyway (counters, queue sizes), read at scrape time: nothing is pushed
 * from the hot path.
 */
public final class BrokerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** {@code openConnections} counts the live AMQP connections at scrape time. */
    public BrokerMetrics(BrokerCounters c, IntSupplier openConnections, VirtualHosts vhosts) {
        counter("rabbitmq.global.messages.received", c.received, "Messages published to the broker");
        counter("rabbitmq.global.messages.routed", c.routed, "Messages routed to at least one queue");
        counter("rabbitmq.global.messages.unroutable.returned", c.unroutableReturned, "Unroutable messages returned");
        counter("rabbitmq.global.messages.unroutable.dropped", c.unroutableDropped, "Unroutable messages dropped");
        counter("rabbitmq.global.messages.confirmed", c.confirmed, "Messages confirmed to publishers");
        counter("rabbitmq.global.messages.delivered", c.delivered, "Messages delivered to consumers");
        counter("rabbitmq.global.messages.delivered.get.manual.ack", c.deliveredGet,
                "Messages fetched with basic.get in manual acknowledgement mode");
        counter("rabbitmq.global.messages.delivered.get.auto.ack", c.deliveredGetAutoAck,
                "Messages fetched with basic.get in automatic acknowledgement mode");
        counter("rabbitmq.global.messages.get.empty", c.getEmpty, "basic.get on an empty queue");
        counter("rabbitmq.global.messages.redelivered", c.redelivered, "Messages redelivered");
        counter("rabbitmq.global.messages.acknowledged", c.acknowledged, "Messages acknowledged by consumers");
        counter("rabbitmq.global.messages.dead.lettered", c.deadLettered, "Messages dead-lettered");
        counter("rabbitmq.connections.opened", c.connectionsOpened, "Connections opened");
        counter("rabbitmq.connections.closed", c.connectionsClosed, "Connections closed");
        counter("rabbitmq.channels.opened", c.channelsOpened, "Channels opened");
        counter("rabbitmq.channels.closed", c.channelsClosed, "Channels closed");
        // RabbitMQ's names, help texts and protocol label (its aggregated auth_attempt_metrics)
        amqpCounter("rabbitmq.auth.attempts", c.authAttempts, "Total number of authorization attempts");
        amqpCounter("rabbitmq.auth.attempts.succeeded", c.authSucceeded,
                "Total number of successful authentication attempts");
        amqpCounter("rabbitmq.auth.attempts.failed", c.authFailed, "Total number of failed authentication attempts");

        gauge("rabbitmq.connections", openConnections, IntSupplier::getAsInt, "Open connections");
        gauge("rabbitmq.channels", c, x -> x.channelsOpened.sum() - x.channelsClosed.sum(), "Open channels");
        gauge("rabbitmq.queues", vhosts, v -> sumQueues(v, q -> 1), "Queues");
        gauge("rabbitmq.consumers", vhosts, v -> sumQueues(v, Queue::consumerCount), "Consumers");
        gauge("rabbitmq.queue.messages.ready", vhosts, v -> sumQueues(v, Queue::messageCount), "Ready messages");
        gauge("rabbitmq.queue.messages.unacked", vhosts, v -> sumQueues(v, Queue::unackedCount),
                "Messages delivered and not yet acknowledged");
        gauge("rabbitmq.queue.messages", vhosts,
                v -> sumQueues(v, q -> q.messageCount() + q.unackedCount()), "Ready and unacknowledged messages");
        gauge("rabbitmq.process.resident.memory.bytes", this, m -> ProcessMemory.residentBytes(),
                "Resident memory of the broker process, from the OS");
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    private void counter(String name, LongAdder adder, String help) {
        if (adder == null) {
            return;
        }
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(registry);
    }

    private void amqpCounter(String name, LongAdder adder, String help) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).tag("protocol", "amqp091")
                .register(registry);
    }

    /**
     * Strongly referenced: Micrometer holds a gauge's source weakly by default, and a source
     * nothing else keeps (the connection count's supplier) would read NaN after a collection.
     */
    private <T> void gauge(String name, T source, ToDoubleFunction<T> f, String help) {
        Gauge.builder(name, source, f).description(help).strongReference(true).register(registry);
    }

    private static double sumQueues(VirtualHosts vhosts, java.util.function.ToIntFunction<Queue> f) {
        long sum = 0;
        for (VirtualHost vhost : vhosts.all()) {
            for (Queue q : vhost.queues()) {
                sum += f.applyAsInt(q);
            }
        }
        return sum;
    }
}
