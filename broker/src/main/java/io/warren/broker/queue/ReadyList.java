package io.warren.broker.queue;

import io.warren.broker.message.Message;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A queue's ready messages, in the order they leave: highest priority first (priority queues,
 * x-max-priority), then publish order.
 *
 * <p>Fresh messages sit in a FIFO of plain {@link Message}s per priority level (one level
 * without x-max-priority; no per-entry object). A message that comes back (rejected with
 * requeue, its channel closed) returns to its original position: every message handed out left
 * from the head, so it is older than everything still fresh at its priority, and the returned
 * ones only need ordering among themselves (priority, then message id) in front of the FIFO of
 * the same priority. That keeps the common path an array deque and the rare one a small heap.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class ReadyList {

    /** A message that has been out and came back; remembers whether it reached a client. */
    record Returned(Message message, boolean redelivered, int level) {}

    private final ArrayDeque<Message>[] fresh;
    private final PriorityQueue<Returned> returned = new PriorityQueue<>((a, b) -> a.level() != b.level()
            ? Integer.compare(b.level(), a.level())
            : Long.compare(a.message().id(), b.message().id()));
    private int freshCount;
    private long bytes;

    @SuppressWarnings("unchecked")
    ReadyList(int maxPriority) {
        fresh = new ArrayDeque[maxPriority + 1];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = new ArrayDeque<>();
        }
    }

    private int level(Message m) {
        return fresh.length == 1 ? 0 : Math.min(m.priority(), fresh.length - 1);
    }

    void add(Message message) {
        fresh[level(message)].addLast(message);
        freshCount++;
        bytes += message.bodySize();
    }

    void putBack(Message message, boolean redelivered) {
        returned.add(new Returned(message, redelivered, level(message)));
        bytes += message.bodySize();
    }

    boolean isEmpty() {
        return freshCount == 0 && returned.isEmpty();
    }

    int size() {
        return freshCount + returned.size();
    }

    long bytes() {
        return bytes;
    }

    /** Highest level with fresh messages, or -1. */
    private int topFresh() {
        if (freshCount == 0) {
            return -1;
        }
        for (int i = fresh.length - 1; i >= 0; i--) {
            if (!fresh[i].isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the next message comes from the returned heap rather than a FIFO. */
    private boolean headIsReturned() {
        Returned r = returned.peek();
        return r != null && r.level() >= topFresh();
    }

    /** True when the next message to leave has been out before. */
    boolean headRedelivered() {
        return headIsReturned() && returned.peek().redelivered();
    }

    Message peek() {
        if (headIsReturned()) {
            return returned.peek().message();
        }
        int top = topFresh();
        return top < 0 ? null : fresh[top].peekFirst();
    }

    /** The next message, or null; call {@link #headRedelivered()} first to learn its flag. */
    Message poll() {
        Message m;
        if (headIsReturned()) {
            m = returned.poll().message();
        } else {
            int top = topFresh();
            if (top < 0) {
                return null;
            }
            m = fresh[top].pollFirst();
            freshCount--;
        }
        bytes -= m.bodySize();
        return m;
    }

    /** Empties the list, handing every message to {@code sink}; answers how many there were. */
    int drainTo(Consumer<Message> sink) {
        int n = size();
        Returned r;
        while ((r = returned.poll()) != null) {
            sink.accept(r.message());
        }
        for (ArrayDeque<Message> level : fresh) {
            Message m;
            while ((m = level.pollFirst()) != null) {
                sink.accept(m);
            }
        }
        freshCount = 0;
        bytes = 0;
        return n;
    }
}
