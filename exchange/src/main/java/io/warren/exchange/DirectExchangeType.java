package io.warren.exchange;

import java.util.concurrent.ConcurrentHashMap;

/**
 * direct: a binding matches when its routing key equals the message's.
 *
 * <p>The table is a hash from routing key to the list of edges with that key, so routing costs
 * one lookup whatever the number of bindings, and allocates nothing.
 */
public final class DirectExchangeType implements ExchangeType {

    public static final String NAME = "direct";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BindingTable newTable(ExchangeDefinition definition) {
        return new Table();
    }

    /**
     * Concurrency: a {@link ConcurrentHashMap} of {@link SlotList}s. A key's list is created when
     * its first edge comes and dropped when its last goes; a reader holding a dropped list sees
     * it empty, and only edges added after the drop live in the new list.
     */
    private static final class Table implements BindingTable {
        private final ConcurrentHashMap<String, SlotList<Edge>> byKey = new ConcurrentHashMap<>();

        @Override
        public void add(Edge edge) {
            byKey.computeIfAbsent(edge.routingKey(), k -> new SlotList<>()).add(edge);
        }

        @Override
        public void remove(Edge edge) {
            SlotList<Edge> list = byKey.get(edge.routingKey());
            list.remove(edge);
            if (list.isEmpty()) {
                byKey.remove(edge.routingKey());
            }
        }

        @Override
        public void match(RoutableMessage message, EdgeSink sink) {
            SlotList<Edge> list = byKey.get(message.routingKey());
            if (list != null) {
                SlotList.emitAll(list, sink);
            }
        }
    }
}
