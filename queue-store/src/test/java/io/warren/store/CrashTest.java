package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing confirmed is ever lost: a child JVM writes with completions from several threads and
 * prints what was confirmed; it is killed with SIGKILL mid-stream; the reopened store must hold
 * every confirmed enqueue, intact, and none of the confirmed removals. Several rounds on the
 * same store, each continuing where the last one's ids stopped.
 */
class CrashTest {

    private static final int ROUNDS = 3;
    private static final int CONFIRMS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    void everyConfirmedWriteSurvivesSigkill() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            Set<Long> enqueued = ConcurrentHashMap.newKeySet();
            Set<Long> removed = ConcurrentHashMap.newKeySet();
            Process child = start();
            Thread reader = new Thread(() -> read(child, enqueued, removed));
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (enqueued.size() < CONFIRMS_BEFORE_KILL && System.nanoTime() < deadline
                    && child.isAlive()) {
                Thread.sleep(5);
            }
            assertTrue(child.isAlive(), "the child died by itself");
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
            reader.join();
            assertTrue(enqueued.size() >= CONFIRMS_BEFORE_KILL, "too few confirms: " + enqueued.size());
            check(round, Set.copyOf(enqueued), Set.copyOf(removed));
        }
    }

    private void check(int round, Set<Long> enqueued, Set<Long> removed) {
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir)) {
            Map<Long, Boolean> inA = new HashMap<>();
            Set<Long> inB = new HashSet<>();
            store.recover("a", (id, content, delivered) -> {
                assertArrayEquals(CrashChild.content(id), content, "content of " + id);
                inA.put(id, delivered);
            });
            store.recover("b", (id, content, delivered) -> inB.add(id));
            for (long id : enqueued) {
                // an id % 3 == 0 was also removed from "a": whether that removal is durable is
                // only known when its confirm was printed
                if (id % 3 != 0) {
                    assertTrue(inA.containsKey(id), "round " + round + ": confirmed " + id + " lost");
                }
                if (id % 5 == 0) {
                    assertTrue(inB.contains(id), "round " + round + ": confirmed " + id + " lost in b");
                }
            }
            for (long id : removed) {
                assertFalse(inA.containsKey(id), "round " + round + ": removal of " + id + " lost");
            }
            long extra = inA.keySet().stream()
                    .filter(id -> id > maxIdOfEarlierRounds && !enqueued.contains(id)).count();
            System.out.printf("crash round %d: %d confirmed enqueues and %d confirmed removals"
                    + " survived; %d unconfirmed enqueues survived too; %d messages stored%n",
                    round, enqueued.size(), removed.size(), extra, store.stats().messages());
            maxIdOfEarlierRounds = store.maxMessageId();
        }
    }

    private long maxIdOfEarlierRounds;

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), "4");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    private static void read(Process child, Set<Long> enqueued, Set<Long> removed) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.length() < 3) {
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(line.substring(2));
                } catch (NumberFormatException torn) {
                    continue; // the last line, cut by the kill
                }
                (line.charAt(0) == 'E' ? enqueued : removed).add(id);
            }
        } catch (Exception e) {
            // the child is gone
        }
    }
}
