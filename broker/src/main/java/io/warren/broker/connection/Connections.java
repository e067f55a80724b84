package io.warren.broker.connection;

import io.warren.broker.metrics.BrokerCounters;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every live connection, for the HTTP API, metrics and shutdown. */
public final class Connections {

    private final Set<AmqpConnection> live = ConcurrentHashMap.newKeySet();
    private final BrokerCounters counters;

    public Connections(BrokerCounters counters) {
        this.counters = counters;
    }

    void opened(AmqpConnection c) {
        live.add(c);
        counters.connectionsOpened.increment();
    }

    void closed(AmqpConnection c) {
        if (live.remove(c)) {
            counters.connectionsClosed.increment();
        }
    }

    public int count() {
        return live.size();
    }

    public Collection<AmqpConnection> all() {
        return live;
    }
}
