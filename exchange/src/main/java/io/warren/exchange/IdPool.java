package io.warren.exchange;

import java.util.Arrays;

/**
 * Hands out small non-negative ints and takes them back, so the per-thread stamp arrays that
 * de-duplicate a route stay as long as the largest number of queues (or exchanges) that existed
 * at once, however many came and went. Used under the topology's lock only.
 */
final class IdPool {

    private int next;
    private int[] free = new int[8];
    private int freeCount;

    int acquire() {
        return freeCount > 0 ? free[--freeCount] : next++;
    }

    void release(int id) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, 2 * free.length);
        }
        free[freeCount++] = id;
    }
}
