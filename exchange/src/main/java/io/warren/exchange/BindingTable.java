package io.warren.exchange;

/**
 * One exchange's bindings, organised by its type for matching: a hash by routing key (direct), a
 * trie (topic), a plain list (fanout, headers). Created by {@link ExchangeType#newTable}.
 *
 * <p>Concurrency: {@link #add} and {@link #remove} are called by one thread at a time (the
 * topology's lock is held). {@link #match} is called by any number of publishing threads at the
 * same time as those, without a lock, and must yield every edge that was added before the call
 * started and not removed before it ended; an edge added or removed meanwhile may or may not be
 * yielded. {@link SlotList} gives exactly that.
 */
public interface BindingTable {

    /** Installs an edge. The type has already validated its binding. */
    void add(Edge edge);

    /** Removes an edge previously added. */
    void remove(Edge edge);

    /**
     * Yields the edges that match the message. Should allocate nothing: it runs once per
     * exchange per publish. Yielding an edge twice is allowed (the router de-duplicates).
     */
    void match(RoutableMessage message, EdgeSink sink);
}
