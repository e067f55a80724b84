package io.warren.store;

import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * Durable messages and metadata of one broker node.
 *
 * <p>Two spaces are kept. Metadata is a small ordered key/value space (durable vhosts,
 * exchanges, queues, bindings, users, permissions) whose records the broker serializes itself.
 * Messages are stored once, by the id the broker gave them, with one entry per durable queue
 * they were routed to; the content is removed when the last queue's entry goes (reference
 * count). Each entry carries a "delivered" mark so that a restart re-queues unacked messages as
 * redelivered.
 *
 * <p>Writes are asynchronous: each one names a {@link Completion} that is told once the write is
 * durable (for {@link MvStoreMessageStore}: on disk, after fsync) or has failed. Completions of
 * one caller thread run in the order of its calls. A null completion (allowed where noted) means
 * "no hurry": the write becomes durable with some later commit.
 *
 * <p>Reads ({@link #metadata}, {@link #recover}, {@link #queues}, {@link #maxMessageId}) see
 * every write whose completion has run; they are meant for start-up and may be called from any
 * thread.
 *
 * <p>Arrays handed to the store ({@code content}, {@code value}) belong to the store from then
 * on: the caller must not change them. The {@code queues} list is copied.
 */
public interface MessageStore extends AutoCloseable {

    /** Stores or replaces a metadata record. */
    void putMetadata(String key, byte[] value, Completion done);

    /** Removes a metadata record; absent keys are fine. */
    void removeMetadata(String key, Completion done);

    /** The metadata records whose key starts with {@code prefix} ("" for all), in key order. */
    SortedMap<String, byte[]> metadata(String prefix);

    /**
     * Stores a persistent message once, with one entry in each of {@code queues}. An empty list
     * stores nothing (the completion still runs). {@code done} may be null (a publish without
     * confirms, a transaction that flushes at commit, a dead-lettered copy): the message then
     * becomes durable with a later commit, without an fsync of its own.
     */
    void enqueue(long messageId, byte[] content, List<String> queues, Completion done);

    /**
     * Removes a queue's entry (ack, reject, expiry, drop); the content goes with the last entry.
     * Absent entries are fine. {@code done} may be null: the removal then becomes durable with a
     * later commit, and a crash before it may bring the message back (at-least-once).
     */
    void remove(String queue, long messageId, Completion done);

    /** Marks an entry as handed to a consumer: best effort, batched, never an fsync of its own. */
    void markDelivered(String queue, long messageId);

    /** Drops every entry of a queue (queue.delete, queue.purge); contents follow their counts. */
    void deleteQueue(String queue, Completion done);

    /** Visits a queue's entries in message-id order. */
    void recover(String queue, RecoveryVisitor visitor);

    /** The queues that have at least one entry. */
    Set<String> queues();

    /** The highest message id ever stored (0 if none): the broker continues above it. */
    long maxMessageId();

    /** A barrier: {@code done} runs once everything submitted before it is durable. */
    void flush(Completion done);

    StoreStats stats();

    /**
     * Content bytes of messages submitted by {@link #enqueue} but not yet taken in by the store
     * (for {@link MvStoreMessageStore}: waiting in its writer's inbox). Writes without a
     * completion are bounded only by callers that watch this; a racy read, cheap enough for
     * every publish. 0 for a store that takes writes in at once.
     */
    default long pendingBytes() {
        return 0;
    }

    /** Makes everything submitted so far durable, then releases the store. */
    @Override
    void close();
}
