package io.warren.store;

/**
 * Where queues put message contents they keep out of memory (paging): a scratch space, not a
 * durable one. Nothing here survives a restart and nothing is fsynced; the durable copy of a
 * persistent message, if any, stays in the {@link MessageStore}.
 *
 * <p>Concurrency: thread-safe. The broker calls it from one paging thread only, never from a
 * queue's event loop: reads and writes may touch the disk.
 */
public interface PageStore extends AutoCloseable {

    /** Keeps {@code content} under {@code id}; the array belongs to the store from now on. */
    void put(long id, byte[] content);

    /** The content kept under {@code id}, or null. The caller must not change the array. */
    byte[] get(long id);

    void remove(long id);

    /** Entries currently kept. */
    long size();

    @Override
    void close();
}
