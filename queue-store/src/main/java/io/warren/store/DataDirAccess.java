package io.warren.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a data directory the broker may not use (permissions, a path through a regular file)
 * apart from a damaged store: H2 reports a file it may not open as "Could not open file", which
 * would otherwise read as corruption and send the operator to restore a backup of a healthy file.
 */
final class DataDirAccess {

    private DataDirAccess() {}

    /** Why {@code dataDir} could not be created, naming the path at fault. */
    static StoreException cannotCreate(Path dataDir, IOException e) {
        Path dir = dataDir.toAbsolutePath();
        if (e instanceof AccessDeniedException) {
            return new StoreException(deniedTo() + "create the data directory " + dir + ". Create it and give"
                    + " that user read and write access to it, or choose another data directory.", e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new StoreException("Cannot use data directory " + dir + ": it exists and is not a directory."
                    + " Choose another data directory.", e);
        }
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    return new StoreException("Cannot create data directory " + dir + ": " + p
                            + " is a file, not a directory. Choose another data directory.", e);
                }
                break;
            }
        }
        return new StoreException("Cannot create data directory " + dir + ": " + e.getMessage(), e);
    }

    /**
     * Checks that this process may read and write the data directory and the store's files that
     * exist in it. Files.isReadable/isWritable ask the kernel (access(2)), so they answer for
     * this process's user, root included.
     */
    static void check(Path dataDir, Path... files) {
        Path dir = dataDir.toAbsolutePath();
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw denied(dir, dir, null);
        }
        for (Path f : files) {
            if (Files.exists(f) && (!Files.isReadable(f) || !Files.isWritable(f))) {
                throw denied(dir, f, null);
            }
        }
    }

    /** True when {@code e} or one of its causes is a refused access. */
    static boolean isDenied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException
                    || String.valueOf(t.getMessage()).contains("Permission denied")) {
                return true;
            }
        }
        return false;
    }

    /** The process may not read and write {@code path}, the data directory or a file in it. */
    static StoreException denied(Path dataDir, Path path, Throwable cause) {
        Path dir = dataDir.toAbsolutePath();
        return new StoreException(deniedTo() + "read and write " + (path.equals(dir) ? "the data directory " : "")
                + path + ". Give that user read and write access to the data directory " + dir
                + " and the files in it. This is an access problem, not damage: nothing was changed.", cause);
    }

    private static String deniedTo() {
        return "Permission denied: Warren, running as user '" + System.getProperty("user.name") + "', cannot ";
    }
}
