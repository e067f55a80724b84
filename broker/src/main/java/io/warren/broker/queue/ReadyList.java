package io.warren.broker.queue;

import io.warren.broker.message.Message;
import io.warren.broker.message.MessageBytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Paging: past the {@link Paging} limits (or under memory pressure), a level's newly arriving
 * messages are written to the page store and only their ids kept (8 bytes a message, in a
 * {@link LongDeque} behind the level's in-memory FIFO). Once a level's in-memory part runs dry, the next batch of ids is read
 * back, in order. Writes and reads happen on the queue's loop.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class ReadyList {

    /** A message that has been out and came back; remembers whether it reached a client. */
    record Returned(Message message, boolean redelivered, int level) {}

    private static final Logger LOG = LoggerFactory.getLogger(ReadyList.class);
    private static final int PAGE_IN_BATCH = 2048;
    private static final VarHandle PAGED_COUNT;

    static {
        try {
            PAGED_COUNT = MethodHandles.lookup().findVarHandle(ReadyList.class, "pagedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * Under memory pressure a queue pages only past this many in memory: one whose consumers
     * keep up holds fewer and would gain nothing from a disk write per message.
     */
    private static final int PRESSURE_FLOOR = PAGE_IN_BATCH;

    private final Paging paging;
    /** A quorum queue's list: a message is redelivered when its delivery count says it came back. */
    private final boolean counted;
    private final ArrayDeque<Message>[] fresh;
    private final LongDeque[] paged;
    private final PriorityQueue<Returned> returned = new PriorityQueue<>((a, b) -> a.level() != b.level()
            ? Integer.compare(b.level(), a.level())
            : Long.compare(a.message().id(), b.message().id()));
    /** Messages and body bytes held in memory (fresh and returned). */
    private int inMemory;
    private long inMemoryBytes;
    /** Written opaquely (a plain store on x86) so that {@link #pagedOut()} may be read from any thread. */
    private int pagedCount;
    private long pagedBytes;

    ReadyList(int maxPriority, Paging paging) {
        this(maxPriority, paging, false);
    }

    /** @param counted whether messages carry a quorum queue's delivery count (see {@link DeliveryCount}) */
    @SuppressWarnings("unchecked")
    ReadyList(int maxPriority, Paging paging, boolean counted) {
        this.paging = paging;
        this.counted = counted;
        fresh = new ArrayDeque[maxPriority + 1];
        paged = new LongDeque[maxPriority + 1];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = new ArrayDeque<>();
            paged[i] = new LongDeque();
        }
    }

    private int level(Message m) {
        return fresh.length == 1 ? 0 : Math.min(m.priority(), fresh.length - 1);
    }

    /** Takes over the caller's reference to {@code message}. */
    void add(Message message) {
        int level = level(message);
        if (paging.enabled() && (!paged[level].isEmpty() || inMemory >= paging.maxMessages()
                || inMemoryBytes >= paging.maxBytes()
                || inMemory >= PRESSURE_FLOOR && paging.pressure().high())) {
            pageOut(message, level);
            return;
        }
        fresh[level].addLast(message);
        inMemory++;
        inMemoryBytes += message.bodySize();
    }

    void putBack(Message message, boolean redelivered) {
        returned.add(new Returned(message, redelivered, level(message)));
        inMemory++;
        inMemoryBytes += message.bodySize();
    }

    boolean isEmpty() {
        return inMemory == 0 && pagedCount == 0;
    }

    int size() {
        return inMemory + pagedCount;
    }

    long bytes() {
        return inMemoryBytes + pagedBytes;
    }

    /** Messages kept out of memory right now; any thread. */
    int pagedOut() {
        return (int) PAGED_COUNT.getOpaque(this);
    }

    /** Highest level with fresh messages (in memory or paged), paging its next batch in; or -1. */
    private int topFresh() {
        if (inMemory == returned.size() && pagedCount == 0) {
            return -1;
        }
        for (int i = fresh.length - 1; i >= 0; i--) {
            if (!fresh[i].isEmpty()) {
                return i;
            }
            if (!paged[i].isEmpty()) {
                pageIn(i);
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
        if (headIsReturned()) {
            return returned.peek().redelivered();
        }
        return headCounted();
    }

    /** Whether the next message came back from a consumer (or basic.get), whatever its flag. */
    boolean headCameBack() {
        return headIsReturned() || headCounted();
    }

    /** A quorum queue's head was returned at least once (they go back to the tail, not the heap). */
    private boolean headCounted() {
        return counted && !isEmpty() && DeliveryCount.of(peek()) > 0;
    }

    Message peek() {
        if (headIsReturned()) {
            return returned.peek().message();
        }
        int top = topFresh();
        return top < 0 ? null : fresh[top].peekFirst();
    }

    /** The next message (the caller takes its reference), or null; see {@link #headRedelivered()}. */
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
        }
        inMemory--;
        inMemoryBytes -= m.bodySize();
        return m;
    }

    /** Empties the list, handing every message to {@code sink}; answers how many there were. */
    int drainTo(Consumer<Message> sink) {
        int n = size();
        Message m;
        while ((m = poll()) != null) {
            sink.accept(m);
        }
        return n;
    }

    private void pageOut(Message message, int level) {
        try {
            paging.store().put(message.id(), MessageBytes.encode(message));
        } catch (RuntimeException e) {
            // Kept in memory rather than lost: it may now leave ahead of older paged messages,
            // and the memory alarm, not the page file, bounds the queue until the store works.
            LOG.error("could not page message {} out, keeping it in memory", message.id(), e);
            fresh[level].addLast(message);
            inMemory++;
            inMemoryBytes += message.bodySize();
            return;
        }
        paged[level].addLast(message.id());
        PAGED_COUNT.setOpaque(this, pagedCount + 1);
        pagedBytes += message.bodySize();
        message.release();
    }

    private void pageIn(int level) {
        LongDeque ids = paged[level];
        int batch = Math.min(ids.size(), PAGE_IN_BATCH);
        for (int i = 0; i < batch; i++) {
            long id = ids.peekFirst();
            byte[] content = paging.store().get(id); // a failure here leaves the id to be read again
            ids.pollFirst();
            paging.store().remove(id);
            PAGED_COUNT.setOpaque(this, pagedCount - 1);
            if (content == null) {
                // Cannot happen while the page file is intact; skip rather than wedge the queue.
                LOG.error("paged message {} is missing from the page file: lost", id);
                continue;
            }
            Message m = MessageBytes.decode(id, content);
            pagedBytes -= m.bodySize();
            fresh[level].addLast(m);
            inMemory++;
            inMemoryBytes += m.bodySize();
        }
    }
}
