package io.warren.store;

import java.nio.file.Path;

/** Another process (or another store in this process) has the store file open. */
public final class StoreLockedException extends StoreException {

    private final Path file;

    public StoreLockedException(Path file, Throwable cause) {
        super("Message store file " + file + " is locked by another process: one broker node per"
                + " data directory. Stop the other node or configure another data directory.", cause);
        this.file = file;
    }

    /** The locked file. */
    public Path file() {
        return file;
    }
}
