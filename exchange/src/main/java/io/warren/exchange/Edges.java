package io.warren.exchange;

/**
 * The topology's indexes of bindings, threaded through the edges themselves: per exchange, the
 * edges it is the source of (oldest first, for listing and deletion), and per queue or exchange,
 * the edges pointing at it (for removal cascades). Intrusive links cost 16 bytes an edge where
 * two hash sets would cost about 80.
 *
 * <p>Concurrency: called only with the topology's lock held; routing never reads these links.
 */
final class Edges {

    private Edges() {
    }

    /**
     * The binding to keep: the same value, naming its ends with the strings the topology already
     * holds, so each binding does not retain its own copies of the names (the codec decodes new
     * strings for every bind). Saves about 100 bytes a binding.
     */
    static Binding canonical(Binding binding, Exchange source, Object target) {
        String destination = target instanceof Exchange x ? x.name() : ((QueueEntry<?>) target).name;
        if (binding.source() == source.name() && binding.destination() == destination) {
            return binding;
        }
        return new Binding(source.name(), binding.kind(), destination, binding.routingKey(),
                binding.arguments());
    }

    static void linkOut(Exchange source, Edge edge) {
        edge.prevOut = source.lastOut;
        if (source.lastOut == null) {
            source.firstOut = edge;
        } else {
            source.lastOut.nextOut = edge;
        }
        source.lastOut = edge;
        source.outCount++;
    }

    static void unlinkOut(Exchange source, Edge edge) {
        if (edge.prevOut == null) {
            source.firstOut = edge.nextOut;
        } else {
            edge.prevOut.nextOut = edge.nextOut;
        }
        if (edge.nextOut == null) {
            source.lastOut = edge.prevOut;
        } else {
            edge.nextOut.prevOut = edge.prevOut;
        }
        source.outCount--;
    }

    static void linkIn(Object target, Edge edge) {
        Edge first = firstIn(target);
        edge.nextIn = first;
        if (first != null) {
            first.prevIn = edge;
        }
        setFirstIn(target, edge);
    }

    static void unlinkIn(Object target, Edge edge) {
        if (edge.prevIn == null) {
            setFirstIn(target, edge.nextIn);
        } else {
            edge.prevIn.nextIn = edge.nextIn;
        }
        if (edge.nextIn != null) {
            edge.nextIn.prevIn = edge.prevIn;
        }
    }

    static Edge firstIn(Object target) {
        return target instanceof Exchange x ? x.firstIn : ((QueueEntry<?>) target).firstIn;
    }

    private static void setFirstIn(Object target, Edge edge) {
        if (target instanceof Exchange x) {
            x.firstIn = edge;
        } else {
            ((QueueEntry<?>) target).firstIn = edge;
        }
    }

}
