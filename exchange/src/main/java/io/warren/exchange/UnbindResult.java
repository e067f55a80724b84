package io.warren.exchange;

/**
 * Outcome of {@link Topology#unbind}. RabbitMQ 3.x answers the unbind of a missing binding with
 * unbind-ok; whether {@link #NOT_FOUND} becomes an error is the broker's decision.
 */
public enum UnbindResult {
    REMOVED,
    NOT_FOUND,
    SOURCE_NOT_FOUND,
    DESTINATION_NOT_FOUND
}
