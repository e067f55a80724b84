package io.warren.broker.queue;

import io.warren.store.PageStore;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches the page store: queues hand it their page-out writes and page-in
 * reads and get the results back on their own loop (as the group-commit writer does for the
 * message store), so a queue's loop never waits on the disk.
 *
 * <p>Reads go first. A queue that pages while its consumers keep up asks for a batch back
 * while its publishers keep paging new messages out; served in arrival order, each read would
 * wait behind every write queued before it and the consumers would get one batch per disk
 * backlog (a consumer fell from 200,000 to 2,250 messages a second that way). So writes wait
 * in {@link #pending}, in order, and are done one at a time only while no read waits; a read
 * of a message whose write has not run yet takes it from there, and the write never happens.
 *
 * <p>Concurrency: {@link #write} and {@link #read} from any thread; the work runs on the
 * paging thread. A read submitted after a write (by the same queue's loop) always finds it,
 * written or pending: writes are moved into {@link #pending} after a read is taken and before
 * it runs.
 */
public final class PagingThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PagingThread.class);

    /** A page-out: its content, and what to run once it is written or taken back unwritten. */
    private record PageOut(long id, byte[] content, Runnable done) {}

    private final PageStore store;
    private final MpscUnboundedArrayQueue<PageOut> writes = new MpscUnboundedArrayQueue<>(1024);
    private final MpscUnboundedArrayQueue<Runnable> reads = new MpscUnboundedArrayQueue<>(64);
    private final Thread thread;
    /** Paging thread: writes not yet done, in submission order. */
    private final LinkedHashMap<Long, PageOut> pending = new LinkedHashMap<>();
    /** Paging thread: page-outs the store refused (see {@link #store}). */
    private final Map<Long, byte[]> unwritten = new HashMap<>();
    private volatile boolean parked;
    private volatile boolean closed;

    public PagingThread(PageStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "warren-paging");
        thread.setDaemon(true);
        thread.start();
    }

    /** Pages {@code content} out under {@code id}; {@code done} runs on the paging thread once it is off the caller's books. */
    void write(long id, byte[] content, Runnable done) {
        writes.offer(new PageOut(id, content, done));
        wake();
    }

    /** Runs {@code read} on the paging thread, ahead of writes still waiting; it reads with {@link #take}. */
    void read(Runnable read) {
        reads.offer(read);
        wake();
    }

    /** Paging thread: a paged message's content, forgotten by the store; null when it is not there. */
    byte[] take(long id) {
        PageOut waiting = pending.remove(id);
        if (waiting != null) {
            waiting.done().run();
            return waiting.content();
        }
        byte[] kept = unwritten.isEmpty() ? null : unwritten.remove(id);
        if (kept != null) {
            return kept;
        }
        byte[] content = store.get(id);
        store.remove(id);
        return content;
    }

    /** Whether the calling thread is the paging thread. */
    boolean inPagingThread() {
        return Thread.currentThread() == thread;
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (!closed) {
            Runnable read = reads.poll();
            takeWrites(); // after the read is taken: every write submitted before it is pending now
            if (read != null) {
                run(read);
                continue;
            }
            Iterator<PageOut> first = pending.values().iterator();
            if (first.hasNext()) {
                PageOut w = first.next();
                first.remove();
                store(w);
                continue;
            }
            parked = true;
            if (reads.isEmpty() && writes.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            parked = false;
        }
    }

    private void takeWrites() {
        PageOut w;
        while ((w = writes.poll()) != null) {
            pending.put(w.id(), w);
        }
    }

    /**
     * Writes a page-out. One the store refuses (a full disk, say) is kept in memory instead, with
     * an ERROR log: the queue has already counted it as paged, and losing it would leave a
     * message counted ready that nobody can consume.
     */
    private void store(PageOut w) {
        try {
            store.put(w.id(), w.content());
        } catch (RuntimeException e) {
            LOG.error("could not page message {} out, keeping it in memory", w.id(), e);
            unwritten.put(w.id(), w.content());
        } finally {
            run(w.done());
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("paging task failed", e);
        }
    }

    /** Stops the thread (pending work is dropped: nothing paged survives a restart anyway). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
