package io.warren.store;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link CrashTest} kills. Several threads enqueue messages (every fifth one to two
 * queues) and remove every third one from queue "a", each with a completion; a printer thread
 * writes "E id" for each confirmed enqueue and "R id" for each confirmed removal. Runs until
 * killed. Arguments: data directory, number of threads.
 */
public final class CrashChild {

    static final int SIZE = 1024;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        MvStoreMessageStore store = MvStoreMessageStore.open(dir);
        AtomicLong ids = new AtomicLong(store.maxMessageId());
        ConcurrentLinkedQueue<String> confirmed = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            new Thread(() -> publish(store, ids, confirmed)).start();
        }
        PrintStream out = new PrintStream(System.out, false);
        while (true) {
            String line = confirmed.poll();
            if (line == null) {
                out.flush();
                Thread.sleep(1);
            } else {
                out.println(line);
            }
        }
    }

    private static void publish(MessageStore store, AtomicLong ids,
            ConcurrentLinkedQueue<String> confirmed) {
        Semaphore window = new Semaphore(128);
        while (true) {
            window.acquireUninterruptibly();
            long id = ids.incrementAndGet();
            List<String> queues = id % 5 == 0 ? List.of("a", "b") : List.of("a");
            store.enqueue(id, content(id), queues, failure -> {
                if (failure == null) {
                    confirmed.add("E " + id);
                }
                window.release();
            });
            if (id % 3 == 0) {
                store.remove("a", id, failure -> {
                    if (failure == null) {
                        confirmed.add("R " + id);
                    }
                });
            }
        }
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
