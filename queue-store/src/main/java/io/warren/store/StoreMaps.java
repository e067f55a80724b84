package io.warren.store;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The maps inside the store file, and the writes the writer thread applies to them.
 *
 * <p>Layout (one MVStore file, copy-on-write B-trees, one new chunk per commit):
 * <ul>
 *   <li>{@code messages}: message id → content (length, CRC32C, bytes). Ids grow, so new
 *       contents fill the rightmost leaf and a commit writes a few leaves.</li>
 *   <li>{@code queue.<name>}: one map per queue, message id → delivered mark (1 byte). Entries
 *       are ~10 bytes, so an ack rewrites a small leaf, not the contents; deleting a queue
 *       drops its map.</li>
 *   <li>{@code metadata}: broker key → record (length, CRC32C, bytes).</li>
 *   <li>{@code state}: {@code maxMessageId}, the high-water mark of ids, so that ids do not
 *       restart when every message has been acked.</li>
 * </ul>
 * Reference counts are not stored: a content's count is the number of queue entries naming it,
 * counted once at open; in memory only counts above one are kept ({@link RefCounts}).
 *
 * <p>Concurrency: writes only from the writer thread. MVStore maps are safe for concurrent
 * reads, so {@link MvStoreMessageStore}'s read methods read these maps from any thread;
 * {@link #queues} is a concurrent map for that reason.
 */
final class StoreMaps {

    private static final String QUEUE_PREFIX = "queue.";
    private static final String MAX_ID = "maxMessageId";

    final MVStore store;
    final MVMap<String, byte[]> metadata;
    final MVMap<Long, byte[]> contents;
    private final MVMap<String, Long> state;
    final Map<String, MVMap<Long, Boolean>> queues = new ConcurrentHashMap<>();
    private final RefCounts references = new RefCounts();
    private volatile long maxMessageId;
    private boolean maxMessageIdChanged;

    StoreMaps(MVStore store) {
        this.store = store;
        this.metadata = store.openMap("metadata", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ChecksummedBytesType.INSTANCE));
        this.contents = store.openMap("messages", new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE).valueType(ChecksummedBytesType.INSTANCE));
        this.state = store.openMap("state", new MVMap.Builder<String, Long>()
                .keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
        for (String mapName : store.getMapNames()) {
            if (mapName.startsWith(QUEUE_PREFIX)) {
                String queue = mapName.substring(QUEUE_PREFIX.length());
                queues.put(queue, openQueue(queue));
            }
        }
    }

    /** What {@link #load} found; orphans are contents no entry referred to (removed). */
    record Loaded(long entries, long contents, long orphans) {
    }

    /**
     * Counts references and, with {@code verify}, reads every content (checksums). Throws
     * {@link IllegalStateException} when an entry names a content that is not there.
     */
    Loaded load(boolean verify) {
        long entries = 0;
        for (MVMap<Long, Boolean> queue : queues.values()) {
            for (Cursor<Long, Boolean> c = queue.cursor(null); c.hasNext();) {
                references.countOneMore(c.next());
                c.getValue();
                entries++;
            }
        }
        long referenced = 0;
        long orphans = 0;
        long count = 0;
        if (verify) {
            for (Cursor<Long, byte[]> c = contents.cursor(null); c.hasNext();) {
                long id = c.next();
                c.getValue();
                int n = references.counted(id);
                if (n == 0) {
                    contents.remove(id);
                    orphans++;
                } else {
                    referenced += n;
                    count++;
                }
            }
            for (Map.Entry<String, byte[]> e : metadata.entrySet()) {
                e.getValue();
            }
            if (referenced != entries) {
                throw new IllegalStateException((entries - referenced)
                        + " queue entries refer to messages missing from the store");
            }
        }
        references.dropSingles();
        Long max = state.get(MAX_ID);
        Long last = contents.lastKey();
        maxMessageId = Math.max(max == null ? 0 : max, last == null ? 0 : last);
        return new Loaded(entries, count, orphans);
    }

    long maxMessageId() {
        return maxMessageId;
    }

    void enqueue(StoreOp op) {
        long id = op.messageId;
        int added = addEntry(op.name, id);
        if (op.moreNames != null) {
            for (String queue : op.moreNames) {
                added += addEntry(queue, id);
            }
        }
        if (added == 0) {
            return;
        }
        if (id > maxMessageId) {
            contents.put(id, op.bytes);
            references.set(id, added);
            maxMessageId = id;
            maxMessageIdChanged = true;
        } else if (contents.putIfAbsent(id, op.bytes) == null) {
            references.set(id, added);
        } else {
            references.set(id, references.get(id) + added);
        }
    }

    void remove(String queue, long id) {
        MVMap<Long, Boolean> entries = queues.get(queue);
        if (entries != null && entries.remove(id) != null) {
            release(id);
        }
    }

    void markDelivered(String queue, long id) {
        MVMap<Long, Boolean> entries = queues.get(queue);
        if (entries != null) {
            entries.replace(id, Boolean.TRUE);
        }
    }

    void deleteQueue(String queue) {
        MVMap<Long, Boolean> entries = queues.remove(queue);
        if (entries == null) {
            return;
        }
        for (Iterator<Long> ids = entries.keyIterator(null); ids.hasNext();) {
            release(ids.next());
        }
        store.removeMap(entries);
    }

    /**
     * Persists the id high-water mark if it moved; returns whether it did. Called from
     * housekeeping and at close, not at every commit (it would add a map to every chunk): a
     * stale mark is harmless, since at open the maximum is also taken from the stored
     * messages, and an id above a stale mark was never stored or is fully deleted.
     */
    boolean saveMaxMessageId() {
        if (!maxMessageIdChanged) {
            return false;
        }
        state.put(MAX_ID, maxMessageId);
        maxMessageIdChanged = false;
        return true;
    }

    int multiQueueMessages() {
        return references.size();
    }

    private int addEntry(String queue, long id) {
        MVMap<Long, Boolean> entries = queues.get(queue);
        if (entries == null) {
            entries = openQueue(queue);
            queues.put(queue, entries);
        }
        return entries.putIfAbsent(id, Boolean.FALSE) == null ? 1 : 0;
    }

    private void release(long id) {
        int count = references.get(id);
        if (count > 1) {
            references.set(id, count - 1);
        } else {
            contents.remove(id);
        }
    }

    private MVMap<Long, Boolean> openQueue(String queue) {
        return store.openMap(QUEUE_PREFIX + queue, new MVMap.Builder<Long, Boolean>()
                .keyType(LongDataType.INSTANCE).valueType(FlagType.INSTANCE));
    }
}
