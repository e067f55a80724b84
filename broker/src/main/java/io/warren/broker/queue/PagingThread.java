package io.warren.broker.queue;

import io.warren.store.PageStore;
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
 * <p>Order: tasks run one at a time in submission order, so a read of an id always follows the
 * write of that id (a queue may ask for a message back before its write has run).
 *
 * <p>Concurrency: {@link #execute} from any thread; the tasks run on the paging thread.
 */
public final class PagingThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PagingThread.class);

    private final PageStore store;
    private final MpscUnboundedArrayQueue<Runnable> inbox = new MpscUnboundedArrayQueue<>(1024);
    private final Thread thread;
    /** Paging thread: page-outs the store refused (see {@link #put}). */
    private final java.util.Map<Long, byte[]> unwritten = new java.util.HashMap<>();
    private volatile boolean parked;
    private volatile boolean closed;

    public PagingThread(PageStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "warren-paging");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Paging thread: writes a page-out. One the store refuses (a full disk, say) is kept in
     * memory instead, with an ERROR log: the queue has already counted it as paged, and losing
     * it would leave a message counted ready that nobody can consume.
     */
    void put(long id, byte[] content) {
        try {
            store.put(id, content);
        } catch (RuntimeException e) {
            LOG.error("could not page message {} out, keeping it in memory", id, e);
            unwritten.put(id, content);
        }
    }

    /** Paging thread: reads a paged message back and forgets it; null when it is not there. */
    byte[] take(long id) {
        byte[] kept = unwritten.isEmpty() ? null : unwritten.remove(id);
        if (kept != null) {
            return kept;
        }
        byte[] content = store.get(id);
        store.remove(id);
        return content;
    }

    /** Runs {@code task} on the paging thread, after every task submitted before it. */
    void execute(Runnable task) {
        inbox.offer(task);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Whether the calling thread is the paging thread. */
    boolean inPagingThread() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        while (!closed) {
            Runnable task = inbox.poll();
            if (task == null) {
                parked = true;
                if (inbox.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("paging task failed", e);
            }
        }
    }

    /** Stops the thread (pending tasks are dropped: nothing paged survives a restart anyway). */
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
