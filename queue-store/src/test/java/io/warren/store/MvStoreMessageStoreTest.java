package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract on disk, where "reopen" closes and reopens the file and the durable view is a
 * copy of the file taken while the store runs (what a crash at that instant would leave).
 */
class MvStoreMessageStoreTest extends MessageStoreContract {

    /** No housekeeping, so that nothing writes while a test copies the file. */
    static final StoreOptions QUIET = StoreOptions.defaults().withCompaction(0, 0, 1000);
    private final AtomicInteger copies = new AtomicInteger();

    @Override
    MessageStore open(Path dataDir) {
        return MvStoreMessageStore.open(dataDir, QUIET);
    }

    @Override
    MessageStore reopen(MessageStore store, Path dataDir) {
        store.close();
        return open(dataDir);
    }

    @Override
    MessageStore durableView(MessageStore store, Path dataDir) {
        Path copy = dataDir.resolve("crash-copy-" + copies.incrementAndGet());
        try {
            Files.createDirectories(copy);
            Files.copy(dataDir.resolve(MvStoreMessageStore.FILE_NAME),
                    copy.resolve(MvStoreMessageStore.FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MvStoreMessageStore.open(copy, QUIET);
    }

    @Test
    void writesWithoutCompletionWaitForTheNextCommit() throws Exception {
        store.close();
        StoreOptions slow = new StoreOptions(16, 8192, false, 60_000, 1_000_000, 0, 0, 1000,
                0, true);
        store = MvStoreMessageStore.open(dir, slow);
        enqueue(1, "one", "q");
        long commits = store.stats().commits();
        store.markDelivered("q", 1);
        store.remove("q", 1, null);
        store.enqueue(2, bytes("unconfirmed"), List.of("q"), null);
        Thread.sleep(100);
        assertEquals(commits, store.stats().commits(),
                "a mark, a lazy remove or an unconfirmed enqueue committed");
        flush();
        assertEquals(commits + 1, store.stats().commits());
        assertEquals(1, store.stats().messages());
    }

    @Test
    void unconfirmedEnqueuesAreCommittedWithinTheLazyCommitTime() throws Exception {
        store.close();
        StoreOptions lazy = new StoreOptions(16, 8192, false, 50, 1_000_000, 0, 0, 1000, 0, true);
        store = MvStoreMessageStore.open(dir, lazy);
        long commits = store.stats().commits();
        store.enqueue(1, bytes("unconfirmed"), List.of("q"), null);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.stats().commits() == commits && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(commits + 1, store.stats().commits(), "no lazy commit within 10 s");
        try (MessageStore durable = durableView(store, dir)) {
            assertEquals(List.of(1L), ids(durable, "q"));
        }
    }

    /** MVStore keeps uncommitted pages on the heap: big unconfirmed bodies must not wait 100 ms. */
    @Test
    void unconfirmedEnqueuesCommitEarlyWhenTheirBytesPileUp() throws Exception {
        store.close();
        StoreOptions slow = new StoreOptions(16, 8192, false, 60_000, 1_000_000, 0, 0, 1000,
                0, true);
        store = MvStoreMessageStore.open(dir, slow);
        long commits = store.stats().commits();
        byte[] body = new byte[1 << 20];
        long id = 0;
        while (id * body.length <= GroupCommitWriter.LAZY_COMMIT_BYTES) {
            store.enqueue(++id, body, List.of("q"), null);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.stats().commits() == commits && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(store.stats().commits() > commits, "no commit after "
                + id + " MiB of unconfirmed enqueues");
    }

    @Test
    void aFailedSyncFailsTheBatchAndEveryLaterWriteButTheStoreStillCloses() {
        enqueue(1, "before", "q");
        RuntimeException diskFull = new UncheckedIOException(new IOException("No space left"));
        ((MvStoreMessageStore) store).injectSyncFailure(diskFull);
        Done failed = new Done();
        store.enqueue(2, bytes("during"), List.of("q"), failed);
        Throwable failure = failed.failure();
        assertTrue(failure instanceof StoreException, String.valueOf(failure));
        assertSame(diskFull, failure.getCause());
        Done later = new Done();
        store.flush(later);
        assertSame(diskFull, later.failure().getCause());
        store.close();
        store = open(dir);
        assertTrue(ids(store, "q").contains(1L));
        enqueue(3, "after restart", "q");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        StoreLockedException e = assertThrows(StoreLockedException.class, () -> open(dir));
        assertEquals(dir.resolve(MvStoreMessageStore.FILE_NAME).toAbsolutePath(), e.file());
        assertTrue(e.getMessage().contains(MvStoreMessageStore.FILE_NAME), e.getMessage());
    }

    @Test
    void statsCountCommitsAndBatches() {
        for (int i = 1; i <= 10; i++) {
            enqueue(i, "m", "q");
        }
        StoreStats stats = store.stats();
        assertEquals(10, stats.messages());
        assertTrue(stats.commits() >= 10, stats.toString());
        assertTrue(stats.diskBytes() > 0, stats.toString());
    }
}
