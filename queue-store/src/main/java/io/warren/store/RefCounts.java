package io.warren.store;

import java.util.Arrays;

/**
 * Message id to reference count, for the few messages held by more than one queue.
 *
 * <p>A message in one queue (the common case) has no entry: absent means one. Open addressing
 * with linear probing over two parallel arrays, deletion by backward shift (no tombstones), so
 * the hot path neither boxes nor allocates. Ids must be positive: 0 marks a free slot.
 *
 * <p>Concurrency: not thread-safe; owned by the store's writer thread.
 */
final class RefCounts {

    private long[] keys = new long[64];
    private int[] counts = new int[64];
    private int size;

    /** The count of {@code id}: 1 when absent. */
    int get(long id) {
        int slot = find(id);
        return slot < 0 ? 1 : counts[slot];
    }

    /** Sets the count; a count of 1 or less removes the entry. */
    void set(long id, int count) {
        int slot = find(id);
        if (count <= 1) {
            if (slot >= 0) {
                delete(slot);
            }
            return;
        }
        if (slot >= 0) {
            counts[slot] = count;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(id, count);
    }

    /**
     * Counting at open: adds one reference with absent meaning zero. After the counting,
     * {@link #dropSingles()} brings the table back to its normal form (absent meaning one).
     */
    void countOneMore(long id) {
        int slot = find(id);
        if (slot >= 0) {
            counts[slot]++;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(id, 1);
    }

    /** During counting at open: the references seen so far, 0 when absent. */
    int counted(long id) {
        int slot = find(id);
        return slot < 0 ? 0 : counts[slot];
    }

    /** Ends counting at open: forgets every id seen once. */
    void dropSingles() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        int capacity = 64;
        int multiple = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && oldCounts[i] > 1) {
                multiple++;
            }
        }
        while (capacity < multiple * 2 + 2) {
            capacity *= 2;
        }
        keys = new long[capacity];
        counts = new int[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && oldCounts[i] > 1) {
                insert(oldKeys[i], oldCounts[i]);
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, 0L);
        size = 0;
    }

    private int find(long id) {
        int mask = keys.length - 1;
        for (int i = hash(id) & mask;; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == id) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    private void insert(long id, int count) {
        int mask = keys.length - 1;
        int i = hash(id) & mask;
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = id;
        counts[i] = count;
        size++;
    }

    /** Removes slot {@code gap} and shifts back the entries of its probe run. */
    private void delete(int gap) {
        int mask = keys.length - 1;
        size--;
        for (int i = (gap + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
            int home = hash(keys[i]) & mask;
            // move keys[i] into the gap if its home is not in (gap, i] (cyclically)
            boolean between = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!between) {
                keys[gap] = keys[i];
                counts[gap] = counts[i];
                gap = i;
            }
        }
        keys[gap] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldCounts[i]);
            }
        }
    }

    private static int hash(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
