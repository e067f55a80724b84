package io.warren.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock-free multi-producer, single-consumer hand-off from callers to the writer.
 *
 * <p>Producers push onto a Treiber stack with one CAS; the consumer takes the whole stack with
 * one atomic swap and reverses it into submission order. Taking everything at once is the point:
 * the batch that piles up while the writer is inside an fsync becomes the next group commit.
 * Each producer's ops stay in its own order, which is what makes completions per caller ordered.
 *
 * <p>Concurrency: {@link #push} from any thread; {@link #takeAll} from the writer, or from a
 * producer that finds the writer gone (ops are then taken exactly once by whoever swaps).
 */
final class OpInbox {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(OpInbox.class, "head", StoreOp.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HEAD
    private volatile StoreOp head;

    void push(StoreOp op) {
        StoreOp h;
        do {
            h = head;
            op.next = h;
        } while (!HEAD.weakCompareAndSet(this, h, op));
    }

    /** Everything pushed so far, newest first (linked by {@code next}), or null. */
    StoreOp takeAll() {
        return head == null ? null : (StoreOp) HEAD.getAndSet(this, (StoreOp) null);
    }

    boolean isEmpty() {
        return head == null;
    }
}
