package io.warren.broker.channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The channel-wide prefetch limit (basic.qos with global=true, as RabbitMQ interprets it): one
 * budget of unacked deliveries shared by all the channel's consumers, whichever queues (and
 * loops) they are on. Queues take credit as they dispatch; acks give it back.
 *
 * <p>Concurrency: taken on queue loops, returned on the connection loop; a CAS loop on one atomic.
 * {@link #release()} answers true when the budget went from exhausted to available, so the
 * channel knows when to wake its consumers' queues.
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
                starved = true;
                return false;
            }
            if (used.compareAndSet(now, now + 1)) {
                return true;
            }
        }
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
