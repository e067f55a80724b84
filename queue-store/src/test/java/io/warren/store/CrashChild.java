package io.warren.store;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link CrashTest} kills. It alternates two phases until killed:
 * <ul>
 *   <li>a burst: several threads enqueue messages (every fifth one to two queues) and remove
 *       every third one from queue "a", each with a completion, for 10–60 ms; then it waits for
 *       every completion;</li>
 *   <li>a quiet step: one enqueue (and its removal, every third id), waited for; then it
 *       prints every confirm, then "Q id", and pauses 30 ms, writing nothing. A kill on reading
 *       "Q" lands right after a confirm with no later commit: the case a burst alone hides.</li>
 * </ul>
 * It prints "E id" for each confirmed enqueue and "R id" for each confirmed removal, before the
 * "Q" that follows them. Arguments: data directory, number of threads.
 */
public final class CrashChild {

    static final int SIZE = 1024;
    private static final int WINDOW = 128;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        MvStoreMessageStore store = MvStoreMessageStore.open(dir);
        AtomicLong ids = new AtomicLong(store.maxMessageId());
        ConcurrentLinkedQueue<String> confirmed = new ConcurrentLinkedQueue<>();
        PrintStream out = new PrintStream(System.out, false);
        while (true) {
            burst(store, ids, confirmed, threads);
            long id = ids.incrementAndGet();
            Done enqueued = new Done();
            store.enqueue(id, content(id), queues(id), enqueued);
            Done removed = new Done();
            if (id % 3 == 0) {
                store.remove("a", id, removed);
            } else {
                removed.completed(null);
            }
            enqueued.ok();
            removed.ok();
            confirmed.add("E " + id);
            if (id % 3 == 0) {
                confirmed.add("R " + id);
            }
            for (String line = confirmed.poll(); line != null; line = confirmed.poll()) {
                out.println(line);
            }
            out.println("Q " + id);
            out.flush();
            Thread.sleep(30);
        }
    }

    /** Several threads publish for a while; returns when every completion has run. */
    private static void burst(MessageStore store, AtomicLong ids,
            ConcurrentLinkedQueue<String> confirmed, int threads) throws InterruptedException {
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(10, 60) * 1_000_000;
        Thread[] publishers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            publishers[t] = new Thread(() -> publish(store, ids, confirmed, until));
            publishers[t].start();
        }
        for (Thread t : publishers) {
            t.join();
        }
    }

    private static void publish(MessageStore store, AtomicLong ids,
            ConcurrentLinkedQueue<String> confirmed, long until) {
        Semaphore window = new Semaphore(WINDOW);
        while (System.nanoTime() - until < 0) {
            window.acquireUninterruptibly();
            long id = ids.incrementAndGet();
            store.enqueue(id, content(id), queues(id), failure -> {
                if (failure == null) {
                    confirmed.add("E " + id);
                }
                window.release();
            });
            if (id % 3 == 0) {
                window.acquireUninterruptibly();
                store.remove("a", id, failure -> {
                    if (failure == null) {
                        confirmed.add("R " + id);
                    }
                    window.release();
                });
            }
        }
        window.acquireUninterruptibly(WINDOW); // every completion has run
    }

    static List<String> queues(long id) {
        return id % 5 == 0 ? List.of("a", "b") : List.of("a");
    }

    /** The content of message {@code id}: its id, then a pattern derived from it. */
    static byte[] content(long id) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putLong(id);
        while (b.hasRemaining()) {
            b.put((byte) (id * 31 + b.position()));
        }
        return b.array();
    }
}
