package io.warren.broker.channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel-wide prefetch limit (basic.qos with global=true, as RabbitMQ interprets it): one
 * budget of unacked deliveries shared by all the channel's consumers, whichever queues (and
 * loops) they are on. Queues take credit as they dispatch; acks give it back.
 *
 * <p>Concurrency: taken on queue loops, returned on the connection loop; a CAS loop on one atomic.
 * {@link #release()} answers true when a queue was refused since the last wake-up, so the
 * channel knows when to wake its consumers' queues. A refusal sets the flag before it looks at
 * the count a last time, and a release lowers the count before it reads the flag (both
 * volatile): whichever interleaving, a refused queue is either let through or woken.
 */
final class ChannelCredit {

    private volatile int limit;
    private final AtomicInteger used = new AtomicInteger();
    private volatile boolean starved;

    void limit(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    boolean tryAcquire() {
        int max = limit;
        if (max == 0) {
            used.incrementAndGet();
            return true;
        }
        while (true) {
            int now = used.get();
            if (now >= max) {
                // Announce first, then look again: release() lowers the count before it reads
                // the flag, so either we see the room it made or it sees the flag and wakes us.
                starved = true;
                if (used.get() >= max) {
                    return false;
                }
                continue;
            }
            if (used.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /**
     * Whether the budget has room, without taking any: a no-ack consumer's deliveries do not
     * count against the channel-wide limit, but (as in RabbitMQ's limiter) it gets none while the
     * limit is reached. A refusal is announced like {@link #tryAcquire}'s, so the release that
     * makes room wakes its queue.
     */
    boolean available() {
        int max = limit;
        if (max == 0 || used.get() < max) {
            return true;
        }
        starved = true;
        return used.get() < max;
    }

    /** Gives one unit back; true when some queue may have been waiting for it. */
    boolean release() {
        used.decrementAndGet();
        if (starved) {
            starved = false;
            return true;
        }
        return false;
    }
}
