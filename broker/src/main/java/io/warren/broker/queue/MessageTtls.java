package io.warren.broker.queue;

import java.util.Arrays;

/**
 * A queue's message TTL over time. RabbitMQ fixes a message's expiry when the message arrives,
 * from the TTL in effect then: a policy that sets or changes a queue's message TTL applies to
 * messages that arrive afterwards, not to those already there. A queue therefore judges each
 * message by the TTL in effect at its arrival: the TTL since each change, oldest first, -1 for
 * "none".
 *
 * <p>When a change finds the queue empty, the history starts again with it: a new queue's first
 * policy, or one applied at start-up before the stored messages come back, is simply its TTL.
 * A long run of changes to a queue that is never empty keeps the last {@link #MAX_CHANGES}.
 *
 * <p>Immutable; the queue publishes the current one in a volatile.
 */
record MessageTtls(long[] since, long[] ttls) {

    static final int MAX_CHANGES = 64;

    static MessageTtls of(long ttl) {
        return new MessageTtls(new long[] {Long.MIN_VALUE}, new long[] {ttl});
    }

    /** The TTL of a message that arrived at {@code arrivalMillis}, -1 for none. */
    long at(long arrivalMillis) {
        for (int i = since.length - 1; i > 0; i--) {
            if (arrivalMillis >= since[i]) {
                return ttls[i];
            }
        }
        return ttls[0];
    }

    /** Whether some message may have a TTL. */
    boolean any() {
        for (long t : ttls) {
            if (t >= 0) {
                return true;
            }
        }
        return false;
    }

    long current() {
        return ttls[ttls.length - 1];
    }

    /** The TTL becomes {@code ttl} from {@code now} on; {@code empty}: no message predates it. */
    MessageTtls changed(long ttl, long now, boolean empty) {
        if (empty) {
            return of(ttl);
        }
        if (ttl == current()) {
            return this;
        }
        int keep = Math.min(since.length, MAX_CHANGES - 1);
        long[] s = Arrays.copyOfRange(since, since.length - keep, since.length + 1);
        long[] t = Arrays.copyOfRange(ttls, ttls.length - keep, ttls.length + 1);
        s[0] = Long.MIN_VALUE;
        s[keep] = now;
        t[keep] = ttl;
        return new MessageTtls(s, t);
    }
}
