package io.warren.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.h2.mvstore.MVStore;

/**
 * The one thread that owns the MVStore: it turns many callers' writes into few group commits.
 *
 * <p>Duty cycle: take everything in the inbox; apply it to the maps in submission order; if any
 * of it carries a completion, commit (one chunk write) and fsync once, then run the batch's
 * completions in order. While the writer is inside an fsync, new writes pile up in the inbox and
 * become the next batch, so the number of fsyncs per second stays near what the disk allows
 * while the number of writes per fsync grows with the number of concurrent callers.
 *
 * <p>Writes without a completion (messages published without confirms, unconfirmed removes,
 * delivered marks) never cause a commit of their own: they ride along with the next one, or are
 * committed when {@code lazyCommitMillis}, {@code lazyCommitOps} or {@link #LAZY_COMMIT_BYTES}
 * is reached. Every commit is followed by an fsync. That is what lets
 * the store reuse the space of dead chunks at once (retention time 0): a chunk only dies by a
 * commit that is already on disk when the next chunk may overwrite it.
 *
 * <p>Housekeeping (every {@code compactIntervalMillis}, busy or idle, and also as soon as a
 * quarter of {@code compactWriteBytes} of new content has been written since the last round):
 * when the chunks' fill rate drops under {@code compactFillRate}, up to {@code compactWriteBytes} of live
 * pages are moved out of the sparsest chunks; the emptied chunks' space is reused by later
 * commits. The trigger on written bytes ties compaction to churn rather than to the clock: a
 * fast disk that writes many chunks per interval must not outrun it and grow the file.
 *
 * <p>Failure is fail-stop. If a commit or an fsync fails (disk full, I/O error), that batch's
 * completions get the error, and so does every later write: after a failed fsync the kernel may
 * have dropped the dirty pages, so retrying could confirm data that is not on disk. The store
 * can still be closed; the next open recovers the last good commit.
 *
 * <p>Concurrency: {@link #submit} from any thread (lock-free; unparks the writer only when it
 * sleeps). Everything else runs on the writer thread. Counters are written by the writer only
 * and read racily by {@link #stats}.
 */
final class GroupCommitWriter implements Runnable {

    private static final long MARK_INTERVAL = TimeUnit.SECONDS.toNanos(5);
    /**
     * Content bytes of uncommitted enqueues that trigger a commit: MVStore keeps what is not
     * committed on the heap, so a fast publisher without confirms must not pile up 100 ms of
     * large messages there. One commit per 8 MiB costs far less than the writing itself.
     */
    static final long LAZY_COMMIT_BYTES = 8L << 20;
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

    private final OpInbox inbox = new OpInbox();
    /**
     * Content bytes of enqueues submitted but not yet applied to the maps: what the inbox holds
     * on the heap. Writes without a completion have no other bound, so the broker reads this to
     * hold publishers back when the disk is slower than they are.
     */
    private final AtomicLong pendingBytes = new AtomicLong();
    private final StoreMaps maps;
    private final MVStore store;
    private final StoreOptions options;
    private final String file;
    private final Thread thread;
    private final VersionMarker marker;
    /** the store version right after the last fsync, and when it was last recorded */
    private long syncedVersion;
    private long markedVersion;
    private long nextMark;

    private volatile boolean parked;
    private volatile boolean closing;
    private volatile boolean terminated;
    /** set once, when a commit failed: every later write fails with it */
    private volatile StoreException failure;
    /** tests: the next sync throws this instead of syncing */
    private volatile RuntimeException injectedSyncFailure;

    private StoreOp[] batch = new StoreOp[256];
    private int uncommittedOps;
    private long uncommittedSince;
    /** content bytes enqueued since the last commit */
    private long uncommittedBytes;
    private long nextHousekeeping;
    /** content bytes enqueued since the last housekeeping round */
    private long churnBytes;

    private volatile long operations;
    private volatile long commits;
    private volatile long compactions;

