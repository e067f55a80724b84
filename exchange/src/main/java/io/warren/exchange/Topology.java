package io.warren.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One virtual host's exchanges, queues and bindings, and the routing of messages through them.
 *
 * <p>Queues are the broker's opaque handles ({@code Q}), registered by name; they are also the
 * implicit bindings of the default exchange "", which always exists. Exchanges are declared with
 * a type from an {@link ExchangeTypes} registry. Bindings go from an exchange to a queue or to
 * another exchange; their five components are their identity.
 *
 * <p>Auto-delete follows RabbitMQ: an auto-delete exchange is deleted when a binding it is the
 * source of is removed (unbind, deletion of the destination queue or exchange) and it has none
 * left; never merely because it was declared without any. Deletions cascade: deleting an
 * exchange removes the bindings to it, which may auto-delete their sources, and so on. The
 * methods that can cascade report the names of the exchanges auto-deleted, so the broker can
 * forget them durably.
 *
 * <p>Concurrency: mutations (queues, exchanges, bindings) take one lock and are atomic with
 * respect to each other, cascades included. Lookups ({@link #queue}, {@link #exchange}) and
 * {@link #route} take no lock: queues and exchanges live in {@link ConcurrentHashMap}s, and each
 * exchange's {@link BindingTable} is edited in place by the lock holder in a way lock-free readers
 * tolerate ({@link SlotList}, {@link WordTable}); no snapshot of a whole table is ever copied, so a
 * bind costs O(1) amortised (O(words) for topic). A route sees every binding that was in place
 * for its whole duration; one added or removed meanwhile may or may not be used. A queue removed
 * during a route may still be yielded by it: the broker must tolerate a handle of a deleted queue.
 * The lock is never held while calling back into the broker.
 *
 * @param <Q> the broker's queue handle
 */
public final class Topology<Q> {

    private final ExchangeTypes types;
    private final ConcurrentHashMap<String, QueueEntry<Q>> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Exchange> exchanges = new ConcurrentHashMap<>();
    private final Exchange defaultExchange;

    private final Object lock = new Object();
    private final Map<Binding, Edge> edges = new HashMap<>();  // lock
    private final IdPool queueIds = new IdPool();               // lock
    private final IdPool exchangeIds = new IdPool();            // lock

    /** A topology with the standard exchange types. */
    public Topology() {
        this(ExchangeTypes.standard());
    }

    public Topology(ExchangeTypes types) {
        this.types = types;
        ExchangeDefinition definition = new ExchangeDefinition(
                "", DirectExchangeType.NAME, true, false, false, Map.of());
        this.defaultExchange = new Exchange(definition, types.require(DirectExchangeType.NAME),
                exchangeIds.acquire());
        exchanges.put("", defaultExchange);
    }

    public ExchangeTypes types() {
        return types;
    }

    /**
     * Declares what RabbitMQ creates in every vhost: amq.direct, amq.fanout, amq.topic,
     * amq.headers, amq.match and the internal amq.rabbitmq.trace.
     */
    public void declareStandardExchanges() {
        declareExchange(ExchangeDefinition.of("amq.direct", DirectExchangeType.NAME));
        declareExchange(ExchangeDefinition.of("amq.fanout", FanoutExchangeType.NAME));
        declareExchange(ExchangeDefinition.of("amq.topic", TopicExchangeType.NAME));
        declareExchange(ExchangeDefinition.of("amq.headers", HeadersExchangeType.NAME));
        declareExchange(ExchangeDefinition.of("amq.match", HeadersExchangeType.NAME));
        declareExchange(new ExchangeDefinition("amq.rabbitmq.trace", TopicExchangeType.NAME,
                true, false, true, Map.of()));
    }

    // ---------------------------------------------------------------- queues

    /** Registers a queue. Registering the same handle again is a no-op; another handle fails. */
    public void addQueue(String name, Q queue) {
        synchronized (lock) {
            QueueEntry<Q> existing = queues.get(name);
            if (existing != null) {
                if (existing.handle == queue) {
                    return;
                }
                throw new IllegalStateException("queue already registered: " + name);
            }
            queues.put(name, new QueueEntry<>(name, queue, queueIds.acquire()));
        }
    }

    /** The queue's handle, or null. Lock-free. */
    public Q queue(String name) {
        QueueEntry<Q> entry = queues.get(name);
        return entry == null ? null : entry.handle;
    }

    QueueEntry<Q> queueEntry(String name) {
        return queues.get(name);
    }

    /**
     * Removes a queue and every binding to it. Returns the names of the exchanges auto-deleted
     * as a consequence (empty if none, or if there was no such queue).
     */
    public List<String> removeQueue(String name) {
        List<String> autoDeleted = new ArrayList<>();
        synchronized (lock) {
            QueueEntry<Q> queue = queues.remove(name);
            if (queue == null) {
                return List.of();
            }
            for (Edge e = queue.firstIn; e != null; ) {
                Edge next = e.nextIn;
                removeEdge(e, autoDeleted);
                e = next;
            }
            queueIds.release(queue.id);
        }
        return autoDeleted;
    }

    // ---------------------------------------------------------------- exchanges

    /**
     * Creates the exchange, or returns the existing one of that name untouched. Throws
     * {@link UnknownExchangeTypeException} for a type not in the registry (checked first, even if
     * the exchange exists, as RabbitMQ does), or what the type's validation throws.
     */
    public Declared declareExchange(ExchangeDefinition definition) {
        ExchangeType type = types.require(definition.type());
        synchronized (lock) {
            Exchange existing = exchanges.get(definition.name());
            if (existing != null) {
                return new Declared(existing, false);
            }
            type.validate(definition);
            Exchange exchange = new Exchange(definition, type, exchangeIds.acquire());
            exchanges.put(definition.name(), exchange);
            return new Declared(exchange, true);
        }
    }

    /** The exchange, or null; "" is the default exchange. Lock-free. */
    public Exchange exchange(String name) {
        return exchanges.get(name);
    }

    public Exchange defaultExchange() {
        return defaultExchange;
    }

    /** Every exchange, the default one included. */
    public Collection<Exchange> exchanges() {
        return List.copyOf(exchanges.values());
    }

    public DeleteResult deleteExchange(String name, boolean ifUnused) {
        return deleteExchange(name, ifUnused, ignored -> { });
    }

    /**
     * Deletes an exchange and every binding from or to it; with {@code ifUnused}, only if it is
     * the source of no binding (as RabbitMQ: bindings to it do not count). {@code autoDeleted}
     * receives, after the lock is released, each exchange auto-deleted by the cascade.
     */
    public DeleteResult deleteExchange(String name, boolean ifUnused,
                                       Consumer<? super String> autoDeleted) {
        requireNotDefault(name);
        List<String> cascade = new ArrayList<>();
        DeleteResult result;
        synchronized (lock) {
            Exchange exchange = exchanges.get(name);
            if (exchange == null) {
                result = DeleteResult.NOT_FOUND;
            } else if (ifUnused && exchange.outCount > 0) {
                result = DeleteResult.IN_USE;
            } else {
                delete(exchange, cascade);
                result = DeleteResult.DELETED;
            }
        }
        cascade.forEach(autoDeleted);
        return result;
    }

    // ---------------------------------------------------------------- bindings

    /**
     * Adds a binding. Throws {@link InvalidBindingException} if the source's type refuses its
     * arguments, {@link IllegalArgumentException} for a binding from or to the default exchange
     * (the broker refuses those first, with 403).
     */
    public BindResult bind(Binding binding) {
        requireNotDefault(binding);
        synchronized (lock) {
            Exchange source = exchanges.get(binding.source());
            if (source == null) {
                return BindResult.SOURCE_NOT_FOUND;
            }
            Object target = destination(binding);
            if (target == null) {
                return BindResult.DESTINATION_NOT_FOUND;
            }
            if (edges.containsKey(binding)) {
                return BindResult.EXISTS;
            }
            source.exchangeType().validateBinding(binding);
            Edge edge = new Edge(Edges.canonical(binding, source, target), source, target);
            source.table.add(edge); // first: if the table throws, the indexes are untouched
            edges.put(edge.binding(), edge); // the canonical value, not the caller's
            Edges.linkOut(source, edge);
            Edges.linkIn(target, edge);
            return BindResult.CREATED;
        }
    }

    public UnbindResult unbind(Binding binding) {
        return unbind(binding, ignored -> { });
    }

    /** Removes a binding; {@code autoDeleted} receives the exchanges auto-deleted as a result. */
    public UnbindResult unbind(Binding binding, Consumer<? super String> autoDeleted) {
        requireNotDefault(binding);
        List<String> cascade = new ArrayList<>();
        UnbindResult result;
        synchronized (lock) {
            Edge edge = edges.get(binding);
            if (!exchanges.containsKey(binding.source())) {
                result = UnbindResult.SOURCE_NOT_FOUND;
            } else if (destination(binding) == null) {
                result = UnbindResult.DESTINATION_NOT_FOUND;
            } else if (edge == null) {
                result = UnbindResult.NOT_FOUND;
            } else {
                removeEdge(edge, cascade);
                result = UnbindResult.REMOVED;
            }
        }
        cascade.forEach(autoDeleted);
        return result;
    }

    /** Every explicit binding (not the default exchange's implicit ones), grouped by source. */
    public List<Binding> bindings() {
        synchronized (lock) {
            List<Binding> all = new ArrayList<>(edges.size());
            for (Exchange x : exchanges.values()) {
                for (Edge e = x.firstOut; e != null; e = e.nextOut) {
                    all.add(e.binding());
                }
            }
            return all;
        }
    }

    /** The bindings an exchange is the source of, oldest first; empty if there is no such exchange. */
    public List<Binding> bindingsFrom(String source) {
        synchronized (lock) {
            Exchange x = exchanges.get(source);
            List<Binding> out = new ArrayList<>();
            for (Edge e = x == null ? null : x.firstOut; e != null; e = e.nextOut) {
                out.add(e.binding());
            }
            return out;
        }
    }

    /** The bindings to a queue or an exchange, oldest first. */
    public List<Binding> bindingsTo(DestinationKind kind, String name) {
        synchronized (lock) {
            Object target = kind == DestinationKind.QUEUE ? queues.get(name) : exchanges.get(name);
            List<Binding> in = new ArrayList<>();
            for (Edge e = target == null ? null : Edges.firstIn(target); e != null; e = e.nextIn) {
                in.add(e.binding());
            }
            Collections.reverse(in); // the list is kept newest first
            return in;
        }
    }

    // ---------------------------------------------------------------- routing

    /**
     * Yields each queue the message goes to, once, and returns how many. Takes no lock and
     * allocates nothing; see {@link Router} for the walk (default exchange, exchange-to-exchange
     * bindings, alternate exchanges). Does not check {@link Exchange#internal()}: publishing to an
     * internal exchange is refused by the broker, while routing into one through a binding is
     * normal.
     */
    public int route(Exchange exchange, RoutableMessage message, RouteSink<Q> sink) {
        if (exchange.isDefault()) { // the common case, without the walk
            QueueEntry<Q> queue = queues.get(message.routingKey());
            if (queue == null) {
                return 0;
            }
            sink.accept(queue.handle);
            return 1;
        }
        return Router.route(this, exchange, message, sink);
    }

    // ---------------------------------------------------------------- internals (lock held)

    private Object destination(Binding binding) {
        return binding.kind() == DestinationKind.QUEUE
                ? queues.get(binding.destination())
                : exchanges.get(binding.destination());
    }

    private void delete(Exchange exchange, List<String> autoDeleted) {
        exchange.deleted = true;
        exchanges.remove(exchange.name());
        for (Edge e = exchange.firstOut; e != null; ) {
            Edge next = e.nextOut;
            removeEdge(e, autoDeleted);
            e = next;
        }
        for (Edge e = exchange.firstIn; e != null; ) {
            Edge next = e.nextIn;
            removeEdge(e, autoDeleted);
            e = next;
        }
        exchangeIds.release(exchange.id);
    }

    /** Removes one binding, then auto-deletes its source if that was its last one. */
    private void removeEdge(Edge edge, List<String> autoDeleted) {
        Exchange source = edge.source;
        source.table.remove(edge);
        edges.remove(edge.binding());
        Edges.unlinkOut(source, edge);
        Edges.unlinkIn(edge.target, edge);
        if (source.outCount == 0 && source.autoDelete() && !source.deleted) {
            autoDeleted.add(source.name());
            delete(source, autoDeleted);
        }
    }

    private static void requireNotDefault(String exchangeName) {
        if (exchangeName.isEmpty()) {
            throw new IllegalArgumentException("operation not permitted on the default exchange");
        }
    }

    private static void requireNotDefault(Binding binding) {
        requireNotDefault(binding.source());
        if (binding.kind() == DestinationKind.EXCHANGE) {
            requireNotDefault(binding.destination());
        }
    }
}
