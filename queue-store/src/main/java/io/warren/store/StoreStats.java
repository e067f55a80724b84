package io.warren.store;

/**
 * A snapshot of a store's counters; every count is since the store was opened.
 *
 * @param messages       stored message contents (a message in several queues counts once)
 * @param diskBytes      size of the store file (0 in memory)
 * @param liveBytes      estimate of the live data in the file: {@code diskBytes * fillRate}
 * @param operations     operations applied (enqueue, remove, mark, metadata, flush...)
 * @param commits        group commits, each one chunk write and one fsync
 * @param averageBatch   operations per commit
 * @param compactions    chunk rewrites started by the store's own housekeeping
 */
public record StoreStats(long messages, long diskBytes, long liveBytes, long operations,
        long commits, double averageBatch, long compactions) {
}
