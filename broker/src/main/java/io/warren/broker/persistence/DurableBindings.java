package io.warren.broker.persistence;

import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The durable bindings written so far, by metadata key, and indexed by each of their ends, so
 * that deleting a queue or an exchange finds exactly its bindings without scanning every durable
 * binding of the broker.
 *
 * <p>An end is a queue or an exchange of a vhost; a binding is filed under its source exchange
 * and under its destination (once when the two are the same exchange).
 *
 * <p>Concurrency: called from any loop; every method holds this object's monitor (topology
 * changes are rare and never on the publish or deliver path).
 */
final class DurableBindings {

    private record Entry(String vhost, Binding binding) {}

    private final Map<String, Entry> byKey = new HashMap<>();
    private final Map<String, Set<String>> keysByEnd = new HashMap<>();

    /** Files {@code binding} under {@code key}; a binding already filed stays as it is. */
    synchronized void add(String vhost, String key, Binding binding) {
        if (byKey.putIfAbsent(key, new Entry(vhost, binding)) != null) {
            return;
        }
        keysByEnd.computeIfAbsent(end(vhost, DestinationKind.EXCHANGE, binding.source()), e -> new LinkedHashSet<>())
                .add(key);
        keysByEnd.computeIfAbsent(end(vhost, binding.kind(), binding.destination()), e -> new LinkedHashSet<>())
                .add(key);
    }

    /** Forgets the binding of {@code key}; answers whether it was filed. */
    synchronized boolean remove(String key) {
        Entry gone = byKey.remove(key);
        if (gone == null) {
            return false;
        }
        unfile(end(gone.vhost(), DestinationKind.EXCHANGE, gone.binding().source()), key);
        unfile(end(gone.vhost(), gone.binding().kind(), gone.binding().destination()), key);
        return true;
    }

    /**
     * Forgets every binding with the queue or exchange {@code name} of {@code vhost} at either
     * end (an exchange is both a source and a destination); answers their keys.
     */
    synchronized List<String> removeAllOf(String vhost, DestinationKind kind, String name) {
        Set<String> keys = keysByEnd.get(end(vhost, kind, name));
        if (keys == null) {
            return List.of();
        }
        List<String> gone = new ArrayList<>(keys);
        for (String key : gone) {
            remove(key);
        }
        return gone;
    }

    synchronized int size() {
        return byKey.size();
    }

    /** How many ends have bindings filed: exact when no end is kept without a binding. */
    synchronized int endCount() {
        return keysByEnd.size();
    }

    private void unfile(String end, String key) {
        Set<String> keys = keysByEnd.get(end);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            keysByEnd.remove(end);
        }
    }

    private static String end(String vhost, DestinationKind kind, String name) {
        return vhost + "\0" + kind + "\0" + name;
    }
}
