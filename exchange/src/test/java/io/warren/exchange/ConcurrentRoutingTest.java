package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Publishers route while a writer keeps binding, unbinding, creating and deleting queues and
 * exchanges around a set of stable bindings. Every route must yield each queue handle at most
 * once (a transient queue deleted and re-created under the same name during a route is two
 * queues, with two handles),
 * every stable queue that matches, no stable queue that does not, and nothing but transient
 * queues besides. The writer works on the very lists and trie nodes the stable bindings live in,
 * so their arrays are regrown and compacted under the readers.
 */
class ConcurrentRoutingTest {

    private static final List<String> PATTERNS = List.of("a.b.c", "a.*.c", "a.#", "#", "*.b.*",
            "#.c", "a..c", "*", "", "#.b.#", "x.y");
    private static final List<String> KEYS = List.of("a.b.c", "a.x.c", "a", "", "q.b.r", "a..c",
            "x.y", "z", "a.b.c.d", "..");
    private static final int STABLE = 40;
    /** Runs at least this long, then until enough routes and writes were made, at most MAX. */
    private static final long MIN_MILLIS = 1_000;
    private static final long MAX_MILLIS = 8_000;

    private record Probe(String exchange, String key, Set<String> expectedStable) {
    }

    @Test
    void stableBindingsAreNeverMissedWhileOthersChange() throws Exception {
        Topology<String> t = new Topology<>();
        for (String[] x : new String[][] {{"t", "topic"}, {"f", "fanout"}, {"d", "direct"},
                {"via", "fanout"}}) {
            t.declareExchange(ExchangeDefinition.of(x[0], x[1]));
        }
        Map<String, Set<String>> topicExpected = new HashMap<>();
        KEYS.forEach(k -> topicExpected.put(k, new HashSet<>()));
        Set<String> fanoutExpected = new HashSet<>();
        Random setup = new Random(3);
        for (int i = 0; i < STABLE; i++) {
            // transient bindings interleaved with the stable ones: when the writer removes their
            // queues, the gaps they leave make compaction move the stable bindings
            for (int f = setup.nextInt(3); f > 0; f--) {
                String tq = "t" + setup.nextInt(200);
                if (t.queue(tq) == null) {
                    t.addQueue(tq, new String(tq));
                }
                t.bind(Binding.toQueue("t", tq, PATTERNS.get(setup.nextInt(PATTERNS.size()))));
                t.bind(Binding.toQueue("f", tq, ""));
                t.bind(Binding.toQueue("d", tq, "k" + setup.nextInt(5)));
            }
            String q = "s" + i;
            t.addQueue(q, q);
            String pattern = PATTERNS.get(i % PATTERNS.size());
            t.bind(Binding.toQueue("t", q, pattern));
            for (String k : KEYS) {
                if (TopicPropertyTest.matches(TopicPropertyTest.words(pattern), 0,
                        TopicPropertyTest.words(k), 0)) {
                    topicExpected.get(k).add(q);
                }
            }
            t.bind(Binding.toQueue("f", q, ""));
            fanoutExpected.add(q);
            t.bind(Binding.toQueue("d", q, "k" + (i % 4)));
        }
        t.bind(Binding.toQueue("d", "s0", "k4")); // alone on its key: edge <-> list transitions
        t.bind(Binding.toExchange("t", "via", "a.#")); // stable e2e: "a..." keys reach all of f's
        t.bind(Binding.toExchange("via", "f", ""));

        List<Probe> probes = new ArrayList<>();
        for (String k : KEYS) {
            Set<String> expected = new HashSet<>(topicExpected.get(k));
            if (!TopicPropertyTest.words(k).isEmpty() && TopicPropertyTest.words(k).get(0).equals("a")) {
                expected.addAll(fanoutExpected);
            }
            probes.add(new Probe("t", k, expected));
        }
        probes.add(new Probe("f", "any", fanoutExpected));
        for (int d = 0; d < 5; d++) {
            Set<String> expected = new HashSet<>();
            for (int i = d; i < STABLE && d < 4; i += 4) {
                expected.add("s" + i);
            }
            if (d == 4) {
                expected.add("s0");
            }
            probes.add(new Probe("d", "k" + d, expected));
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong routes = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> churn(t, stop, writes, failure), "writer");
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            long seed = r;
            readers.add(new Thread(() -> check(t, probes, seed, stop, routes, failure), "reader-" + r));
        }
        writer.start();
        readers.forEach(Thread::start);
        long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000;
        Thread.sleep(MIN_MILLIS);
        while ((routes.get() < 200_000 || writes.get() < 200_000) && failure.get() == null
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        stop.set(true);
        writer.join();
        for (Thread r : readers) {
            r.join();
        }
        System.out.println("routes " + routes.get() + ", writes " + writes.get());
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        assertTrue(routes.get() > 5_000, "routes checked: " + routes.get());
        assertTrue(writes.get() > 5_000, "mutations made: " + writes.get());
        for (Probe p : probes) { // and once quiet, exactly the stable answer
            List<String> out = new ArrayList<>();
            t.route(t.exchange(p.exchange()), new Routing.Message(p.key(), null), out::add);
            out.removeIf(q -> q.startsWith("t"));
            assertEquals(p.expectedStable(), new HashSet<>(out), p.toString());
        }
    }

