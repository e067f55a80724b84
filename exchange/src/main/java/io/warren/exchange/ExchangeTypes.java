package io.warren.exchange;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange types a broker knows, by wire name. {@link #standard()} holds the four of AMQP
 * 0-9-1 (direct, fanout, topic, headers; the default exchange "" is a direct exchange the
 * topology treats specially). Plugins add theirs with {@link #register}; the router never
 * changes.
 *
 * <p>Concurrency: backed by a {@link ConcurrentHashMap}; safe to read and register from any
 * thread, though types are normally all registered at start-up.
 */
public final class ExchangeTypes {

    private final ConcurrentHashMap<String, ExchangeType> byName = new ConcurrentHashMap<>();

    /** A registry with direct, fanout, topic and headers. */
    public static ExchangeTypes standard() {
        return new ExchangeTypes()
                .register(new DirectExchangeType())
                .register(new FanoutExchangeType())
                .register(new TopicExchangeType())
                .register(new HeadersExchangeType());
    }

    /** Adds a type; refuses a second type with the same name. Returns this registry. */
    public ExchangeTypes register(ExchangeType type) {
        if (byName.putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("exchange type already registered: " + type.name());
        }
        return this;
    }

    /** The type with this wire name, or null if none is registered. */
    public ExchangeType find(String name) {
        return byName.get(name);
    }

    public boolean isKnown(String name) {
        return byName.containsKey(name);
    }

    /** The type with this wire name; throws {@link UnknownExchangeTypeException} if none. */
    public ExchangeType require(String name) {
        ExchangeType type = byName.get(name);
        if (type == null) {
            throw new UnknownExchangeTypeException(name);
        }
        return type;
    }

    public Set<String> names() {
        return Set.copyOf(byName.keySet());
    }
}
