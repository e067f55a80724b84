package io.warren.exchange;

/** Outcome of {@link Topology#bind}. */
public enum BindResult {
    CREATED,
    /** An identical binding (same routing key and same arguments) already existed. */
    EXISTS,
    SOURCE_NOT_FOUND,
    DESTINATION_NOT_FOUND
}
