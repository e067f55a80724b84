package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongDequeTest {

    @Test
    void keepsFifoOrderAcrossChunksWhateverTheMixOfAddsAndPolls() {
        LongDeque deque = new LongDeque();
        ArrayDeque<Long> model = new ArrayDeque<>();
        Random random = new Random(11);
        long next = 0;
        for (int step = 0; step < 200_000; step++) {
            // phases that grow and shrink by several chunks, and that empty it now and then
            boolean add = model.isEmpty() || random.nextInt(100) < ((step / 10_000) % 2 == 0 ? 70 : 35);
            if (add) {
                deque.addLast(next);
                model.addLast(next++);
            } else {
                assertEquals(model.peekFirst(), deque.peekFirst());
                assertEquals(model.pollFirst(), deque.pollFirst());
            }
            assertEquals(model.size(), deque.size());
            assertEquals(model.isEmpty(), deque.isEmpty());
        }
        while (!model.isEmpty()) {
            assertEquals(model.pollFirst(), deque.pollFirst());
        }
        assertTrue(deque.isEmpty());
        assertThrows(IllegalStateException.class, deque::pollFirst);
    }

    @Test
    void exactlyFullChunksAndRefillAfterEmpty() {
        LongDeque deque = new LongDeque();
        for (int round = 0; round < 3; round++) {
            for (long i = 0; i < 2L * LongDeque.CHUNK; i++) {
                deque.addLast(i);
            }
            for (long i = 0; i < 2L * LongDeque.CHUNK; i++) {
                assertEquals(i, deque.pollFirst());
            }
            assertTrue(deque.isEmpty());
        }
    }
}
