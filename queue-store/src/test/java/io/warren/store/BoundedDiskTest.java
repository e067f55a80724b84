package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady publish and ack does not grow the file: dead chunks are reused (retention time 0,
 * every commit fsynced) and housekeeping moves the few live pages out of sparse chunks, so the
 * file stays within a small multiple of the live data however many messages have passed
 * through. The stragglers (every 500th message is never acked) are what makes housekeeping
 * necessary: each would otherwise pin the whole ~100 KiB chunk it was written in (measured
 * without housekeeping: 24 MiB after 50,000 messages and still growing, against ~2 MiB live).
 */
class BoundedDiskTest {

    private static final int LIVE = 2_000;          // messages kept stored at any time
    private static final int TOTAL = 50_000;        // messages passed through: 25 x the live set
    private static final int BATCH = 100;
    private static final int STRAGGLER = 500;       // every 500th message is never acked

    @TempDir
    Path dir;

    @Test
    void steadyPublishAndAckKeepsTheFileNearTheLiveData() {
        long maxSize = 0;
        long live = LIVE + (TOTAL - LIVE) / STRAGGLER;
        long liveBytes = live * CrashChild.SIZE;
        StoreOptions options = StoreOptions.defaults();
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, options)) {
            for (long next = 1; next <= TOTAL; next += BATCH) {
                Done done = new Done();
                for (long id = next; id < next + BATCH; id++) {
                    store.enqueue(id, CrashChild.content(id), List.of("q"),
                            id == next + BATCH - 1 ? done : f -> { });
                    if (id > LIVE && (id - LIVE) % STRAGGLER != 0) {
                        store.remove("q", id - LIVE, null);
                    }
                }
                done.ok();
                if (next > 10 * LIVE) {
                    maxSize = Math.max(maxSize, store.stats().diskBytes());
                }
            }
            StoreStats stats = store.stats();
            assertEquals(live, stats.messages());
            System.out.printf("bounded disk (compaction below %d%%): %d messages through,"
                    + " %d live (%d KiB): file at most %d KiB, at the end %d KiB; %d commits,"
                    + " %d compactions%n", options.compactFillRate(), TOTAL, live,
                    liveBytes / 1024, maxSize / 1024, stats.diskBytes() / 1024, stats.commits(),
                    stats.compactions());
        }
        assertTrue(maxSize < 6 * liveBytes, "file grew to " + maxSize + " bytes for "
                + liveBytes + " live");
    }
}
