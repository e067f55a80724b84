package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store tells how many content bytes wait in its writer's inbox: writes without a completion
 * pile up there while the writer is busy, and the broker bounds them by this count.
 */
class PendingBytesTest {

    @TempDir
    Path dir;

    @Test
    void enqueuesWaitingForAStalledWriterAreCountedUntilTheWriterTakesThemIn() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            assertEquals(0, store.pendingBytes());
            // completions run on the writer thread: this one holds it
            store.flush(failure -> {
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            try {
                for (int i = 1; i <= 100; i++) {
                    store.enqueue(i, new byte[1000], List.of("q"), null);
                }
                store.remove("q", 1, null); // only content counts
                assertEquals(100 * 1000, store.pendingBytes());
            } finally {
                release.countDown();
            }
            Done done = new Done();
            store.flush(done);
            done.ok();
            assertEquals(0, store.pendingBytes());
            assertEquals(99, store.stats().messages());
        }
    }
}
