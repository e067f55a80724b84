package io.warren.broker.queue;

import java.util.ArrayDeque;

/**
 * A FIFO of longs: the ids of a queue's paged-out messages, 8 bytes each, no boxing.
 *
 * <p>Kept in chunks of {@link #CHUNK} longs, never in one array: a backlog of ten million ids
 * would otherwise grow by doubling into a 128 MiB array while the 64 MiB one is still live, an
 * allocation a heap sized for the broker's working set can refuse exactly when paging is what
 * keeps it within bounds (a paged message was lost that way under -Xmx512m). Chunks go as soon
 * as they are read, so a draining backlog gives its memory back as it goes.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class LongDeque {

    static final int CHUNK = 1024;

    private final ArrayDeque<long[]> chunks = new ArrayDeque<>();
    /** Next index to read in the first chunk, next to write in the last one. */
    private int head;
    private int tail = CHUNK;
    private int size;

    void addLast(long v) {
        if (tail == CHUNK) {
            chunks.addLast(new long[CHUNK]);
            tail = 0;
        }
        chunks.peekLast()[tail++] = v;
        size++;
    }

    long peekFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return chunks.peekFirst()[head];
    }

    long pollFirst() {
        long v = peekFirst();
        size--;
        if (++head == CHUNK || size == 0) {
            // the first chunk is read (or everything is): it goes, and an empty deque starts afresh
            chunks.pollFirst();
            head = 0;
            if (size == 0) {
                chunks.clear();
                tail = CHUNK;
            }
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