    private static void check(Topology<String> t, List<Probe> probes, long seed, AtomicBoolean stop,
                              AtomicLong routes, AtomicReference<Throwable> failure) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> handles = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            while (!stop.get() && failure.get() == null) {
                Probe p = probes.get(random.nextInt(probes.size()));
                out.clear();
                seen.clear();
                handles.clear();
                int n = t.route(t.exchange(p.exchange()), new Routing.Message(p.key(), null), out::add);
                if (n != out.size()) {
                    throw new AssertionError("count " + n + " for " + out);
                }
                for (String q : out) {
                    if (!handles.add(q)) {
                        throw new AssertionError("duplicate " + q + " for " + p);
                    }
                    if (!seen.add(q) && q.startsWith("s")) {
                        throw new AssertionError("duplicate stable " + q + " for " + p);
                    }
                    if (q.startsWith("s") && !p.expectedStable().contains(q)) {
                        throw new AssertionError("wrong queue " + q + " for " + p);
                    }
                }
                for (String q : p.expectedStable()) {
                    if (!seen.contains(q)) {
                        throw new AssertionError("missed stable " + q + " for " + p + ": " + out);
                    }
                }
                routes.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * Bursts of transient bindings (to transient queues t*) on the very keys, patterns and lists
     * the stable bindings use, each burst bound then unbound in random order, so the arrays grow
     * and are compacted under the readers; plus transient queues and exchanges coming and going.
     */
    private static void churn(Topology<String> t, AtomicBoolean stop, AtomicLong writes,
                              AtomicReference<Throwable> failure) {
        Random random = new Random(42);
        try {
            while (!stop.get()) {
                int op = random.nextInt(10);
                if (op < 8) {
                    String source = switch (random.nextInt(3)) {
                        case 0 -> "t";
                        case 1 -> "f";
                        default -> "d";
                    };
                    String key = switch (source) {
                        case "t" -> random.nextBoolean() ? PATTERNS.get(random.nextInt(PATTERNS.size()))
                                : "w" + random.nextInt(500) + ".c";
                        case "d" -> "k" + random.nextInt(5);
                        default -> "";
                    };
                    List<Binding> burst = new ArrayList<>();
                    int size = 1 + random.nextInt(150);
                    for (int i = 0; i < size; i++) {
                        String q = "t" + random.nextInt(200);
                        if (t.queue(q) == null) {
                            t.addQueue(q, new String(q)); // a new handle for each incarnation
                        }
                        Binding b = Binding.toQueue(source, q, key);
                        if (t.bind(b) == BindResult.CREATED) {
                            burst.add(b);
                        }
                        writes.incrementAndGet();
                    }
                    java.util.Collections.shuffle(burst, random);
                    for (Binding b : burst) {
                        t.unbind(b);
                        writes.incrementAndGet();
                    }
                } else if (op == 8) {
                    t.removeQueue("t" + random.nextInt(200));
                    writes.incrementAndGet();
                } else {
                    String x = "tx" + random.nextInt(5);
                    if (t.exchange(x) == null) {
                        t.declareExchange(new ExchangeDefinition(x, "fanout", false, true, false, null));
                        t.bind(Binding.toExchange("t", x, "#"));
                        String q = "t" + random.nextInt(200);
                        if (t.queue(q) != null) {
                            t.bind(Binding.toQueue(x, q, ""));
                        }
                    } else {
                        t.deleteExchange(x, false);
                    }
                    writes.incrementAndGet();
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
