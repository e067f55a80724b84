package io.warren.broker.connection;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every live connection, for the HTTP API, metrics and shutdown. */
public final class Connections {

    private final Set<AmqpConnection> live = ConcurrentHashMap.newKeySet();

    void opened(AmqpConnection c) {
        live.add(c);
    }

    void closed(AmqpConnection c) {
        live.remove(c);
    }

    public int count() {
        return live.size();
    }

    public Collection<AmqpConnection> all() {
        return live;
    }
}
