package io.warren.exchange;

/** What a binding points at: a queue (queue.bind) or another exchange (exchange.bind). */
public enum DestinationKind {
    QUEUE,
    EXCHANGE
}
