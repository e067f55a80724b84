package io.warren.broker.queue;

import io.warren.broker.message.Message;
import io.warren.broker.message.MessageBytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Positions: each message gets a position in its level as it arrives here (on the queue's
 * loop), not its message id: ids are taken before routing, so two publishers on different
 * loops can reach a queue in the opposite order to their ids, and a requeue must restore the
 * order the queue had. A level's FIFO (in memory and paged) holds consecutive positions, so
 * they cost no memory: the head's is {@code headPosition[level]}; a delivery carries its
 * position out and back ({@link #polledPosition()}).
 *
 * <p>Paging: past the {@link Paging} limits (or under memory pressure), a level's newly arriving
 * messages are written to the page store and only their ids kept (8 bytes a message, in a
 * {@link LongDeque} behind the level's in-memory FIFO). Writes and reads run on the
 * {@link PagingThread}, never on the queue's loop: a page-out is encoded here and written there;
 * a page-in of the next batch of ids is asked for once a level's in-memory part runs low, and
 * its messages join the FIFO when the read comes back on the queue's loop (through
 * {@code owner}). Until then the level keeps what it has in memory flowing; if that runs dry
 * first, the head is <em>waiting</em>: {@link #peek()} and {@link #poll()} answer null though
 * the list is not {@link #isEmpty() empty}, and lower levels wait too, to keep the order.
 * Page-outs on their way to the disk are bounded in bytes: past {@link #WRITES_HIGH} the queue
 * reports {@link #writesBehind()} and its publishers are paused until the writes catch up.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe, apart from {@link #pagedOut()} and
 * {@link #writesBehind()}.
 */
final class ReadyList {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyList.class);

    /** A message that has been out and came back; remembers whether it reached a client. */
    record Returned(Message message, boolean redelivered, int level, long position) {}

    private static final int PAGE_IN_BATCH = 2048;
    /** Page-out bytes (with a per-write overhead) not yet written above which publishers pause. */
    static final long WRITES_HIGH = 8L << 20;
    private static final long WRITES_LOW = WRITES_HIGH / 2;
    private static final int WRITE_OVERHEAD = 96;
    private static final Runnable NOTHING = () -> {};
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
    /** Where the paging thread's answers run: the queue's loop, after what was posted before. */
    private final Executor owner;
    /** A quorum queue's list: a message is redelivered when its delivery count says it came back. */
    private final boolean counted;
    /** A level with paged messages asks for the next batch once its in-memory part is this small. */
    private final int pageInBelow;
    private final ArrayDeque<Message>[] fresh;
    private final LongDeque[] paged;
    /** Per level: ids of the page-in under way (0: none); they still count as paged out. */
    private final int[] reading;
    private final PriorityQueue<Returned> returned = new PriorityQueue<>((a, b) -> a.level() != b.level()
            ? Integer.compare(b.level(), a.level())
            : Long.compare(a.position(), b.position()));
    /** Per level: position of the FIFO's head, and the next position to give. */
    private final long[] headPosition;
    private final long[] tailPosition;
    /** Recovered messages that had been delivered come before anything else, in recovery order. */
    private long recoveredPosition = Long.MIN_VALUE;
    private long polledPosition;
    /** Messages and body bytes held in memory (fresh and returned). */
    private int inMemory;
    private long inMemoryBytes;
    /** Written opaquely (a plain store on x86) so that {@link #pagedOut()} may be read from any thread. */
    private int pagedCount;
    private long pagedBytes;
    /** Page-out bytes handed to the paging thread and not yet written; it counts them down. */
    private final AtomicLong writing = new AtomicLong();
    /** Set when {@link #writesBehind()} said yes: publishers may be paused until the writes catch up. */
    private volatile boolean publishersWait;
    /** Bumped by {@link #drainTo}: a page-in asked for before it lands in {@link #dropped}. */
    private int epoch;
    private Consumer<Message> dropped;
    /** Ids dropped by {@link #drainTo} still to be read back (for {@link #dropped}) and removed. */
    private final LongDeque discarding = new LongDeque();
    private boolean discardUnderWay;

    /** A list whose paging answers run inline: only with {@link Paging#OFF}. */
    ReadyList(int maxPriority, Paging paging) {
        this(maxPriority, paging, false, Runnable::run);
    }

    /**
     * @param counted whether messages carry a quorum queue's delivery count (see {@link DeliveryCount})
     * @param owner runs the paging thread's answers on the owner loop
     */
    @SuppressWarnings("unchecked")
    ReadyList(int maxPriority, Paging paging, boolean counted, Executor owner) {
        this.paging = paging;
        this.owner = owner;
        this.counted = counted;
        this.pageInBelow = (int) Math.min(PAGE_IN_BATCH / 2, paging.maxMessages() / 2L);
        fresh = new ArrayDeque[maxPriority + 1];
        paged = new LongDeque[maxPriority + 1];
        reading = new int[maxPriority + 1];
        headPosition = new long[maxPriority + 1];
        tailPosition = new long[maxPriority + 1];
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
        tailPosition[level]++;
        if (paging.enabled() && (!paged[level].isEmpty() || reading[level] > 0 || inMemory >= paging.maxMessages()
                || inMemoryBytes >= paging.maxBytes()
                || inMemory >= PRESSURE_FLOOR && paging.pressure().high())) {
            pageOut(message, level);
            return;
        }
        fresh[level].addLast(message);
        inMemory++;
        inMemoryBytes += message.bodySize();
    }

    /** A message back from a consumer, to its position (see {@link #polledPosition()}). */
    void putBack(Message message, boolean redelivered, long position) {
        returned.add(new Returned(message, redelivered, level(message), position));
        inMemory++;
        inMemoryBytes += message.bodySize();
    }

    /** Start-up: a recovered message that had been delivered, behind those recovered before it. */
    void putBackRecovered(Message message) {
        returned.add(new Returned(message, true, level(message), recoveredPosition++));
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

    /**
     * Whether page-outs wait to be written beyond the bound; any thread (a publisher's offer).
     * Answering yes arms the wake-up that tells the queue when the writes have caught up.
     */
    boolean writesBehind() {
        if (writing.get() > WRITES_HIGH) {
            publishersWait = true;
            return true;
        }
        return false;
    }

    /**
     * Start-up (recovery, before the queue runs on its loop): waits until the page-outs handed
     * over so far are mostly written, so that recovering a long queue does not pile them up in
     * memory. Nothing else may wake the queue then, so this waits rather than pausing anyone.
     */
    void awaitWritesIfBehind() {
        if (writing.get() > WRITES_HIGH) {
            while (writing.get() > WRITES_LOW) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /**
     * Whether page-outs waiting to be written are few enough to resume publishers; if not, the
     * queue is woken once they are. Owner loop.
     */
    boolean writesCaughtUp() {
        if (writing.get() <= WRITES_LOW) {
            return true;
        }
        publishersWait = true;
        return writing.get() <= WRITES_LOW; // the writes may have caught up before the flag was seen
    }

    /**
     * Highest level with fresh messages (in memory, paged out or on their way back), or -1.
     * Asks for a level's next page-in batch when its in-memory part runs low.
     */
    private int topFresh() {
        if (inMemory == returned.size() && pagedCount == 0) {
            return -1;
        }
        for (int i = fresh.length - 1; i >= 0; i--) {
            int held = fresh[i].size();
            if (held > 0 || reading[i] > 0 || !paged[i].isEmpty()) {
                if (held <= pageInBelow && reading[i] == 0 && !paged[i].isEmpty()) {
                    pageIn(i);
                }
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
        if (!counted) {
            return false;
        }
        Message head = peek();
        return head != null && DeliveryCount.of(head) > 0;
    }

    /** The next message, or null when the list is empty or its head is still being paged in. */
    Message peek() {
        if (headIsReturned()) {
            return returned.peek().message();
        }
        int top = topFresh();
        return top < 0 ? null : fresh[top].peekFirst();
    }

    /** Whether a message can leave now: not empty, and the head is not waiting for a page-in. */
    boolean hasHead() {
        return peek() != null;
    }

    /**
     * The next message (the caller takes its reference), or null when empty or waiting for a
     * page-in; see {@link #headRedelivered()}.
     */
    Message poll() {
        Message m;
        if (headIsReturned()) {
            Returned r = returned.poll();
            m = r.message();
            polledPosition = r.position();
        } else {
            int top = topFresh();
            if (top < 0 || (m = fresh[top].pollFirst()) == null) {
                return null;
            }
            polledPosition = headPosition[top]++;
        }
        inMemory--;
        inMemoryBytes -= m.bodySize();
        return m;
    }

    /** The position of the message {@link #poll()} answered last: {@link #putBack} takes it. */
    long polledPosition() {
        return polledPosition;
    }

    /**
     * Empties the list; answers how many messages it held. The ones in memory go to {@code sink}
     * now; paged-out ones are read back off the loop and go to {@code sink} later, on the loop.
     */
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
        inMemory = 0;
        inMemoryBytes = 0;
        System.arraycopy(tailPosition, 0, headPosition, 0, headPosition.length);
        if (pagedCount > 0) {
            dropped = sink;
            epoch++; // page-ins under way land in the sink
            for (int i = 0; i < paged.length; i++) {
                reading[i] = 0;
                while (!paged[i].isEmpty()) {
                    discarding.addLast(paged[i].pollFirst());
                }
            }
            PAGED_COUNT.setOpaque(this, 0);
            pagedBytes = 0;
            discardNext();
        }
        return n;
    }

    private void pageOut(Message message, int level) {
        byte[] content = MessageBytes.encode(message);
        long id = message.id();
        long cost = content.length + WRITE_OVERHEAD;
        writing.addAndGet(cost);
        paging.pager().write(id, content, () -> written(cost));
        paged[level].addLast(id);
        PAGED_COUNT.setOpaque(this, pagedCount + 1);
        pagedBytes += message.bodySize();
        message.release();
    }

    /** Paging thread: a page-out reached the store; falling below the low mark wakes the queue. */
    private void written(long cost) {
        long after = writing.addAndGet(-cost);
        if (after <= WRITES_LOW && publishersWait) {
            publishersWait = false;
            owner.execute(NOTHING); // the queue's turn resumes publishers paused on writesBehind()
        }
    }

    private void pageIn(int level) {
        long[] ids = take(paged[level]);
        reading[level] = ids.length;
        int asked = epoch;
        read(ids, contents -> landed(level, asked, ids, contents));
    }

    /** Owner loop: a page-in came back. */
    private void landed(int level, int asked, long[] ids, byte[][] contents) {
        if (asked != epoch) {
            toDropped(ids, contents);
            return;
        }
        reading[level] = 0;
        PAGED_COUNT.setOpaque(this, pagedCount - ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (contents[i] == null) {
                // Logged by read(); skip rather than wedge the queue. Positions behind it in
                // this level shift by one: only a requeue's order among them could suffer.
                continue;
            }
            Message m = MessageBytes.decode(ids[i], contents[i]);
            pagedBytes -= m.bodySize();
            fresh[level].addLast(m);
            inMemory++;
            inMemoryBytes += m.bodySize();
        }
    }

    /** Reads dropped ids back one batch at a time (bounded memory), handing them to {@link #dropped}. */
    private void discardNext() {
        if (discardUnderWay || discarding.isEmpty()) {
            return;
        }
        discardUnderWay = true;
        long[] ids = take(discarding);
        read(ids, contents -> {
            discardUnderWay = false;
            toDropped(ids, contents);
            discardNext();
        });
    }

    private void toDropped(long[] ids, byte[][] contents) {
        for (int i = 0; i < ids.length; i++) {
            if (contents[i] != null) {
                dropped.accept(MessageBytes.decode(ids[i], contents[i]));
            }
        }
    }

    private static long[] take(LongDeque from) {
        long[] ids = new long[Math.min(from.size(), PAGE_IN_BATCH)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from.pollFirst();
        }
        return ids;
    }

    /** Reads and removes {@code ids} on the paging thread; {@code then} gets their contents on the owner loop. */
    private void read(long[] ids, Consumer<byte[][]> then) {
        PagingThread pager = paging.pager();
        pager.read(() -> {
            byte[][] contents = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                try {
                    contents[i] = pager.take(ids[i]);
                    if (contents[i] == null) {
                        LOG.error("paged message {} is missing from the page store", ids[i]);
                    }
                } catch (RuntimeException e) {
                    LOG.error("cannot read paged message {} back", ids[i], e);
                }
            }
            owner.execute(() -> then.accept(contents));
        });
    }
}
