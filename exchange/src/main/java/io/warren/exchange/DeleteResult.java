package io.warren.exchange;

/** Outcome of {@link Topology#deleteExchange}. */
public enum DeleteResult {
    DELETED,
    NOT_FOUND,
    /** if-unused was set and the exchange is the source of at least one binding. */
    IN_USE
}
