package io.warren.broker.vhost;

import io.warren.broker.queue.Paging;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The broker's virtual hosts by name. Looked up lock-free at connection.open. */
public final class VirtualHosts {

    private final Map<String, VirtualHost> byName = new ConcurrentHashMap<>();
    private final VirtualHostListener listener;
    private final Paging paging;
    private final QueuePlacement placement;

    /** Virtual hosts whose queues live on their declaring loop (unit tests). */
    public VirtualHosts(VirtualHostListener listener, Paging paging) {
        this(listener, paging, QueuePlacement.DECLARING_LOOP);
    }

    public VirtualHosts(VirtualHostListener listener, Paging paging, QueuePlacement placement) {
        this.listener = listener;
        this.paging = paging;
        this.placement = placement;
    }

    public VirtualHost find(String name) {
        return byName.get(name);
    }

    public VirtualHost create(String name) {
        return byName.computeIfAbsent(name, n -> new VirtualHost(n, listener, paging, placement));
    }

    public VirtualHost remove(String name) {
        return byName.remove(name);
    }

    public Collection<VirtualHost> all() {
        return byName.values();
    }
}
