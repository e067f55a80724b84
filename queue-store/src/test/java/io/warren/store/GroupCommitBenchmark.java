package io.warren.store;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent 1 KiB enqueue + confirm (+ lazy ack) throughput with 1, 4, 16 and 64 concurrent
 * submitters, fsync on. Each submitter is a publisher that waits for its confirm before the
 * next publish, then acks the message without waiting (as a consumer would). A plain main, not
 * a test: see README.md for the command. Arguments: [seconds per level] [data directory].
 */
public final class GroupCommitBenchmark {

    private static final int SIZE = 1024;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean temporary = args.length < 2;
        Path base = temporary ? Files.createTempDirectory("warren-bench") : Path.of(args[1]);
        StoreOptions options = StoreOptions.defaults();
        if (System.getProperty("pageSplitSize") != null) {
            options = options.withPageSplitSize(Integer.getInteger("pageSplitSize"));
        }
        System.out.printf("%s, %d s per level, %s%n", options, seconds, base);
        // warm up until the JIT is done with the hot paths: it would otherwise be billed to
        // the first level's CPU per message
        run(base.resolve("warmup-1"), options, 64, 6, false);
        run(base.resolve("warmup-2"), options, 1, 4, false);
        System.out.println("submitters  msgs/s  commits/s  avg-batch  cpu-us/msg  writer-cpu-us/msg"
                + "  (cpu: whole process, JIT compiler threads excluded)");
        String levels = System.getProperty("levels", "1,4,16,64");
        for (String level : levels.split(",")) {
            int submitters = Integer.parseInt(level.trim());
            run(base.resolve("c" + submitters), options, submitters, seconds, true);
        }
        if (!Boolean.getBoolean("skipDisk")) {
            diskUse(base.resolve("disk"), options);
        }
        if (temporary) {
            try (var files = Files.walk(base)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(Path dir, StoreOptions options, int submitters, int seconds,
            boolean print) throws Exception {
        OperatingSystemMXBean os =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, options)) {
            long writerId = writerThreadId();
            AtomicLong ids = new AtomicLong(store.maxMessageId());
            AtomicLong confirmed = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            byte[] payload = new byte[SIZE];
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                List<String> queue = List.of("q" + (t % 8));
                workers.add(new Thread(() -> publish(store, queue, payload, ids, confirmed, stop)));
            }
            StoreStats before = store.stats();
            long cpu0 = os.getProcessCpuTime() - jitNanos();
            long writerCpu0 = threads.getThreadCpuTime(writerId);
            long t0 = System.nanoTime();
            workers.forEach(Thread::start);
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - jitNanos() - cpu0;
            long writerCpu = threads.getThreadCpuTime(writerId) - writerCpu0;
            StoreStats after = store.stats();
            long n = confirmed.get();
            long commits = after.commits() - before.commits();
            if (Boolean.getBoolean("threads")) {
                printTaskTimes();
            }
            if (print) {
                System.out.printf("%10d  %6.0f  %9.0f  %9.1f  %10.1f  %17.1f%n", submitters,
                        n * 1e9 / elapsed, commits * 1e9 / elapsed,
                        (double) (after.operations() - before.operations()) / commits,
                        cpu / 1e3 / n, writerCpu / 1e3 / n);
            }
        }
    }

    private static void publish(MessageStore store, List<String> queue, byte[] payload,
            AtomicLong ids, AtomicLong confirmed, AtomicBoolean stop) {
        Thread me = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        Completion confirm = failure -> {
            if (failure != null) {
                failure.printStackTrace();
            }
            done.set(true);
            LockSupport.unpark(me);
        };
        while (!stop.get()) {
            long id = ids.incrementAndGet();
            done.set(false);
            store.enqueue(id, payload.clone(), queue, confirm);
            while (!done.get()) {
                LockSupport.park();
            }
            confirmed.incrementAndGet();
            store.remove(queue.get(0), id, null);
        }
    }

    private static void diskUse(Path dir, StoreOptions options) throws IOException {
        int count = 100_000;
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, options)) {
            byte[] payload = new byte[SIZE];
            Done last = new Done();
            for (int id = 1; id <= count; id++) {
                store.enqueue(id, payload.clone(), List.of("q"), id == count ? last : f -> { });
            }
            last.ok();
            StoreStats stats = store.stats();
            System.out.printf("%d stored 1 KiB messages: %d bytes on disk, %.0f bytes/message"
                    + " (fill rate estimate: %d live bytes)%n", count, stats.diskBytes(),
                    (double) stats.diskBytes() / count, stats.liveBytes());
        }
        System.out.printf("after close (compacted): %.0f bytes/message%n",
                (double) Files.size(dir.resolve(MvStoreMessageStore.FILE_NAME)) / count);
    }

    /** CPU time of the JIT compiler threads (from /proc, 10 ms resolution), 0 if unknown. */
    private static long jitNanos() throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("Compiler")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        } catch (IOException noProc) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    /** Debugging: CPU ticks of every OS thread of this JVM (JIT, GC and VM threads too). */
    private static void printTaskTimes() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                String name;
                try {
                    stat = Files.readString(task.resolve("stat"));
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long user = Long.parseLong(f[11]);
                long sys = Long.parseLong(f[12]);
                if (user + sys > 10) {
                    System.out.printf("  %-24s user %5d sys %5d ticks%n",
                            name, user, sys);
                }
            }
        }
    }

    private static long writerThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("warren-store-writer")) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no writer thread");
    }
}
