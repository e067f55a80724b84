package io.warren.broker.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One queue's message counts, for the HTTP API's per-queue {@code message_stats} (RabbitMQ's
 * publish, deliver, get, ack and redeliver of a queue) and the rates computed from them.
 *
 * <p>Concurrency: written by the queue's owner loop only, with opaque stores (plain stores on
 * x86: no fence, no lock on the delivery path); read anywhere, each count whole, as of a moment
 * ago.
 */
public final class QueueStats {

    /** What is counted; RabbitMQ's message_stats names in lower case. */
    public enum Stat {
        PUBLISH, DELIVER, DELIVER_NO_ACK, GET, GET_NO_ACK, ACK, REDELIVER;

        public static final Stat[] ALL = values();

        /** The field name in RabbitMQ's message_stats. */
        public String field() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts = new long[Stat.ALL.length];

    /** Owner loop. */
    void add(Stat s) {
        int i = s.ordinal();
        COUNTS.setOpaque(counts, i, counts[i] + 1);
    }

    /** Any thread. */
    public long get(Stat s) {
        return (long) COUNTS.getOpaque(counts, s.ordinal());
    }
}
