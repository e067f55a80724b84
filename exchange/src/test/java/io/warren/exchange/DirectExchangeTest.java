package io.warren.exchange;

import static io.warren.exchange.Routing.bindQueue;
import static io.warren.exchange.Routing.declare;
import static io.warren.exchange.Routing.route;
import static io.warren.exchange.Routing.routeSorted;
import static io.warren.exchange.Routing.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectExchangeTest {

    @Test
    void routesToTheQueuesBoundWithExactlyTheRoutingKey() {
        Topology<String> t = topology("q1", "q2", "q3");
        declare(t, "x", "direct");
        bindQueue(t, "x", "q1", "red");
        bindQueue(t, "x", "q2", "red");
        bindQueue(t, "x", "q3", "green");

        assertEquals(List.of("q1", "q2"), routeSorted(t, "x", "red"));
        assertEquals(List.of("q3"), route(t, "x", "green"));
        assertEquals(List.of(), route(t, "x", "Red"));
        assertEquals(List.of(), route(t, "x", "red.x"));
        assertEquals(List.of(), route(t, "x", ""));
    }

    @Test
    void emptyKeyIsAKeyLikeAnyOther() {
        Topology<String> t = topology("q");
        declare(t, "x", "direct");
        bindQueue(t, "x", "q", "");
        assertEquals(List.of("q"), route(t, "x", ""));
        assertEquals(List.of(), route(t, "x", "a"));
    }

    @Test
    void aQueueBoundTwiceWithTheSameKeyGetsOneCopy() {
        Topology<String> t = topology("q");
        declare(t, "x", "direct");
        bindQueue(t, "x", "q", "k");
        assertEquals(BindResult.CREATED,
                t.bind(Binding.toQueue("x", "q", "k").withArguments(Map.of("tag", 1))));
        assertEquals(List.of("q"), route(t, "x", "k"));
    }

    @Test
    void unbindStopsRouting() {
        Topology<String> t = topology("q1", "q2");
        declare(t, "x", "direct");
        bindQueue(t, "x", "q1", "k");
        bindQueue(t, "x", "q2", "k");
        assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q1", "k")));
        assertEquals(List.of("q2"), route(t, "x", "k"));
        assertEquals(UnbindResult.REMOVED, t.unbind(Binding.toQueue("x", "q2", "k")));
        assertEquals(List.of(), route(t, "x", "k"));
        bindQueue(t, "x", "q1", "k");
        assertEquals(List.of("q1"), route(t, "x", "k"));
    }

    @Test
    void defaultExchangeRoutesToTheQueueNamedByTheKey() {
        Topology<String> t = topology("orders", "audit");
        assertEquals(List.of("orders"), route(t, "", "orders"));
        assertEquals(List.of(), route(t, "", "missing"));
        assertEquals(List.of(), route(t, "", ""));
        t.removeQueue("orders");
        assertEquals(List.of(), route(t, "", "orders"));
    }

    @Test
    void manyKeysManyQueues() {
        Topology<String> t = new Topology<>();
        declare(t, "x", "direct");
        for (int i = 0; i < 2_000; i++) {
            t.addQueue("q" + i, "q" + i);
            bindQueue(t, "x", "q" + i, "k" + (i % 100));
        }
        assertEquals(20, route(t, "x", "k7").size());
        for (int i = 0; i < 2_000; i += 2) {
            t.unbind(Binding.toQueue("x", "q" + i, "k" + (i % 100)));
        }
        assertEquals(List.of(), route(t, "x", "k8"));
        List<String> odd = routeSorted(t, "x", "k7");
        assertEquals(20, odd.size());
        odd.forEach(q -> assertEquals(7, Integer.parseInt(q.substring(1)) % 100));
    }
}
