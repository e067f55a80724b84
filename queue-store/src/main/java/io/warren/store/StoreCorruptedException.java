package io.warren.store;

import java.nio.file.Path;

/**
 * The store file is damaged (truncated, overwritten, unreadable): the broker must not start on
 * it as if it were empty. The message names the file and the ways out.
 */
public final class StoreCorruptedException extends StoreException {

    private final Path file;

    public StoreCorruptedException(Path file, String what, Throwable cause) {
        super("Message store file " + file + " is corrupted (" + what + "). Restore it (and its"
                + " .version companion) from a backup, or move both aside to start with an empty"
                + " store: the durable queues, exchanges, users and persistent messages in it"
                + " would then be lost.", cause);
        this.file = file;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
