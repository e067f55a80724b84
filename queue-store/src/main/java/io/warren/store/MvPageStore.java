package io.warren.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The page store on an MVStore file that is thrown away at every start.
 *
 * <p>Writes go to MVStore's in-memory map and reach the file through its background auto-commit
 * (no fsync: losing this file loses nothing that was promised). Reads first try a Caffeine cache
 * of recently paged-out contents, bounded by bytes: a queue that pages out under a burst and
 * drains soon after reads back from memory, not from the file.
 */
public final class MvPageStore implements PageStore {

    public static final String FILE_NAME = "warren-paging.mv.db";

    private final MVStore store;
    private final MVMap<Long, byte[]> pages;
    private final Cache<Long, byte[]> recent;

    private MvPageStore(MVStore store, long cacheBytes) {
        this.store = store;
        this.pages = store.openMap("pages");
        this.recent = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((Long id, byte[] content) -> content.length + 64)
                .build();
    }

    /** Opens a fresh page file in {@code dir} (an old one is deleted first). */
    public static MvPageStore open(Path dir, long cacheBytes) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE_NAME);
            Files.deleteIfExists(file);
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .cacheSize(16)
                    .autoCommitBufferSize(4096)
                    .open();
            store.setRetentionTime(0);
            return new MvPageStore(store, cacheBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the paging file in " + dir, e);
        }
    }

    @Override
    public void put(long id, byte[] content) {
        pages.put(id, content);
        recent.put(id, content);
    }

    @Override
    public byte[] get(long id) {
        byte[] content = recent.getIfPresent(id);
        return content != null ? content : pages.get(id);
    }

    @Override
    public void remove(long id) {
        recent.invalidate(id);
        pages.remove(id);
    }

    @Override
    public long size() {
        return pages.sizeAsLong();
    }

    @Override
    public void close() {
        String name = store.getFileStore() == null ? null : store.getFileStore().getFileName();
        store.closeImmediately();
        if (name != null) {
            try {
                Files.deleteIfExists(Path.of(name));
            } catch (IOException ignored) {
                // A leftover is deleted at the next start.
            }
        }
    }
}
