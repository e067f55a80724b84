package io.warren.broker.queue;

/**
 * Whether memory is short enough that queues should page their backlog out whatever their own
 * limits say. Per-queue limits alone cannot bound the sum over many queues; this is RabbitMQ's
 * paging ratio: set by the memory monitor when the live heap (or Netty's direct memory) passes
 * half the high watermark, read by a queue on each arrival once it holds more than a page-in
 * batch (a plain volatile read).
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
