package io.warren.exchange;

import java.util.Map;

/**
 * A binding installed in the topology: the {@link Binding} value and its resolved destination (a
 * queue or an exchange), an edge of the routing graph. Exchange types store edges in their
 * {@link BindingTable} and yield the matching ones; they never look at the destination.
 *
 * <p>Concurrency: immutable for readers. The link fields are the {@link Topology}'s per-source and
 * per-destination indexes, touched only under its lock and never read while routing.
 */
public final class Edge extends SlotList.Element {

    private final Binding binding;
    /** A {@link QueueEntry} or an {@link Exchange}. */
    final Object target;
    final Exchange source;

    Edge prevOut;
    Edge nextOut;
    Edge prevIn;
    Edge nextIn;

    Edge(Binding binding, Exchange source, Object target) {
        this.binding = binding;
        this.source = source;
        this.target = target;
    }

    public Binding binding() {
        return binding;
    }

    public String routingKey() {
        return binding.routingKey();
    }

    public Map<String, Object> arguments() {
        return binding.arguments();
    }

    @Override
    public String toString() {
        return "Edge" + binding;
    }
}
