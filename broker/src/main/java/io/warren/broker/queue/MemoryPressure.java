package io.warren.broker.queue;

/**
 * Whether memory is short enough that queues should page their backlog out whatever their own
 * limits say. Per-queue limits alone cannot bound the sum over many queues; this is RabbitMQ's
 * paging ratio: set by the memory monitor when the live heap passes half the high watermark,
 * read by every queue on every arrival (a plain volatile read).
 */
public final class MemoryPressure {

    private volatile boolean high;

    public boolean high() {
        return high;
    }

    public void set(boolean high) {
        this.high = high;
    }
}
