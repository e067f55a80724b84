package io.warren.exchange;

/**
 * A queue as the topology knows it: its name, the broker's handle, and a small integer id that
 * lets a route de-duplicate queues with an array instead of a set.
 *
 * <p>Concurrency: name, handle and id are final. The in-edge list is touched only under the
 * topology's lock.
 */
final class QueueEntry<Q> {

    final String name;
    final Q handle;
    final int id;

    /** Bindings to this queue, through {@link Edge#nextIn}. Lock only. */
    Edge firstIn;

    QueueEntry(String name, Q handle, int id) {
        this.name = name;
        this.handle = handle;
        this.id = id;
    }
}
