package io.warren.broker.queue;

/**
 * How much of a queue's backlog stays in memory: past {@code maxMessages} ready messages or
 * {@code maxBytes} of their bodies, or once {@code pressure} is high and the queue holds more than
 * a page-in batch, newly arriving messages go to the page store (through the {@link PagingThread},
 * off the queue's loop) and only their ids (8 bytes each) stay in the queue, until consumers have
 * worked the in-memory part down; then they come back in batches, in order.
 */
public record Paging(PagingThread pager, int maxMessages, long maxBytes, MemoryPressure pressure) {

    /** No paging: everything stays in memory (tests, embedded brokers without a data dir). */
    public static final Paging OFF = new Paging(null, Integer.MAX_VALUE, Long.MAX_VALUE, new MemoryPressure());

    boolean enabled() {
        return pager != null;
    }
}
