package io.warren.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The durable {@link MessageStore}: one H2 MVStore file in the data directory, written by one
 * {@link GroupCommitWriter} thread that group-commits and fsyncs, laid out as described in
 * {@link StoreMaps}.
 *
 * <p>A completion runs on the writer thread after the fsync that made its write durable; keep
 * it short and hop to your own thread. A write failure fails the store (see
 * {@link GroupCommitWriter}).
 *
 * <p>Opening takes the file's lock ({@link StoreLockedException} if another process has it),
 * reads every page and checks every record's CRC ({@link StoreCorruptedException} naming the
 * file if anything is damaged), and counts the references of messages held by several queues.
 *
 * <p>Concurrency: writes from any thread, lock-free, handed to the writer. Reads from any
 * thread, on MVStore's copy-on-write snapshots; they see every write whose completion has run.
 */
public final class MvStoreMessageStore implements MessageStore {

    /** The store's file inside the data directory. */
    public static final String FILE_NAME = "warren.mv.db";

    private final Path file;
    private final StoreMaps maps;
    private final GroupCommitWriter writer;
    private volatile boolean closed;

    private MvStoreMessageStore(Path file, StoreMaps maps, StoreOptions options,
            VersionMarker marker) {
        this.file = file;
        this.maps = maps;
        this.writer = new GroupCommitWriter(maps, options, file.toString(), marker);
    }

    /** Opens (or creates) the store of {@code dataDir} with {@link StoreOptions#defaults()}. */
    public static MvStoreMessageStore open(Path dataDir) {
        return open(dataDir, StoreOptions.defaults());
    }

