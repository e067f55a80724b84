package io.warren.exchange;

import static io.warren.exchange.Routing.bindQueue;
import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutExchangeTest {

    @Test
    void routesToEveryBoundQueueWhateverTheKey() {
        Topology<String> t = topology("a", "b", "c");
        declare(t, "x", "fanout");
        bindQueue(t, "x", "a", "");
        bindQueue(t, "x", "b", "ignored");
        assertEquals(List.of("a", "b"), routeSorted(t, "x", "anything"));
        assertEquals(List.of("a", "b"), routeSorted(t, "x", ""));
    }

    @Test
    void aQueueBoundWithSeveralKeysGetsOneCopy() {
        Topology<String> t = topology("a");
        declare(t, "x", "fanout");
        bindQueue(t, "x", "a", "1");
        bindQueue(t, "x", "a", "2");
        assertEquals(List.of("a"), routeSorted(t, "x", "k"));
    }

    @Test
    void survivesGrowingAndShrinking() {
        Topology<String> t = new Topology<>();
        declare(t, "x", "fanout");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String q = String.format("q%04d", i);
            t.addQueue(q, q);
            bindQueue(t, "x", q, "");
        }
        for (int i = 0; i < 1_000; i++) {
            String q = String.format("q%04d", i);
            if (i % 10 == 0) {
                expected.add(q);
            } else {
                t.unbind(Binding.toQueue("x", q, ""));
            }
        }
        assertEquals(expected, routeSorted(t, "x", ""));
        for (int i = 0; i < 1_000; i += 10) {
            t.removeQueue(String.format("q%04d", i));
        }
        assertEquals(List.of(), routeSorted(t, "x", ""));
        t.addQueue("z", "z");
        bindQueue(t, "x", "z", "");
        assertEquals(List.of("z"), routeSorted(t, "x", ""));
    }
}
