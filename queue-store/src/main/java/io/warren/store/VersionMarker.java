package io.warren.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A companion file ({@code warren.mv.db.version}) holding a store version known to be on disk.
 *
 * <p>Why: MVStore recovers from a damaged end of file by going back to the newest intact
 * version, which is right after a crash (that tail was never confirmed) but hides a file that
 * was truncated, partly overwritten or replaced by an old copy later: the broker would start
 * with old or no data. The marker is rewritten at close (exact) and every few seconds while
 * running (a lower bound); at open a file older than the marker is reported as damaged, and a
 * missing file with a marker present as missing. Damage to the last few seconds before a crash
 * is not detectable this way.
 *
 * <p>Concurrency: written by the writer thread, read at open.
 */
final class VersionMarker {

    private final Path path;

    VersionMarker(Path storeFile) {
        this.path = storeFile.resolveSibling(storeFile.getFileName() + ".version");
    }

    Path path() {
        return path;
    }

    /** The recorded version, or -1 if there is no readable marker. */
    long read() {
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            return Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            System.getLogger(VersionMarker.class.getName()).log(System.Logger.Level.WARNING,
                    "ignoring unreadable " + path, e);
            return -1;
        }
    }

    /** Records {@code version} durably (the file is a few bytes, written in place). */
    void write(long version) throws IOException {
        byte[] text = (Long.toString(version) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(text), 0);
            ch.truncate(text.length);
            ch.force(true);
        }
    }
}
