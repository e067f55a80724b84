package io.warren.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link MessageStore} with the same semantics as {@link MvStoreMessageStore} and nothing on
 * disk: for tests, and for a broker run without a data directory.
 *
 * <p>Every write is applied inside the call and its completion runs right after, on the
 * caller's thread, before the call returns: "durable" here means "applied". Per-caller order of
 * completions follows.
 *
 * <p>Concurrency: one lock (this object) guards all state; completions run outside it, so a
 * completion may call the store again.
 */
public final class InMemoryMessageStore implements MessageStore {

    private final TreeMap<String, byte[]> metadata = new TreeMap<>();
    private final HashMap<Long, Stored> contents = new HashMap<>();
    /** queue name to (message id to delivered mark). */
    private final HashMap<String, TreeMap<Long, Boolean>> queues = new HashMap<>();
    private long maxMessageId;
    private long operations;
    private boolean closed;

    /** A content and the number of queue entries that still refer to it. */
    private static final class Stored {
        final byte[] content;
        int references;

        Stored(byte[] content) {
            this.content = content;
        }
    }

    @Override
    public void putMetadata(String key, byte[] value, Completion done) {
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        synchronized (this) {
            apply();
            metadata.put(key, value);
        }
        complete(done);
    }

    @Override
    public void removeMetadata(String key, Completion done) {
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            apply();
            metadata.remove(key);
        }
        complete(done);
    }

    @Override
    public synchronized SortedMap<String, byte[]> metadata(String prefix) {
        TreeMap<String, byte[]> result = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : metadata.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            result.put(e.getKey(), e.getValue());
        }
        return result;
    }

    @Override
    public void enqueue(long messageId, byte[] content, List<String> queueNames, Completion done) {
        Objects.requireNonNull(content, "content");
        List<String> names = List.copyOf(queueNames);
        synchronized (this) {
            apply();
            for (String queue : names) {
                TreeMap<Long, Boolean> entries = queues.computeIfAbsent(queue, q -> new TreeMap<>());
                if (entries.putIfAbsent(messageId, Boolean.FALSE) == null) {
                    contents.computeIfAbsent(messageId, id -> new Stored(content)).references++;
                    maxMessageId = Math.max(maxMessageId, messageId);
                }
            }
        }
        if (done != null) {
            complete(done);
        }
    }

    @Override
    public void remove(String queue, long messageId, Completion done) {
        Objects.requireNonNull(queue, "queue");
        synchronized (this) {
            apply();
            TreeMap<Long, Boolean> entries = queues.get(queue);
            if (entries != null && entries.remove(messageId) != null) {
                release(messageId);
            }
        }
        if (done != null) {
            complete(done);
        }
    }

    @Override
    public void markDelivered(String queue, long messageId) {
        Objects.requireNonNull(queue, "queue");
        synchronized (this) {
            apply();
            TreeMap<Long, Boolean> entries = queues.get(queue);
            if (entries != null) {
                entries.replace(messageId, Boolean.TRUE);
            }
        }
    }

    @Override
    public void deleteQueue(String queue, Completion done) {
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(queue, "queue");
        synchronized (this) {
            apply();
            TreeMap<Long, Boolean> entries = queues.remove(queue);
            if (entries != null) {
                entries.keySet().forEach(this::release);
            }
        }
        complete(done);
    }

    @Override
    public void recover(String queue, RecoveryVisitor visitor) {
        TreeMap<Long, Boolean> snapshot;
        synchronized (this) {
            TreeMap<Long, Boolean> entries = queues.get(queue);
            snapshot = entries == null ? new TreeMap<>() : new TreeMap<>(entries);
        }
        for (Map.Entry<Long, Boolean> e : snapshot.entrySet()) {
            Stored stored;
            synchronized (this) {
                stored = contents.get(e.getKey());
            }
            if (stored != null) {
                visitor.message(e.getKey(), stored.content, e.getValue());
            }
        }
    }

    @Override
    public synchronized Set<String> queues() {
        TreeSet<String> names = new TreeSet<>();
        queues.forEach((name, entries) -> {
            if (!entries.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public synchronized long maxMessageId() {
        return maxMessageId;
    }

    @Override
    public void flush(Completion done) {
        Objects.requireNonNull(done, "done");
        synchronized (this) {
            apply();
        }
        complete(done);
    }

    @Override
    public synchronized StoreStats stats() {
        return new StoreStats(contents.size(), 0, 0, operations, 0, 0, 0);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void apply() {
        if (closed) {
            throw new StoreException("message store is closed");
        }
        operations++;
    }

    private void release(long messageId) {
        Stored stored = contents.get(messageId);
        if (stored != null && --stored.references == 0) {
            contents.remove(messageId);
        }
    }

    private static void complete(Completion done) {
        done.completed(null);
    }
}
