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
    /** CPU time of this thread, generous, so other processes on the machine do not count. */
    private static final long LIMIT_MILLIS = 3_000;

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static void bindAndUnbindAll(String type, String key) {
        Topology<String> t = new Topology<>();
        t.declareExchange(ExchangeDefinition.of("x", type));
        List<Binding> bindings = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            t.addQueue("q" + i, "q" + i);
            bindings.add(Binding.toQueue("x", "q" + i, key));
        }
        long start = cpuNanos();
        for (Binding b : bindings) {
            assertEquals(BindResult.CREATED, t.bind(b));
        }
        long bound = cpuNanos();
        assertEquals(N, t.route(t.exchange("x"), new Routing.Message(key, null), q -> { }));
        for (int i = 0; i < N; i += 2) { // every other one: gaps everywhere, then compaction
            assertEquals(UnbindResult.REMOVED, t.unbind(bindings.get(i)));
        }
        for (int i = 1; i < N; i += 2) {
            assertEquals(UnbindResult.REMOVED, t.unbind(bindings.get(i)));
        }
        long unbound = cpuNanos();
        assertEquals(0, t.route(t.exchange("x"), new Routing.Message(key, null), q -> { }));
        assertTrue((bound - start) / 1_000_000 < LIMIT_MILLIS, type + " bind took (cpu) " + (bound - start) / 1_000_000 + " ms");
        assertTrue((unbound - bound) / 1_000_000 < LIMIT_MILLIS, type + " unbind took (cpu) (cpu) " + (unbound - bound) / 1_000_000 + " ms");
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
        long start = cpuNanos();
        for (int i = 0; i < N; i++) {
            assertEquals(BindResult.CREATED, t.bind(Binding.toQueue("x", "q", "w" + i + ".*")));
        }
        long bound = cpuNanos();
        assertEquals(1, t.route(t.exchange("x"), new Routing.Message("w77777.z", null), q -> { }));
        for (int i = 0; i < N; i++) {
            assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q", "w" + i + ".*")));
        }
        long unbound = cpuNanos();
        assertEquals(0, t.route(t.exchange("x"), new Routing.Message("w77777.z", null), q -> { }));
        assertTrue((bound - start) / 1_000_000 < LIMIT_MILLIS, "bind took (cpu) " + (bound - start) / 1_000_000 + " ms");
        assertTrue((unbound - bound) / 1_000_000 < LIMIT_MILLIS, "unbind took (cpu) (cpu) " + (unbound - bound) / 1_000_000 + " ms");
    }
}
