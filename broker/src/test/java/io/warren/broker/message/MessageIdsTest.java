package io.warren.broker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsAreUniqueAcrossThreadsIncreasingOnEachAndAboveTheRecoveredOnes() throws Exception {
        MessageIds ids = new MessageIds();
        ids.startAbove(41_000);
        int threads = 4;
        int each = MessageIds.BLOCK * 5 + 17;
        long[][] taken = new long[threads][each];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = taken[t];
            workers.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    mine[i] = ids.getAsLong();
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        Set<Long> all = new HashSet<>();
        for (long[] mine : taken) {
            for (int i = 0; i < each; i++) {
                assertTrue(mine[i] > 41_000, "id " + mine[i] + " not above the recovered ones");
                assertTrue(i == 0 || mine[i] > mine[i - 1], "ids go backwards on one thread at " + i);
                assertTrue(all.add(mine[i]), "id " + mine[i] + " handed out twice");
            }
        }
        assertEquals(threads * each, all.size());
    }
}
