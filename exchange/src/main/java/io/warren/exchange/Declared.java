package io.warren.exchange;

/**
 * Outcome of {@link Topology#declareExchange}: the exchange now in the topology, and whether this
 * call created it. When {@code created} is false the existing exchange was left untouched; the
 * broker compares {@code exchange.definition()} with what was asked for (406 if not equivalent).
 */
public record Declared(Exchange exchange, boolean created) {
}
