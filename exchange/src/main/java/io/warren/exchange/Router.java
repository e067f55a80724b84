package io.warren.exchange;

import java.util.Arrays;
import java.util.Map;

/**
 * Routes one message through the graph of exchanges: RabbitMQ's rabbit_exchange:route1, written
 * once for every exchange type.
 *
 * <p>A work list starts with the exchange published to, which is marked seen. For each exchange
 * taken from it, its type yields the matching edges: a queue not yet yielded goes to the sink;
 * an exchange not yet seen is marked and added to the work list (so cycles end and a diamond is
 * walked once). If the exchange's own bindings yielded nothing at all, its alternate exchange,
 * when it exists and was not seen, is added the same way: unroutable messages flow on through
 * alternate chains, and alternate cycles end too. The default exchange yields the queue named by
 * the routing key and has no alternate.
 *
 * <p>Nothing is allocated per route: the work list, the seen-marks and the yielded-marks live in
 * a per-thread {@link Walk}. Queues and exchanges carry small ids; a mark is "stamp[id] == this
 * route's epoch", so starting a route is an increment, not a clear.
 *
 * <p>Concurrency: the walk reads only lock-free structures (the topology's concurrent maps, the
 * binding tables, volatile flags) and its own thread's state. A sink that routes again from its
 * callback gets a fresh walk. An id freed by a removed queue and reused by a new one while a route
 * runs can only merge two queues of which neither was stable during that route.
 */
final class Router {

    private static final ThreadLocal<Walk> WALKS = ThreadLocal.withInitial(Walk::new);

    private Router() {
    }

    @SuppressWarnings("unchecked")
    static <Q> int route(Topology<Q> topology, Exchange exchange, RoutableMessage message,
                         RouteSink<Q> sink) {
        Walk walk = WALKS.get();
        if (walk.busy) {
            walk = new Walk();
        }
        walk.start(message, (RouteSink<Object>) sink);
        try {
            walk.markSeen(exchange);
            walk.push(exchange);
            while (walk.top > 0) {
                Exchange x = walk.stack[--walk.top];
                walk.stack[walk.top] = null;
                walk.matched = false;
                if (x.isDefault()) {
                    walk.toDefault(topology);
                } else {
                    x.table.match(walk, walk);
                }
                if (!walk.matched && x.alternate != null) {
                    Exchange alternate = topology.exchange(x.alternate);
                    if (alternate != null && !alternate.deleted && walk.markSeen(alternate)) {
                        walk.push(alternate);
                    }
                }
            }
            return walk.count;
        } finally {
            walk.finish();
        }
    }

    /** One thread's routing state, reused by every route on that thread. */
    private static final class Walk implements EdgeSink, RoutableMessage {
        boolean busy;
        private int epoch;
        private int[] queueStamps = new int[64];
        private int[] exchangeStamps = new int[16];
        Exchange[] stack = new Exchange[8];
        int top;
        boolean matched;
        int count;
        private RoutableMessage message;
        private RouteSink<Object> sink;
        private Map<String, Object> headers;
        private boolean headersRead;

        void start(RoutableMessage message, RouteSink<Object> sink) {
            busy = true;
            this.message = message;
            this.sink = sink;
            count = 0;
            top = 0;
            if (++epoch == 0) { // wrapped: forget every stamp, once in 4 billion routes
                Arrays.fill(queueStamps, 0);
                Arrays.fill(exchangeStamps, 0);
                epoch = 1;
            }
        }

        void finish() {
            message = null; // do not keep the message or the sink alive
            sink = null;
            headers = null;
            headersRead = false;
            Arrays.fill(stack, 0, top, null); // only after an exception: pops clear their slot
            busy = false;
        }

        /** Marks an exchange seen; false if it already was during this route. */
        boolean markSeen(Exchange x) {
            int id = x.id;
            if (id >= exchangeStamps.length) {
                exchangeStamps = Arrays.copyOf(exchangeStamps, Math.max(id + 1, 2 * id));
            }
            if (exchangeStamps[id] == epoch) {
                return false;
            }
            exchangeStamps[id] = epoch;
            return true;
        }

        void push(Exchange x) {
            if (top == stack.length) {
                stack = Arrays.copyOf(stack, 2 * top);
            }
            stack[top++] = x;
        }

        void toDefault(Topology<?> topology) {
            QueueEntry<?> queue = topology.queueEntry(message.routingKey());
            if (queue != null) {
                matched = true;
                deliver(queue);
            }
        }

        @Override
        public void accept(Edge edge) {
            matched = true;
            Object target = edge.target;
            if (target instanceof QueueEntry<?> queue) {
                deliver(queue);
            } else {
                Exchange x = (Exchange) target;
                if (!x.deleted && markSeen(x)) {
                    push(x);
                }
            }
        }

        private void deliver(QueueEntry<?> queue) {
            int id = queue.id;
            if (id >= queueStamps.length) {
                queueStamps = Arrays.copyOf(queueStamps, Math.max(id + 1, 2 * id));
            }
            if (queueStamps[id] != epoch) {
                queueStamps[id] = epoch;
                count++;
                sink.accept(queue.handle);
            }
        }

        @Override
        public String routingKey() {
            return message.routingKey();
        }

        /** Read once per route, however many headers exchanges the walk visits. */
        @Override
        public Map<String, Object> headers() {
            if (!headersRead) {
                headers = message.headers();
                headersRead = true;
            }
            return headers;
        }
    }
}
