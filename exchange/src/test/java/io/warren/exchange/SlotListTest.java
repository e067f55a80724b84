package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SlotListTest {

    static final class Item extends SlotList.Element {
        final boolean stable;

        Item(boolean stable) {
            this.stable = stable;
        }
    }

    private static List<Item> contents(SlotList<Item> list) {
        List<Item> out = new ArrayList<>();
        Object[] a = list.array();
        for (int i = 0; i < a.length; i++) {
            Item item = SlotList.at(a, i);
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    @Test
    void keepsOrderAndSizeThroughGrowthAndCompaction() {
        SlotList<Item> list = new SlotList<>();
        List<Item> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Item item = new Item(false);
            list.add(item);
            expected.add(item);
        }
        Random random = new Random(1);
        for (int i = 0; i < 990; i++) {
            list.remove(expected.remove(random.nextInt(expected.size())));
        }
        assertEquals(expected, contents(list));
        assertEquals(10, list.size());
        assertTrue(list.array().length <= 40, "shrunk to " + list.array().length);
        for (Item item : new ArrayList<>(expected)) {
            list.remove(item);
        }
        assertTrue(list.isEmpty());
        assertEquals(0, list.array().length);
    }

    @Test
    void refusesForeignElements() {
        SlotList<Item> a = new SlotList<>();
        SlotList<Item> b = new SlotList<>();
        Item item = new Item(false);
        a.add(item);
        assertThrows(IllegalStateException.class, () -> a.add(item));
        b.add(new Item(false));
        assertThrows(IllegalStateException.class, () -> b.remove(new Item(false)));
    }

    /**
     * Readers scanning while the writer grows and compacts the list see every stable element.
     * Stable elements start interleaved with fillers; removing those fillers leaves gaps before
     * stable elements, so each compaction moves them: the case an in-place compaction gets wrong.
     * A fresh list every few rounds keeps such gaps coming.
     */
    @Test
    void readersNeverMissStableElements() throws Exception {
        int stable = 1_000;
        AtomicReference<SlotList<Item>> current = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong scans = new AtomicLong();
        Thread writer = new Thread(() -> {
            Random random = new Random(7);
            while (!stop.get()) {
                SlotList<Item> list = new SlotList<>();
                List<Item> fillers = new ArrayList<>();
                for (int i = 0; i < stable; i++) {
                    for (int f = random.nextInt(3); f > 0; f--) {
                        Item filler = new Item(false);
                        list.add(filler);
                        fillers.add(filler);
                    }
                    list.add(new Item(true));
                }
                current.set(list);
                Collections.shuffle(fillers, random);
                while (!fillers.isEmpty() && !stop.get()) {
                    for (int i = Math.min(fillers.size(), 50); i > 0; i--) {
                        list.remove(fillers.remove(fillers.size() - 1));
                    }
                    List<Item> burst = new ArrayList<>();
                    for (int i = random.nextInt(3_000); i > 0; i--) {
                        Item item = new Item(false);
                        list.add(item);
                        burst.add(item);
                    }
                    Collections.shuffle(burst, random);
                    burst.forEach(list::remove);
                }
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(new Thread(() -> {
                while (!stop.get()) {
                    SlotList<Item> list = current.get();
                    if (list == null) {
                        continue;
                    }
                    int seen = 0;
                    Object[] a = list.array();
                    for (int i = 0; i < a.length; i++) {
                        Item item = SlotList.at(a, i);
                        if (item != null && item.stable) {
                            seen++;
                        }
                    }
                    if (seen != stable) {
                        failure.compareAndSet(null, new AssertionError("saw " + seen + " stable"));
                    }
                    scans.incrementAndGet();
                }
            }));
        }
        writer.start();
        readers.forEach(Thread::start);
        Thread.sleep(1_500);
        stop.set(true);
        writer.join();
        for (Thread r : readers) {
            r.join();
        }
        assertNull(failure.get());
        assertTrue(scans.get() > 1_000, "scans: " + scans.get());
    }
}
