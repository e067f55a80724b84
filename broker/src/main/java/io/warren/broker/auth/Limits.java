package io.warren.broker.auth;

import java.util.Map;
import java.util.TreeMap;

/**
 * Named limits of a user ({@code max-connections}, {@code max-channels}) or a vhost
 * ({@code max-connections}, {@code max-queues}), as RabbitMQ names them. A negative value, or
 * none, is no limit; 0 allows nothing. Immutable.
 */
public record Limits(Map<String, Long> values) {

    public static final Limits NONE = new Limits(Map.of());

    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String MAX_CHANNELS = "max-channels";
    public static final String MAX_QUEUES = "max-queues";

    public Limits {
        values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The limit, or -1 when there is none. */
    public long get(String name) {
        Long v = values.get(name);
        return v == null || v < 0 ? -1 : v;
    }

    /** Whether {@code count} things already reach the limit {@code name}, so one more is refused. */
    public boolean reached(String name, long count) {
        long limit = get(name);
        return limit >= 0 && count >= limit;
    }

    public Limits with(String name, long value) {
        Map<String, Long> m = new TreeMap<>(values);
        m.put(name, value);
        return new Limits(m);
    }

    public Limits without(String name) {
        Map<String, Long> m = new TreeMap<>(values);
        m.remove(name);
        return new Limits(m);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
