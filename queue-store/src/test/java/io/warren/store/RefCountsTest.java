package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive count table against a HashMap, through growth and backward-shift deletes. */
class RefCountsTest {

    @Test
    void behavesLikeAMapWhereAbsentMeansOne() {
        RefCounts counts = new RefCounts();
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            // few distinct ids, clustered, so that probe runs collide and wrap around
            long id = 1 + random.nextInt(5_000) * (random.nextBoolean() ? 1L : 4096L);
            int count = random.nextInt(4) + (i < 100_000 ? 1 : 0);
            counts.set(id, count);
            if (count <= 1) {
                model.remove(id);
            } else {
                model.put(id, count);
            }
            long probe = 1 + random.nextInt(5_000) * 4096L;
            assertEquals(model.getOrDefault(probe, 1), counts.get(probe), "id " + probe);
        }
        assertEquals(model.size(), counts.size());
        model.forEach((id, count) -> assertEquals(count, counts.get(id)));
    }

    @Test
    void countingAtOpenKeepsOnlyMessagesOfSeveralQueues() {
        RefCounts counts = new RefCounts();
        for (long id = 1; id <= 1000; id++) {
            counts.countOneMore(id);
            if (id % 10 == 0) {
                counts.countOneMore(id);
                counts.countOneMore(id);
            }
        }
        assertEquals(3, counts.counted(10));
        assertEquals(1, counts.counted(11));
        assertEquals(0, counts.counted(5000));
        counts.dropSingles();
        assertEquals(100, counts.size());
        assertEquals(3, counts.get(10));
        assertEquals(1, counts.get(11));
    }
}
