package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 100k bindings on one list (a fanout exchange, and one direct key) bind and unbind in linear
 * time: copying the list on each change would be O(n²), minutes instead of well under a second.
 */
class BulkBindingTest {

    private static final int N = 100_000;
    private static final long LIMIT_MILLIS = 5_000; // generous: the machine may be shared

    private static void bindAndUnbindAll(String type, String key) {
        Topology<String> t = new Topology<>();
        t.declareExchange(ExchangeDefinition.of("x", type));
        List<Binding> bindings = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            t.addQueue("q" + i, "q" + i);
            bindings.add(Binding.toQueue("x", "q" + i, key));
        }
        long start = System.nanoTime();
        for (Binding b : bindings) {
            assertEquals(BindResult.CREATED, t.bind(b));
        }
        long bound = System.nanoTime();
        assertEquals(N, t.route(t.exchange("x"), new Routing.Message(key, null), q -> { }));
        for (int i = 0; i < N; i += 2) { // every other one: gaps everywhere, then compaction
            assertEquals(UnbindResult.REMOVED, t.unbind(bindings.get(i)));
        }
        for (int i = 1; i < N; i += 2) {
            assertEquals(UnbindResult.REMOVED, t.unbind(bindings.get(i)));
        }
        long unbound = System.nanoTime();
        assertEquals(0, t.route(t.exchange("x"), new Routing.Message(key, null), q -> { }));
        assertTrue((bound - start) / 1_000_000 < LIMIT_MILLIS, type + " bind took " + (bound - start) / 1_000_000 + " ms");
        assertTrue((unbound - bound) / 1_000_000 < LIMIT_MILLIS, type + " unbind took " + (unbound - bound) / 1_000_000 + " ms");
    }

    @Test
    void fanout() {
        bindAndUnbindAll("fanout", "");
    }

    @Test
    void directWithOneKey() {
        bindAndUnbindAll("direct", "same");
    }

    @Test
    void topicWithOnePattern() {
        bindAndUnbindAll("topic", "a.*.#");
    }

    /** 100k distinct words under one trie node: its word table must grow geometrically. */
    @Test
    void topicWithManyWordsUnderOneNode() {
        Topology<String> t = new Topology<>();
        t.declareExchange(ExchangeDefinition.of("x", "topic"));
        t.addQueue("q", "q");
        long start = System.nanoTime();
        for (int i = 0; i < N; i++) {
            assertEquals(BindResult.CREATED, t.bind(Binding.toQueue("x", "q", "w" + i + ".*")));
        }
        long bound = System.nanoTime();
        assertEquals(1, t.route(t.exchange("x"), new Routing.Message("w77777.z", null), q -> { }));
        for (int i = 0; i < N; i++) {
            assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q", "w" + i + ".*")));
        }
        long unbound = System.nanoTime();
        assertEquals(0, t.route(t.exchange("x"), new Routing.Message("w77777.z", null), q -> { }));
        assertTrue((bound - start) / 1_000_000 < LIMIT_MILLIS, "bind took " + (bound - start) / 1_000_000 + " ms");
        assertTrue((unbound - bound) / 1_000_000 < LIMIT_MILLIS, "unbind took " + (unbound - bound) / 1_000_000 + " ms");
    }
}
