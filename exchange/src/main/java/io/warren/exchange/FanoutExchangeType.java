package io.warren.exchange;

/** fanout: every binding matches, whatever the routing key. */
public final class FanoutExchangeType implements ExchangeType {

    public static final String NAME = "fanout";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BindingTable newTable(ExchangeDefinition definition) {
        return new Table();
    }

    /** Concurrency: one {@link SlotList}, lock-free for readers. */
    private static final class Table implements BindingTable {
        private final SlotList<Edge> all = new SlotList<>();

        @Override
        public void add(Edge edge) {
            all.add(edge);
        }

        @Override
        public void remove(Edge edge) {
            all.remove(edge);
        }

        @Override
        public void match(RoutableMessage message, EdgeSink sink) {
            SlotList.emitAll(all, sink);
        }
    }
}
