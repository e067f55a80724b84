package io.warren.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: a topology whose queue handles are the queue names, and routing into lists. */
final class Routing {

    private Routing() {
    }

    record Message(String routingKey, Map<String, Object> headers) implements RoutableMessage {
    }

    static Topology<String> topology(String... queues) {
        Topology<String> topology = new Topology<>();
        for (String q : queues) {
            topology.addQueue(q, q);
        }
        return topology;
    }

    static Exchange declare(Topology<String> topology, String name, String type) {
        return topology.declareExchange(new ExchangeDefinition(name, type, false, false, false,
                Map.of())).exchange();
    }

    static Exchange declare(Topology<String> topology, String name, String type,
                            Map<String, Object> arguments) {
        return topology.declareExchange(new ExchangeDefinition(name, type, false, false, false,
                arguments)).exchange();
    }

    static void bindQueue(Topology<String> topology, String exchange, String queue, String key) {
        assertEquals(BindResult.CREATED, topology.bind(Binding.toQueue(exchange, queue, key)));
    }

    static void bindExchange(Topology<String> topology, String source, String destination,
                             String key) {
        assertEquals(BindResult.CREATED,
                topology.bind(Binding.toExchange(source, destination, key)));
    }

    /** The queues a message goes to, in yield order; checks the returned count agrees. */
    static List<String> route(Topology<String> topology, String exchange, String key) {
        return route(topology, exchange, key, null);
    }

    static List<String> route(Topology<String> topology, String exchange, String key,
                              Map<String, Object> headers) {
        List<String> out = new ArrayList<>();
        int n = topology.route(topology.exchange(exchange), new Message(key, headers), out::add);
        assertEquals(out.size(), n, "returned count");
        return out;
    }

    /** Sorted, so tests compare sets while still seeing duplicates. */
    static List<String> routeSorted(Topology<String> topology, String exchange, String key) {
        List<String> out = route(topology, exchange, key);
        out.sort(null);
        return out;
    }

    static List<String> routeSorted(Topology<String> topology, String exchange, String key,
                                    Map<String, Object> headers) {
        List<String> out = route(topology, exchange, key, headers);
        out.sort(null);
        return out;
    }
}