    GroupCommitWriter(StoreMaps maps, StoreOptions options, String file, VersionMarker marker) {
        this.maps = maps;
        this.marker = marker;
        this.store = maps.store;
        this.options = options;
        this.file = file;
        this.thread = new Thread(this, "warren-store-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        nextHousekeeping = System.nanoTime() + millis(options.compactIntervalMillis());
        thread.start();
    }

    /** Hands a write to the writer; throws if the store is closed. */
    void submit(StoreOp op) {
        if (closing) {
            throw new StoreException("message store " + file + " is closed");
        }
        if (op.kind == StoreOp.Kind.ENQUEUE) {
            pendingBytes.getAndAdd(op.bytes.length);
        }
        inbox.push(op);
        if (parked) {
            LockSupport.unpark(thread);
        }
        if (terminated) {
            failLeftovers(); // the writer left between our check and our push
        }
    }

    /** Commits what is pending, closes the MVStore and waits for the writer to end. */
    void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("close() called from a store completion");
        }
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    StoreStats stats(long messages, long diskBytes, int fillRate) {
        long c = commits;
        long ops = operations;
        return new StoreStats(messages, diskBytes, diskBytes * fillRate / 100, ops, c,
                c == 0 ? 0 : (double) ops / c, compactions);
    }

    /** Content bytes of enqueues submitted but not yet applied (racy, any thread). */
    long pendingBytes() {
        return pendingBytes.get();
    }

    void injectSyncFailure(RuntimeException e) {
        injectedSyncFailure = e;
    }

