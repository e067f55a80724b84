package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent submitters share fsyncs: 16 publishers that each wait for their confirm before
 * the next publish need far fewer commits than messages.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void concurrentSubmittersShareCommits() throws Exception {
        int submitters = 16;
        int perSubmitter = 200;
        AtomicLong ids = new AtomicLong();
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            long commitsBefore = store.stats().commits();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perSubmitter; i++) {
                        Done done = new Done();
                        store.enqueue(ids.incrementAndGet(), new byte[1024], List.of("q"), done);
                        done.ok();
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            StoreStats stats = store.stats();
            long messages = (long) submitters * perSubmitter;
            long commits = stats.commits() - commitsBefore;
            assertEquals(messages, stats.messages());
            System.out.printf("group commit: %d confirmed messages from %d submitters in %d"
                    + " commits (%.1f per commit)%n", messages, submitters, commits,
                    (double) messages / commits);
            assertTrue(commits * 4 < messages, commits + " commits for " + messages + " messages");
        }
    }
}
