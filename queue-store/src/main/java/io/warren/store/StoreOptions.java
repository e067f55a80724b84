package io.warren.store;

/**
 * Tuning of {@link MvStoreMessageStore}; {@link #defaults()} is what the broker uses.
 *
 * @param cacheSizeMb          MVStore page cache (read side), MiB
 * @param pageSplitSize        leaf size at which MVStore splits a page, bytes: smaller pages
 *                             make acks of 1 KiB messages rewrite less, larger pages make
 *                             fewer, bigger writes
 * @param compress             LZF-compress pages (pays when bodies are text)
 * @param lazyCommitMillis     longest time a write without completion (unconfirmed publish or
 *                             remove, delivered mark) waits for a commit that carries it
 * @param lazyCommitOps        commit (and fsync) after this many such writes
 * @param compactFillRate      housekeeping rewrites chunks while the file's fill rate is below
 *                             this percentage
 * @param compactWriteBytes    bytes of live pages rewritten per housekeeping round
 * @param compactIntervalMillis pause between housekeeping rounds
 * @param closeCompactMillis   time allowed at close to move chunks and shrink the file
 * @param verifyOnOpen         read every page and checksum every record at open, so that a
 *                             damaged file fails the start instead of a later read
 */
public record StoreOptions(int cacheSizeMb, int pageSplitSize, boolean compress,
        int lazyCommitMillis, int lazyCommitOps, int compactFillRate, int compactWriteBytes,
        int compactIntervalMillis, int closeCompactMillis, boolean verifyOnOpen) {

    public StoreOptions {
        if (cacheSizeMb < 1 || pageSplitSize < 1024 || lazyCommitMillis < 1 || lazyCommitOps < 1
                || compactFillRate < 0 || compactFillRate > 100 || compactWriteBytes < 0
                || compactIntervalMillis < 1 || closeCompactMillis < 0) {
            throw new IllegalArgumentException("bad store options: " + format(cacheSizeMb,
                    pageSplitSize, lazyCommitMillis, lazyCommitOps, compactFillRate));
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(16, 8 * 1024, false, 100, 8192, 60, 4 << 20, 200, 500, true);
    }

    public StoreOptions withPageSplitSize(int bytes) {
        return new StoreOptions(cacheSizeMb, bytes, compress, lazyCommitMillis, lazyCommitOps,
                compactFillRate, compactWriteBytes, compactIntervalMillis, closeCompactMillis,
                verifyOnOpen);
    }

    public StoreOptions withCompaction(int fillRate, int writeBytes, int intervalMillis) {
        return new StoreOptions(cacheSizeMb, pageSplitSize, compress, lazyCommitMillis,
                lazyCommitOps, fillRate, writeBytes, intervalMillis, closeCompactMillis,
                verifyOnOpen);
    }

    public StoreOptions withCompress(boolean on) {
        return new StoreOptions(cacheSizeMb, pageSplitSize, on, lazyCommitMillis, lazyCommitOps,
                compactFillRate, compactWriteBytes, compactIntervalMillis, closeCompactMillis,
                verifyOnOpen);
    }

    private static String format(Object... values) {
        return java.util.Arrays.toString(values);
    }
}
