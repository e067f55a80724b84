package io.warren.broker.message;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The broker's message ids: unique, and increasing on each thread, which is the order that
 * matters (a channel publishes from its connection's loop, a queue dead-letters from its own).
 * They key a message in the store and order a queue's messages at recovery.
 *
 * <p>Each thread takes ids from a block of {@link #BLOCK} it reserves with one atomic add, so
 * publishing on several loops does not bounce one counter's cache line between cores for every
 * message. Ids of two threads interleave in blocks, not in publication order; nothing orders
 * messages of different publishers by id more finely than RabbitMQ orders them (it does not).
 * Ids left in a block when the broker stops are never used.
 */
public final class MessageIds implements LongSupplier {

    static final int BLOCK = 1024;

    private final AtomicLong reserved = new AtomicLong();
    /** Per thread: the next id of its block, and the end of the block (exclusive). */
    private final FastThreadLocal<long[]> blocks = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    };

    /** Start-up, before any message is published: new ids are above {@code highest}. */
    public void startAbove(long highest) {
        reserved.set(highest);
    }

    @Override
    public long getAsLong() {
        long[] block = blocks.get();
        if (block[0] == block[1]) {
            long start = reserved.getAndAdd(BLOCK) + 1;
            block[0] = start;
            block[1] = start + BLOCK;
        }
        return block[0]++;
    }
}
