package io.warren.broker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.queue.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UnackedDeliveriesTest {

    private static Delivery tagged(long tag) {
        Delivery d = new Delivery(null, null, null, false);
        d.deliveryTag(tag);
        return d;
    }

    @Test
    void singleAcksOutOfOrderLeaveTheRestOutstanding() {
        UnackedDeliveries u = new UnackedDeliveries();
        for (long t = 1; t <= 5; t++) {
            u.add(tagged(t));
        }
        assertEquals(3, u.remove(3).deliveryTag());
        assertNull(u.remove(3), "a second ack of the same tag finds nothing");
        assertFalse(u.contains(3));
        assertTrue(u.contains(4));
        assertEquals(4, u.size());
    }

    @Test
    void multipleAckRemovesEverythingUpToTheTagOldestFirst() {
        UnackedDeliveries u = new UnackedDeliveries();
        for (long t = 1; t <= 10; t++) {
            u.add(tagged(t));
        }
        u.remove(2);
        List<Long> seen = new ArrayList<>();
        assertEquals(5, u.removeUpTo(6, d -> seen.add(d.deliveryTag())));
        assertEquals(List.of(1L, 3L, 4L, 5L, 6L), seen);
        assertEquals(4, u.size());
        assertTrue(u.contains(7));
    }

    @Test
    void tagsMayHaveGapsWhereNoAckDeliveriesWent() {
        UnackedDeliveries u = new UnackedDeliveries();
        u.add(tagged(1));
        u.add(tagged(4));
        u.add(tagged(9));
        assertFalse(u.contains(2));
        assertSame(9L, u.remove(9).deliveryTag());
        List<Long> seen = new ArrayList<>();
        u.removeAll(d -> seen.add(d.deliveryTag()));
        assertEquals(List.of(1L, 4L), seen);
        assertTrue(u.isEmpty());
    }

    @Test
    void agreesWithASortedMapUnderRandomUse() {
        Random random = new Random(42);
        UnackedDeliveries u = new UnackedDeliveries();
        TreeMap<Long, Delivery> model = new TreeMap<>();
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                Delivery d = tagged(next);
                next += 1 + (random.nextInt(20) == 0 ? random.nextInt(3) : 0);
                u.add(d);
                model.put(d.deliveryTag(), d);
            } else if (op < 8 && !model.isEmpty()) {
                long tag = model.firstKey() + random.nextInt(8);
                assertSame(model.remove(tag), u.remove(tag));
            } else if (!model.isEmpty()) {
                long upTo = model.firstKey() + random.nextInt(16);
                List<Delivery> expected = new ArrayList<>(model.headMap(upTo, true).values());
                model.headMap(upTo, true).clear();
                List<Delivery> actual = new ArrayList<>();
                u.removeUpTo(upTo, actual::add);
                assertEquals(expected, actual);
            }
            assertEquals(model.size(), u.size());
        }
    }
}
