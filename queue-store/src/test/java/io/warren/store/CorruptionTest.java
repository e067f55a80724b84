package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged store file stops the start with {@link StoreCorruptedException}, naming the file
 * and the way out; it never opens as an empty (or silently shortened) store.
 */
class CorruptionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"truncate-to-half", "truncate-to-header", "truncate-mid-header",
            "scribble-over-headers", "scribble-over-end", "flip-one-content-byte", "delete-file"})
    void aDamagedFileFailsTheStartWithAClearError(String damage) throws IOException {
        Path file = fill();
        damage(file, damage);
        assertClearError(file, assertThrows(StoreCorruptedException.class, () -> recoverAll()));
    }

    /**
     * Noise in the middle of the file: where the group-commit rounds put their chunks depends on
     * timing, so the middle may be space no live chunk uses any more. Either the start fails
     * with the clear error, or every message comes back intact: never a shortened store.
     */
    @Test
    void noiseInTheMiddleFailsTheStartOrLosesNothing() throws IOException {
        Path file = fill();
        damage(file, "scribble-over-middle");
        List<Long> recovered;
        try {
            recovered = recoverAll();
        } catch (StoreCorruptedException e) {
            assertClearError(file, e);
            return;
        }
        assertEquals(2000, recovered.size(), "the damage hit no live chunk, so every message is there");
    }

    private static void assertClearError(Path file, StoreCorruptedException e) {
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("move both aside"), e.getMessage());
    }

    /** Opens the store and recovers queue q: the ids of its messages, each checked for its content. */
    private List<Long> recoverAll() {
        List<Long> ids = new java.util.ArrayList<>();
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            store.recover("q", (id, content, delivered) -> {
                assertTrue(java.util.Arrays.equals(CrashChild.content(id), content), "content of " + id);
                ids.add(id);
            });
        }
        return ids;
    }

    /** A store of 2000 1 KiB messages in 20 commits, closed; returns its file. */
    private Path fill() {
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            for (int batch = 0; batch < 20; batch++) {
                Done done = new Done();
                for (int i = 1; i <= 100; i++) {
                    long id = batch * 100L + i;
                    store.enqueue(id, CrashChild.content(id), List.of("q"), i == 100 ? done : f -> { });
                }
                done.ok();
            }
            store.putMetadata("queue./.q", new byte[] {1}, new Done());
            return store.file();
        }
    }

    private static void damage(Path file, String how) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long size = ch.size();
            switch (how) {
                case "truncate-to-half" -> ch.truncate(size / 2);
                case "truncate-to-header" -> ch.truncate(8192);
                case "truncate-mid-header" -> ch.truncate(100);
                case "scribble-over-middle" -> scribble(ch, size / 2, 16384);
                case "scribble-over-headers" -> scribble(ch, 0, 8192);
                case "scribble-over-end" -> scribble(ch, size - 8192, 8192);
                case "flip-one-content-byte" -> flipContentByte(ch, size);
                case "delete-file" -> java.nio.file.Files.delete(file);
                default -> throw new IllegalArgumentException(how);
            }
        }
    }

    private static void scribble(FileChannel ch, long at, int length) throws IOException {
        byte[] noise = new byte[length];
        new Random(42).nextBytes(noise);
        ch.write(ByteBuffer.wrap(noise), at);
    }

    /** Changes one byte inside every copy of a stored message body (found by its pattern). */
    private static void flipContentByte(FileChannel ch, long size) throws IOException {
        ByteBuffer all = ByteBuffer.allocate((int) size);
        ch.read(all, 0);
        byte[] body = CrashChild.content(1000);
        byte[] needle = java.util.Arrays.copyOfRange(body, 0, 64);
        byte[] bytes = all.array();
        boolean found = false;
        for (int i = 0; i + needle.length < bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                ch.write(ByteBuffer.wrap(new byte[] {(byte) ~bytes[i + 100]}), i + 100);
                found = true;
            }
        }
        assertTrue(found, "message 1000 not found in the file");
    }
}