    /**
     * Opens (or creates) the store of {@code dataDir}.
     *
     * @throws StoreLockedException    another process has the store open
     * @throws StoreCorruptedException the file is damaged; nothing was changed
     * @throws StoreException          the directory or file cannot be used (the message says
     *                                 why: permissions, a path through a file...)
     */
    public static MvStoreMessageStore open(Path dataDir, StoreOptions options) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw DataDirAccess.cannotCreate(dataDir, e);
        }
        VersionMarker marker = new VersionMarker(file);
        DataDirAccess.check(dataDir, file, marker.path());
        long knownVersion = marker.read();
        if (knownVersion > 0 && !Files.exists(file)) {
            throw new StoreCorruptedException(file, "the file is missing, but " + marker.path()
                    + " says it held data up to version " + knownVersion, null);
        }
        MVStore store = openFile(file, options);
        if (store.getCurrentVersion() < knownVersion) {
            long found = store.getCurrentVersion();
            store.closeImmediately();
            throw new StoreCorruptedException(file, "it ends at version " + found + " but version "
                    + knownVersion + " had been written and synced (see " + marker.path()
                    + "): it was truncated, overwritten at its end or replaced by an older copy",
                    null);
        }
        StoreMaps maps;
        try {
            store.setRetentionTime(0); // safe: every commit is fsynced, see GroupCommitWriter
            maps = new StoreMaps(store);
            StoreMaps.Loaded loaded = maps.load(options.verifyOnOpen());
            if (loaded.orphans() > 0) {
                store.commit();
                store.sync();
            }
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw new StoreCorruptedException(file, describe(e), e);
        }
        MvStoreMessageStore result = new MvStoreMessageStore(file, maps, options, marker);
        result.writer.start();
        return result;
    }

    private static MVStore openFile(Path file, StoreOptions options) {
        NewestChunkFileStore fileStore;
        try {
            fileStore = NewestChunkFileStore.open(file.toString(), options.cacheSizeMb(),
                    options.pageSplitSize());
        } catch (RuntimeException e) {
            throw openFailure(file, e);
        }
        MVStore.Builder builder = new MVStore.Builder()
                .adoptFileStore(fileStore) // MVStore reads it and closes it
                .autoCommitDisabled() // the writer decides when to commit
                .cacheSize(options.cacheSizeMb())
                .pageSplitSize(options.pageSplitSize());
        if (options.compress()) {
            builder.compress();
        }
        try {
            return builder.open();
        } catch (RuntimeException e) {
            try {
                fileStore.close();
            } catch (RuntimeException alreadyClosed) {
                e.addSuppressed(alreadyClosed);
            }
            throw openFailure(file, e);
        }
    }

    private static StoreException openFailure(Path file, RuntimeException e) {
        if (e instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED
                || e instanceof OverlappingFileLockException) {
            return new StoreLockedException(file, e);
        }
        if (DataDirAccess.isDenied(e)) {
            return DataDirAccess.denied(file.getParent(), file, e);
        }
        return new StoreCorruptedException(file, describe(e), e);
    }

    /** The store file. */
    public Path file() {
        return file;
    }

    @Override
    public void putMetadata(String key, byte[] value, Completion done) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        submit(new StoreOp(StoreOp.Kind.PUT_METADATA, 0, value, key, null, required(done)));
    }

    @Override
    public void removeMetadata(String key, Completion done) {
        Objects.requireNonNull(key, "key");
        submit(new StoreOp(StoreOp.Kind.REMOVE_METADATA, 0, null, key, null, required(done)));
    }

    @Override
    public SortedMap<String, byte[]> metadata(String prefix) {
        checkOpen();
        TreeMap<String, byte[]> result = new TreeMap<>();
        try {
            for (Cursor<String, byte[]> c = maps.metadata.cursor(prefix); c.hasNext();) {
                String key = c.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                result.put(key, c.getValue());
            }
        } catch (RuntimeException e) {
            throw readFailure(e);
        }
        return result;
    }

    @Override
    public void enqueue(long messageId, byte[] content, List<String> queues, Completion done) {
        if (messageId <= 0) {
            throw new IllegalArgumentException("message ids are positive: " + messageId);
        }
        Objects.requireNonNull(content, "content");
        int n = queues.size();
        if (n == 0) {
            if (done != null) {
                submit(new StoreOp(StoreOp.Kind.FLUSH, 0, null, null, null, done));
            }
            return;
        }
        String first = Objects.requireNonNull(queues.get(0), "queue");
        String[] more = null;
        if (n > 1) {
            more = new String[n - 1];
            for (int i = 1; i < n; i++) {
                more[i - 1] = Objects.requireNonNull(queues.get(i), "queue");
            }
        }
        submit(new StoreOp(StoreOp.Kind.ENQUEUE, messageId, content, first, more, done));
    }

    @Override
    public void remove(String queue, long messageId, Completion done) {
        Objects.requireNonNull(queue, "queue");
        submit(new StoreOp(StoreOp.Kind.REMOVE, messageId, null, queue, null, done));
    }

    @Override
    public void markDelivered(String queue, long messageId) {
        Objects.requireNonNull(queue, "queue");
        submit(new StoreOp(StoreOp.Kind.MARK_DELIVERED, messageId, null, queue, null, null));
    }

    @Override
    public void deleteQueue(String queue, Completion done) {
        Objects.requireNonNull(queue, "queue");
        submit(new StoreOp(StoreOp.Kind.DELETE_QUEUE, 0, null, queue, null, required(done)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The content arrays are shared with the store's page cache: read them, never change
     * them. A damaged record throws {@link StoreCorruptedException}.
     */
    @Override
    public void recover(String queue, RecoveryVisitor visitor) {
        checkOpen();
        MVMap<Long, Boolean> entries = maps.queues.get(queue);
        if (entries == null) {
            return;
        }
        try {
            for (Cursor<Long, Boolean> c = entries.cursor(null); c.hasNext();) {
                long id = c.next();
                boolean delivered = c.getValue();
                byte[] content = maps.contents.get(id);
                if (content != null) {
                    visitor.message(id, content, delivered);
                }
            }
        } catch (ChecksummedBytesType.ChecksumMismatch | MVStoreException e) {
            throw readFailure(e);
        }
    }

    @Override
    public Set<String> queues() {
        checkOpen();
        TreeSet<String> names = new TreeSet<>();
        for (Map.Entry<String, MVMap<Long, Boolean>> e : maps.queues.entrySet()) {
            if (!e.getValue().isEmpty()) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    @Override
    public long maxMessageId() {
        return maps.maxMessageId();
    }

    @Override
    public void flush(Completion done) {
        submit(new StoreOp(StoreOp.Kind.FLUSH, 0, null, null, null, required(done)));
    }

    @Override
    public StoreStats stats() {
        if (closed) {
            return writer.stats(0, fileSize(), 100);
        }
        MVStore store = maps.store;
        return writer.stats(maps.contents.sizeAsLong(), store.getFileStore().size(),
                store.getFileStore().getChunksFillRate());
    }

    /** Commits everything submitted, closes the file (compacting it briefly) and the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
    }

    /** Tests: the next commit's fsync fails with {@code e}. */
    @Override
    public long pendingBytes() {
        return writer.pendingBytes();
    }

    void injectSyncFailure(RuntimeException e) {
        writer.injectSyncFailure(e);
    }

    private void submit(StoreOp op) {
        writer.submit(op);
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("message store " + file + " is closed");
        }
    }

    private long fileSize() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoreException readFailure(RuntimeException e) {
        if (closed || maps.store.isClosed()) {
            return new StoreException("message store " + file + " is closed", e);
        }
        return new StoreCorruptedException(file, describe(e), e);
    }

    private static Completion required(Completion done) {
        return Objects.requireNonNull(done, "done");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
