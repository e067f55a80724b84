package io.warren.broker.metrics;

import java.util.Collection;

/**
 * What the metrics read from the node beyond counters and queues: alarms, limits and the open
 * connections. An interface here, implemented by the broker, so that this package needs nothing
 * from the connection package (which counts into {@link BrokerCounters}).
 *
 * <p>Concurrency: called on the metrics HTTP loop while the broker runs; implementations read
 * volatile or concurrent state only.
 */
public interface NodeState {

    boolean memoryAlarm();

    boolean diskAlarm();

    /** Where the memory alarm sets, in bytes. */
    long memoryLimitBytes();

    /** Free bytes on the data directory's disk at the last check; negative when unknown. */
    long diskFreeBytes();

    long diskFreeLimitBytes();

    /** The most AMQP connections the node accepts (its connection_max), or 0 when unlimited. */
    int connectionLimit();

    int connectionCount();

    /** A sample of every open connection (per-object series only: it allocates one per connection). */
    Collection<ConnectionSample> connections();

    /** One open AMQP connection: its name as the HTTP API gives it, its channels, its socket's bytes. */
    record ConnectionSample(String name, int channels, long bytesIn, long bytesOut) {}
}
