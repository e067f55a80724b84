package io.warren.store;

/**
 * One write handed to the writer thread; also the link of the inbox (intrusive, so a submit
 * allocates this object and nothing else).
 *
 * <p>Concurrency: filled by the submitting thread before it is published by the inbox's CAS,
 * then read and cleared only by the writer thread.
 */
final class StoreOp {

    enum Kind { ENQUEUE, REMOVE, MARK_DELIVERED, DELETE_QUEUE, PUT_METADATA, REMOVE_METADATA, FLUSH }

    final Kind kind;
    final long messageId;
    /** content or metadata value */
    final byte[] bytes;
    /** queue name or metadata key */
    final String name;
    /** further queues of an enqueue to more than one queue, else null */
    final String[] moreNames;
    final Completion done;
    StoreOp next;
    /** set by the writer when applying this op failed */
    RuntimeException failure;

    StoreOp(Kind kind, long messageId, byte[] bytes, String name, String[] moreNames,
            Completion done) {
        this.kind = kind;
        this.messageId = messageId;
        this.bytes = bytes;
        this.name = name;
        this.moreNames = moreNames;
        this.done = done;
    }
}
