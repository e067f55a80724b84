package io.warren.exchange;

import java.util.concurrent.ConcurrentHashMap;

/**
 * direct: a binding matches when its routing key equals the message's.
 *
 * <p>The table is a hash from routing key to the edges with that key, so routing costs one lookup
 * whatever the number of bindings, and allocates nothing.
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
     * A key maps to its only {@link Edge} (the usual case: one queue per key, and it saves a list
     * per binding), or to a {@link SlotList} of edges once it has several.
     *
     * <p>Concurrency: a {@link ConcurrentHashMap}. Changing a key's value from an edge to a list
     * or back publishes a value that holds every edge staying, so a reader finds them in either
     * the old or the new value. A key's list is abandoned, not emptied, when it is down to one
     * edge, so a reader still scanning it sees that edge.
     */
    private static final class Table implements BindingTable {
        private final ConcurrentHashMap<String, Object> byKey = new ConcurrentHashMap<>();

        @Override
        public void add(Edge edge) {
            String key = edge.routingKey();
            Object current = byKey.get(key);
            if (current == null) {
                byKey.put(key, edge);
            } else if (current instanceof Edge only) {
                SlotList<Edge> list = new SlotList<>();
                list.add(only);
                list.add(edge);
                byKey.put(key, list);
            } else {
                edges(current).add(edge);
            }
        }

        @Override
        public void remove(Edge edge) {
            String key = edge.routingKey();
            Object current = byKey.get(key);
            if (current == edge) {
                byKey.remove(key);
                return;
            }
            SlotList<Edge> list = edges(current);
            list.remove(edge);
            if (list.size() == 1) {
                Edge last = list.abandon().get(0);
                byKey.put(key, last); // the list keeps it too, for readers still scanning it
            }
        }

        @Override
        public void match(RoutableMessage message, EdgeSink sink) {
            Object value = byKey.get(message.routingKey());
            if (value instanceof Edge edge) {
                sink.accept(edge);
            } else if (value != null) {
                SlotList.emitAll(edges(value), sink);
            }
        }

        @SuppressWarnings("unchecked")
        private static SlotList<Edge> edges(Object value) {
            return (SlotList<Edge>) value;
        }
    }
}
