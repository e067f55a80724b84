package io.warren.broker.queue;

import io.warren.broker.message.Message;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A queue's ready messages, in order.
 *
 * <p>Fresh messages sit in a FIFO of plain {@link Message}s (no per-entry object). A message that
 * comes back (rejected with requeue, its channel closed) returns to its original position: every
 * message ever handed out left from the head, so it is older than everything still fresh, and the
 * returned ones only need ordering among themselves (by message id) in front of the FIFO. That
 * keeps the common path an array deque and the rare one a small heap.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class ReadyList {

    /** A message that has been out and came back; remembers whether it reached a client. */
    record Returned(Message message, boolean redelivered) {}

    private final ArrayDeque<Message> fresh = new ArrayDeque<>();
    private final PriorityQueue<Returned> returned =
            new PriorityQueue<>((a, b) -> Long.compare(a.message().id(), b.message().id()));
    private long bytes;

    void add(Message message) {
        fresh.addLast(message);
        bytes += message.bodySize();
    }

    void putBack(Message message, boolean redelivered) {
        returned.add(new Returned(message, redelivered));
        bytes += message.bodySize();
    }

    boolean isEmpty() {
        return fresh.isEmpty() && returned.isEmpty();
    }

    int size() {
        return fresh.size() + returned.size();
    }

    long bytes() {
        return bytes;
    }

    /** True when the next message to leave has been out before. */
    boolean headRedelivered() {
        Returned r = returned.peek();
        return r != null && r.redelivered();
    }

    /** The next message, or null; call {@link #headRedelivered()} first to learn its flag. */
    Message poll() {
        Returned r = returned.poll();
        Message m = r != null ? r.message() : fresh.pollFirst();
        if (m != null) {
            bytes -= m.bodySize();
        }
        return m;
    }

    Message peek() {
        Returned r = returned.peek();
        return r != null ? r.message() : fresh.peekFirst();
    }

    /** Empties the list, handing every message to {@code sink}; answers how many there were. */
    int drainTo(Consumer<Message> sink) {
        int n = size();
        Returned r;
        while ((r = returned.poll()) != null) {
            sink.accept(r.message());
        }
        Message m;
        while ((m = fresh.pollFirst()) != null) {
            sink.accept(m);
        }
        bytes = 0;
        return n;
    }
}
