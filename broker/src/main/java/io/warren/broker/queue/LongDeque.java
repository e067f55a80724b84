package io.warren.broker.queue;

/**
 * A growable ring of longs: the ids of a queue's paged-out messages, 8 bytes each, no boxing.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class LongDeque {

    private long[] ring = new long[16];
    private int head;
    private int size;

    void addLast(long v) {
        if (size == ring.length) {
            long[] bigger = new long[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = v;
        size++;
    }

    long pollFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        long v = ring[head];
        head = (head + 1) & (ring.length - 1);
        size--;
        if (size == 0 && ring.length > 1024) {
            ring = new long[16];
            head = 0;
        }
        return v;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
