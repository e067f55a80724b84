package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at the very instant a confirm is given, after every one of many confirms: the
 * completion itself copies the store file (the writer thread runs completions, so nothing else
 * writes meanwhile; the copy is what SIGKILL would leave, since the kernel keeps every write the
 * process made), and each copy must open with everything confirmed so far.
 *
 * <p>This is the lone publisher that waits for each confirm, with nothing written after the
 * last one: under steady load a later commit hides a lost one, which is why a load test alone
 * missed the bug this catches (H2 wrote a store header naming the chunk before the newest one,
 * so the newest chunk, written into reused space, could not be found at open).
 */
class ConfirmInstantTest {

    private static final int COMMITS = 120;

    @TempDir
    Path dir;

    @Test
    void everyConfirmedWriteIsInTheFileAtTheInstantOfItsConfirm() throws Exception {
        List<byte[]> snapshots = new ArrayList<>();
        List<TreeSet<Long>> expected = new ArrayList<>();
        TreeSet<Long> inA = new TreeSet<>();
        Path file;
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            file = store.file();
            for (long id = 1; id <= COMMITS; id++) {
                Done done = new Done();
                TreeSet<Long> afterThis = new TreeSet<>(inA);
                afterThis.add(id);
                if (id % 4 == 0) {
                    afterThis.remove(id - 2); // acked, durably, in the same batch
                }
                store.enqueue(id, CrashChild.content(id), List.of("a"), failure -> { });
                if (id % 4 == 0) {
                    store.remove("a", id - 2, null);
                }
                if (id % 7 == 0) {
                    store.markDelivered("a", id - 1);
                }
                store.flush(failure -> {
                    snapshots.add(read(file)); // before the confirm: the test thread waits for it
                    done.completed(failure);
                });
                done.ok();
                inA = afterThis;
                expected.add(afterThis);
            }
        }
        for (int i = 0; i < snapshots.size(); i++) {
            Path copy = dir.resolve("crash-" + i);
            Files.createDirectories(copy);
            Files.write(copy.resolve(MvStoreMessageStore.FILE_NAME), snapshots.get(i));
            TreeSet<Long> found = new TreeSet<>();
            try (MvStoreMessageStore store = MvStoreMessageStore.open(copy)) {
                store.recover("a", (id, content, delivered) -> {
                    assertArrayEquals(CrashChild.content(id), content, "content of " + id);
                    found.add(id);
                });
            }
            assertTrue(found.containsAll(expected.get(i)), "a crash right after confirm "
                    + (i + 1) + " loses " + missing(expected.get(i), found));
        }
    }

    private static TreeSet<Long> missing(TreeSet<Long> expected, TreeSet<Long> found) {
        TreeSet<Long> m = new TreeSet<>(expected);
        m.removeAll(found);
        return m;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
