package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A publish allocates nothing: measured with the JVM's per-thread allocation counter over many
 * routes, after a warm-up (which lets the per-thread routing state reach its size). The best of
 * three rounds counts: a JIT deoptimisation can re-materialise a few objects once (tens of bytes),
 * while anything allocated per route would show in every round as megabytes.
 */
class AllocationTest {

    private static final int WARM_UP = 50_000;
    private static final int ROUTES = 200_000;
    /** A few bytes of slack for the measuring itself; any per-route object would cost MBs. */
    private static final long TOLERANCE = 256;

    private static final class Counter implements RouteSink<String> {
        long delivered;

        @Override
        public void accept(String queue) {
            delivered++;
        }
    }

    private static long allocatedBytes(Topology<String> t, String exchange, RoutableMessage m,
                                       int expectedQueues) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Exchange x = t.exchange(exchange);
        Counter sink = new Counter();
        for (int i = 0; i < WARM_UP; i++) {
            t.route(x, m, sink);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            sink.delivered = 0;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUTES; i++) {
                t.route(x, m, sink);
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            assertEquals((long) ROUTES * expectedQueues, sink.delivered);
        }
        return best;
    }

    private static Topology<String> topology(String type, int queues, String key) {
        Topology<String> t = new Topology<>();
        t.declareExchange(ExchangeDefinition.of("x", type));
        for (int i = 0; i < queues; i++) {
            t.addQueue("q" + i, "q" + i);
            t.bind(new Binding("x", DestinationKind.QUEUE, "q" + i, key, Map.of("x-match", "any", "h", 1)));
        }
        return t;
    }

    private static void assertNoAllocation(long bytes, String what) {
        assertTrue(bytes <= TOLERANCE, what + " allocated " + bytes + " bytes over " + ROUTES + " routes");
    }

    private final RoutableMessage message = new Routing.Message("key.one", Map.of("h", 1));

    @Test
    void exchangeWithoutBindings() {
        Topology<String> t = topology("fanout", 0, "");
        assertNoAllocation(allocatedBytes(t, "x", message, 0), "empty fanout");
        t.declareExchange(ExchangeDefinition.of("d", "direct"));
        assertNoAllocation(allocatedBytes(t, "d", message, 0), "empty direct");
    }

    @Test
    void directToOneQueue() {
        assertNoAllocation(allocatedBytes(topology("direct", 1, "key.one"), "x", message, 1), "direct 1");
    }

    @Test
    void directToManyQueuesAndAMiss() {
        Topology<String> t = topology("direct", 10, "key.one");
        assertNoAllocation(allocatedBytes(t, "x", message, 10), "direct 10");
        assertNoAllocation(allocatedBytes(t, "x", new Routing.Message("other", null), 0), "direct miss");
    }

    @Test
    void defaultExchange() {
        Topology<String> t = topology("direct", 1, "k");
        assertNoAllocation(allocatedBytes(t, "", new Routing.Message("q0", null), 1), "default");
    }

    @Test
    void fanoutTopicHeadersAndExchangeToExchange() {
        assertNoAllocation(allocatedBytes(topology("fanout", 100, ""), "x", message, 100), "fanout");
        assertNoAllocation(allocatedBytes(topology("topic", 20, "*.one"), "x", message, 20), "topic");
        assertNoAllocation(allocatedBytes(topology("headers", 20, ""), "x", message, 20), "headers");

        Topology<String> t = topology("topic", 5, "key.#");
        t.declareExchange(ExchangeDefinition.of("f", "fanout"));
        t.bind(Binding.toExchange("x", "f", "#"));
        t.bind(Binding.toExchange("f", "x", ""));
        for (int i = 0; i < 5; i++) {
            t.bind(Binding.toQueue("f", "q" + i, ""));
        }
        assertNoAllocation(allocatedBytes(t, "x", message, 5), "e2e with a cycle and duplicates");
    }
}
