package io.warren.broker.channel;

import io.warren.amqp.BasicMethod;

/**
 * Publisher confirms for one channel: sequence numbers, which are still waiting (for the disk),
 * and the batched basic.ack / basic.nack frames that tell the publisher.
 *
 * <p>A publish that needs no disk is confirmable at once; one that waits for the store is
 * outstanding until its completion. Confirms are not written per message: at the end of each
 * batch the channel sends one basic.ack with multiple=true up to the highest sequence number below
 * the oldest outstanding one. Nacks (rare) go out individually, before that ack.
 *
 * <p>Backpressure, as RabbitMQ's credit flow towards its message store: {@link #full} tells the
 * channel when so many publishes (or bytes) wait for the disk that their publisher should stop
 * being read, {@link #drained} when it may be read again.
 *
 * <p>Concurrency: connection loop only (store completions hop here first).
 */
final class Confirms {

    /** Publishes waiting for the disk at which their publisher stops being read (RabbitMQ's msg_store credit: 4,000). */
    static final int MAX_WAITING = 4096;
    /** Their bodies' bytes at which it stops too: large messages fill memory long before 4,096 of them. */
    static final long MAX_WAITING_BYTES = 64L << 20;

    private boolean enabled;
    private long lastSeq;
    private long lastAcked;
    /** Outstanding sequence numbers, oldest first, as a ring; {@code done} marks finished ones. */
    private long[] outstanding = new long[16];
    private boolean[] done = new boolean[16];
    private long[] bytes = new long[16];
    private int head;
    private int size;
    private long waitingBytes;
    private long[] nacks = new long[4];
    private int nackCount;
    private long[] holes = new long[4];
    private int holeCount;

    void enable() {
        enabled = true;
    }

    boolean enabled() {
        return enabled;
    }

    /** The next publish's sequence number. */
    long next() {
        return ++lastSeq;
    }

    /** The publish {@code seq}, of {@code size} bytes, waits for the disk before it may be confirmed. */
    void await(long seq, long messageBytes) {
        if (size == outstanding.length) {
            grow();
        }
        int slot = (head + size) & (outstanding.length - 1);
        outstanding[slot] = seq;
        done[slot] = false;
        bytes[slot] = messageBytes;
        waitingBytes += messageBytes;
        size++;
    }

    /** So much waits for the disk that the publisher should stop being read. */
    boolean full() {
        return size >= MAX_WAITING || waitingBytes >= MAX_WAITING_BYTES;
    }

    /** Down to half of either limit: a publisher stopped for {@link #full} may be read again. */
    boolean drained() {
        return size <= MAX_WAITING / 2 && waitingBytes <= MAX_WAITING_BYTES / 2;
    }

    /** The wait for {@code seq} is over; {@code ok} false turns its confirm into a nack. */
    void finished(long seq, boolean ok) {
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & (outstanding.length - 1);
            if (outstanding[slot] == seq) {
                done[slot] = true;
                waitingBytes -= bytes[slot];
                break;
            }
        }
        if (!ok) {
            nack(seq);
        }
        while (size > 0 && done[head]) {
            head = (head + 1) & (outstanding.length - 1);
            size--;
        }
    }

    /** The publish {@code seq} will be nacked (the broker could not take it). */
    void nack(long seq) {
        if (nackCount == nacks.length) {
            nacks = java.util.Arrays.copyOf(nacks, nackCount * 2);
        }
        nacks[nackCount++] = seq;
    }

    /**
     * Publishes not yet told (neither acked nor nacked to the publisher): RabbitMQ's
     * unconfirmed count. Nacks above the last ack are told already (the holes).
     */
    long untold() {
        return lastSeq - lastAcked - holeCount;
    }

    boolean hasWork() {
        return enabled && (nackCount > 0 || confirmableUpTo() > lastAcked);
    }

    private long confirmableUpTo() {
        return size == 0 ? lastSeq : outstanding[head] - 1;
    }

    /**
     * Writes what can be told now: nacks at once, then acks (multiple=true) for everything below
     * the oldest outstanding publish, in runs that skip the nacked ones, so no publish is both
     * nacked and acked. Answers how many publishes were acked.
     */
    int flush(AmqpChannel channel) {
        long before = lastAcked;
        int nacked = nackCount;
        for (int i = 0; i < nackCount; i++) {
            channel.send(new BasicMethod.Nack(nacks[i], false, false));
            addHole(nacks[i]);
        }
        nackCount = 0;
        long upTo = confirmableUpTo();
        while (lastAcked < upTo) {
            long hole = holeCount > 0 ? holes[0] : Long.MAX_VALUE;
            if (hole > upTo) {
                ack(channel, upTo);
                break;
            }
            if (hole > lastAcked + 1) {
                ack(channel, hole - 1);
            }
            lastAcked = hole;
            System.arraycopy(holes, 1, holes, 0, --holeCount);
        }
        return (int) (lastAcked - before) - nacked;
    }

    private void ack(AmqpChannel channel, long upTo) {
        channel.send(new BasicMethod.Ack(upTo, upTo - lastAcked > 1));
        lastAcked = upTo;
    }

    /** Nacked sequence numbers above the last ack, sorted: acks must step over them. */
    private void addHole(long seq) {
        if (seq <= lastAcked) {
            return;
        }
        if (holeCount == holes.length) {
            holes = java.util.Arrays.copyOf(holes, holeCount * 2);
        }
        int i = holeCount;
        while (i > 0 && holes[i - 1] > seq) {
            holes[i] = holes[i - 1];
            i--;
        }
        holes[i] = seq;
        holeCount++;
    }

    private void grow() {
        long[] o = new long[outstanding.length * 2];
        boolean[] d = new boolean[o.length];
        long[] b = new long[o.length];
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & (outstanding.length - 1);
            o[i] = outstanding[slot];
            d[i] = done[slot];
            b[i] = bytes[slot];
        }
        outstanding = o;
        done = d;
        bytes = b;
        head = 0;
    }
}
