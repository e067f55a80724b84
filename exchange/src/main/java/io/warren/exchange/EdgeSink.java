package io.warren.exchange;

/**
 * Receives the edges an exchange type matched. The router resolves each edge's destination,
 * de-duplicates queues and walks exchange destinations; a type may yield the same edge twice.
 */
@FunctionalInterface
public interface EdgeSink {
    void accept(Edge edge);
}
