package io.warren.exchange;

/**
 * Receives the queues a message is routed to, one call per queue, each queue at most once per
 * route. Yielding instead of returning a collection is what lets a publish allocate nothing.
 *
 * @param <Q> the broker's queue handle
 */
@FunctionalInterface
public interface RouteSink<Q> {
    void accept(Q queue);
}
