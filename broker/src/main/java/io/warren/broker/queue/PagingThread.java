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
    private volatile boolean parked;
    private volatile boolean closed;

    public PagingThread(PageStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "warren-paging");
        thread.setDaemon(true);
        thread.start();
    }

    /** The store; only from tasks running on the paging thread. */
    PageStore store() {
        return store;
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
