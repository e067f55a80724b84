package io.warren.store;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.SFChunk;
import org.h2.mvstore.SingleFileStore;

/**
 * H2's single-file store, with one fix: the store header it writes after a chunk names that
 * chunk, so that a crash right after a commit cannot lose it.
 *
 * <p>The bug (H2 2.3.232 and 2.5.252): after a crash MVStore finds its newest chunk through the
 * store header (blocks 0 and 1, naming one chunk), then the chain of predicted positions that
 * each chunk records for the next one, and the last chunk of the file. A chunk written into
 * reused space away from its predicted position is reachable only through the header, and
 * {@code RandomAccessStore.writeChunk} rewrites the header for exactly that case, but it does so
 * before {@code FileStore.storeBuffer} sets {@code lastChunk} to the new chunk: the header names
 * the chunk before it. At open the newest chunk is not found and MVStore opens the version
 * before it; with retention time 0 every commit frees space, so this is most commits. A crash
 * right after a confirm then lost the confirmed messages (the next commit's header happens to
 * name them, so under load the loss hid), and a version marker recorded after such a commit
 * looked like a truncated file.
 *
 * <p>The fix: {@link #writeFully} records a chunk as the last one as soon as its bytes are
 * written. The header decision that follows ({@code lastChunk.next != chunk.block}) is then
 * true for every chunk not at the end of the file (a chunk never sits where it predicts its
 * successor), and the header names the new chunk; a chunk at the end of the file is found as
 * the file's last chunk. Cost: one 8 KiB header write per commit that is not at the end of the
 * file, in the same fsync. {@code ConfirmInstantTest} catches a regression (on an H2 upgrade).
 *
 * <p>Concurrency: as {@link SingleFileStore}; chunk writes happen under its save lock, on the
 * store's writer thread.
 */
final class NewestChunkFileStore extends SingleFileStore {

    private NewestChunkFileStore(Map<String, Object> config) {
        super(config);
    }

    /** Opens (and locks) {@code fileName} for writing; MVStore adopts and closes it. */
    static NewestChunkFileStore open(String fileName, int cacheSizeMb, int pageSplitSize) {
        Map<String, Object> config = new HashMap<>();
        config.put("cacheSize", cacheSizeMb);
        config.put("pageSplitSize", pageSplitSize);
        NewestChunkFileStore store = new NewestChunkFileStore(config);
        store.open(fileName, false, null);
        return store;
    }

    @Override
    protected void writeFully(SFChunk chunk, long pos, ByteBuffer src) {
        super.writeFully(chunk, pos, src);
        if (chunk != null) { // a chunk (null: the header, or a chunk moved by compaction)
            lastChunk = chunk;
        }
    }
}