    @Override
    public void run() {
        try {
            while (!closing || !inbox.isEmpty()) {
                StoreOp ops = inbox.takeAll();
                if (ops != null) {
                    process(ops);
                } else {
                    idle();
                }
                if (System.nanoTime() - nextHousekeeping >= 0
                        || churnBytes >= options.compactWriteBytes() / 4) {
                    housekeeping();
                }
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            shutdown();
            terminated = true;
            failLeftovers();
        }
    }

    private void process(StoreOp newestFirst) {
        int n = inOrder(newestFirst);
        boolean confirm = false;
        long taken = enqueuedBytes(n);
        if (failure == null) {
            for (int i = 0; i < n; i++) {
                StoreOp op = batch[i];
                try {
                    apply(op);
                } catch (RuntimeException e) {
                    op.failure = e;
                }
                confirm |= op.done != null;
            }
            operations += n;
            long now = System.nanoTime();
            if (uncommittedOps == 0) {
                uncommittedSince = now;
            }
            uncommittedOps += n;
            // lazy writes also commit on age here, not only when idle: a steady stream of acks
            // without confirms must not wait for lazyCommitOps
            if (confirm || uncommittedOps >= options.lazyCommitOps()
                    || uncommittedBytes >= LAZY_COMMIT_BYTES
                    || now - uncommittedSince >= millis(options.lazyCommitMillis())) {
                commit();
            }
        }
        // applied (and committed if it had to be) or failed: the inbox no longer holds them
        pendingBytes.getAndAdd(-taken);
        for (int i = 0; i < n; i++) {
            StoreOp op = batch[i];
            batch[i] = null;
            if (op.done != null) {
                complete(op.done, op.failure != null ? op.failure : failure);
            } else if (op.failure != null) {
                LOG.log(Level.WARNING, "store write " + op.kind + " failed", op.failure);
            }
        }
    }

    private void apply(StoreOp op) {
        switch (op.kind) {
            case ENQUEUE -> {
                maps.enqueue(op);
                churnBytes += op.bytes.length;
                uncommittedBytes += op.bytes.length;
            }
            case REMOVE -> maps.remove(op.name, op.messageId);
            case MARK_DELIVERED -> maps.markDelivered(op.name, op.messageId);
            case DELETE_QUEUE -> maps.deleteQueue(op.name);
            case PUT_METADATA -> maps.metadata.put(op.name, op.bytes);
            case REMOVE_METADATA -> maps.metadata.remove(op.name);
            case FLUSH -> { } // a barrier: its completion runs after this batch's fsync
        }
    }

    private long enqueuedBytes(int n) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            StoreOp op = batch[i];
            if (op.kind == StoreOp.Kind.ENQUEUE) {
                bytes += op.bytes.length;
            }
        }
        return bytes;
    }

    /** Reverses the inbox's stack into {@link #batch}; returns the count. */
    private int inOrder(StoreOp newestFirst) {
        int n = 0;
        for (StoreOp op = newestFirst; op != null; op = op.next) {
            n++;
        }
        if (n > batch.length) {
            batch = new StoreOp[Integer.highestOneBit(n) * 2];
        }
        int i = n;
        for (StoreOp op = newestFirst; op != null;) {
            StoreOp next = op.next;
            op.next = null;
            batch[--i] = op;
            op = next;
        }
        return n;
    }

    /** One group commit: write a new chunk, then fsync. */
    private void commit() {
        try {
            store.commit();
            RuntimeException injected = injectedSyncFailure;
            if (injected != null) {
                injectedSyncFailure = null;
                throw injected;
            }
            store.sync();
            syncedVersion = store.getCurrentVersion();
            commits++;
            uncommittedOps = 0;
            uncommittedBytes = 0;
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void idle() {
        long now = System.nanoTime();
        long wakeUp = nextHousekeeping;
        if (uncommittedOps > 0) {
            long due = uncommittedSince + millis(options.lazyCommitMillis());
            if (now - due >= 0) {
                commit();
                return;
            }
            wakeUp = due - wakeUp < 0 ? due : wakeUp;
        }
        parked = true;
        if (inbox.isEmpty() && !closing) {
            LockSupport.parkNanos(this, Math.max(wakeUp - now, 1));
        }
        parked = false;
    }

    private void housekeeping() {
        nextHousekeeping = System.nanoTime() + millis(options.compactIntervalMillis());
        churnBytes = 0;
        if (failure != null) {
            return;
        }
        if (syncedVersion > markedVersion && System.nanoTime() - nextMark >= 0) {
            nextMark = System.nanoTime() + MARK_INTERVAL;
            try {
                marker.write(syncedVersion);
                markedVersion = syncedVersion;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot write " + marker.path(), e);
            }
        }
        if (maps.saveMaxMessageId()) {
            if (uncommittedOps == 0) {
                uncommittedSince = System.nanoTime();
            }
            uncommittedOps++;
        }
        if (options.compactFillRate() == 0) {
            return;
        }
        try {
            if (store.compact(options.compactFillRate(), options.compactWriteBytes())) {
                compactions++;
                commit();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "compaction of " + file + " failed", e);
        }
    }

    private void shutdown() {
        try {
            if (failure == null) {
                maps.saveMaxMessageId();
                if (uncommittedOps > 0) {
                    commit();
                }
                store.close(options.closeCompactMillis());
                marker.write(store.getCurrentVersion());
            } else {
                store.closeImmediately();
            }
        } catch (Throwable t) {
            fail(t);
            store.closeImmediately();
        }
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = new StoreException("writing message store " + file + " failed; it accepts"
                    + " no more writes (restart to recover the last good commit)", cause);
            LOG.log(Level.ERROR, failure.getMessage(), cause);
        }
    }

    /**
     * Fails whatever is still in the inbox once the writer has ended. Runs on the writer or on
     * a late producer; each op is taken by exactly one of them, and no shared buffer is used.
     */
    private void failLeftovers() {
        StoreException closed = failure != null ? failure
                : new StoreException("message store " + file + " is closed");
        for (StoreOp newestFirst = inbox.takeAll(); newestFirst != null;
                newestFirst = inbox.takeAll()) {
            StoreOp oldestFirst = null;
            for (StoreOp op = newestFirst; op != null;) {
                StoreOp next = op.next;
                op.next = oldestFirst;
                oldestFirst = op;
                op = next;
            }
            for (StoreOp op = oldestFirst; op != null; op = op.next) {
                if (op.kind == StoreOp.Kind.ENQUEUE) {
                    pendingBytes.getAndAdd(-op.bytes.length);
                }
                if (op.done != null) {
                    complete(op.done, closed);
                }
            }
        }
    }

    private static void complete(Completion done, Throwable failureOrNull) {
        try {
            done.completed(failureOrNull);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "store completion threw", t);
        }
    }

    private static long millis(int ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
