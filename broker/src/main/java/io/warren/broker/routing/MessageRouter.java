package io.warren.broker.routing;

import io.warren.broker.message.Message;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueStore;
import io.warren.exchange.Exchange;
import io.warren.exchange.RouteSink;
import io.warren.exchange.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes one message from an exchange into its queues: route, drop the queues that refuse it
 * (x-overflow reject-publish), store it once if it is persistent and any destination is durable,
 * then offer it to each queue. (reject-publish-dlx refuses like reject-publish; the refused
 * message is not dead-lettered.) Storing comes before offering so that no ack of the message can
 * reach the store before the message itself.
 *
 * <p>Used by publishing channels and by dead-lettering. Reuses its destination list, so routing
 * a transient message allocates nothing here.
 *
 * <p>Concurrency: not thread-safe; one per channel (or per use on a queue loop).
 */
public final class MessageRouter implements RouteSink<Queue> {

    /** Told, on the store's thread, when a message stored for a caller's {@code tag} is on disk. */
    @FunctionalInterface
    public interface DiskListener {
        void onDisk(long tag, Throwable failure);
    }

    /** Told when a queue is behind on taking messages in: the publisher should pause. */
    @FunctionalInterface
    public interface FlowListener {
        void queueBehind(Queue queue);
    }

    private final Persistence persistence;
    private final FlowListener flow;
    private final ArrayList<Queue> destinations = new ArrayList<>();
    private int refused;

    /** @param persistence null when the broker keeps nothing on disk */
    public MessageRouter(Persistence persistence) {
        this(persistence, null);
    }

    /**
     * @param persistence null when the broker keeps nothing on disk
     * @param flow        told of queues that are behind (null: nobody to pause, as when
     *                    dead-lettering from a queue's own loop)
     */
    public MessageRouter(Persistence persistence, FlowListener flow) {
        this.persistence = persistence;
        this.flow = flow;
    }

    /**
     * Finds the queues {@code message} goes to through {@code exchange} (null: none), leaving
     * out those whose length limit refuses it; answers how many take it.
     */
    public int collect(Topology<Queue> topology, Exchange exchange, Message message) {
        return collect(topology, exchange, message, null);
    }

    /**
     * As {@link #collect(Topology, Exchange, Message)}, also routing with each of
     * {@code extraKeys} (RabbitMQ's sender-selected distribution: the CC and BCC headers); each
     * queue still gets the message once.
     */
    public int collect(Topology<Queue> topology, Exchange exchange, Message message, List<String> extraKeys) {
        destinations.clear();
        refused = 0;
        if (exchange == null) {
            return 0;
        }
        try {
            topology.route(exchange, message, this);
            if (extraKeys != null) {
                for (String key : extraKeys) {
                    topology.route(exchange, new KeyedRoute(key, message), this::acceptOnce);
                }
            }
        } catch (RuntimeException e) {
            destinations.clear();
            throw e;
        }
        for (int i = destinations.size() - 1; i >= 0; i--) {
            Queue q = destinations.get(i);
            if (q.rejectsPublish(message.bodySize())) {
                destinations.remove(i);
                refused++;
            }
        }
        return destinations.size();
    }

    /** Queues that matched but refused the message at their length limit (the publisher nacks). */
    public int refused() {
        return refused;
    }

    /** The collected destinations (valid until the next {@link #collect}); callers may remove some. */
    public List<Queue> destinations() {
        return destinations;
    }

    /**
     * Stores (if persistent and bound for a durable queue) and offers the message to the
     * collected destinations. Answers true when the store was involved: {@code listener}, if
     * given, will then be told with {@code tag} once the message is on disk; without one the
     * message is written with a later group commit, and nobody is told.
     */
    public boolean deliver(Message message, long tag, DiskListener listener) {
        boolean stored = false;
        if (message.persistent() && persistence != null) {
            stored = store(message, tag, listener); // detaches it onto the stored bytes
        }
        if (!destinations.isEmpty()) {
            message.detachFromReadBuffer(); // it may stay queued long: do not pin the read buffer
        }
        for (int i = 0; i < destinations.size(); i++) {
            message.retain();
            Queue q = destinations.get(i);
            if (q.offer(message) && flow != null) {
                flow.queueBehind(q);
            }
        }
        destinations.clear();
        return stored;
    }

    private boolean store(Message message, long tag, DiskListener listener) {
        QueueStore first = null;
        List<String> keys = null; // built only for a second durable queue
        for (int i = 0; i < destinations.size(); i++) {
            QueueStore handle = destinations.get(i).store();
            if (!handle.durable()) {
                continue;
            }
            if (first == null) {
                first = handle;
            } else {
                if (keys == null) {
                    keys = new ArrayList<>(destinations.size());
                    keys.add(first.key());
                }
                keys.add(handle.key());
            }
        }
        if (first == null) {
            return false;
        }
        if (keys == null) {
            keys = first.keyList();
        }
        persistence.storeMessage(message, keys, listener == null ? null : failure -> listener.onDisk(tag, failure));
        return true;
    }

    @Override
    public void accept(Queue queue) {
        destinations.add(queue);
    }

    private void acceptOnce(Queue queue) {
        for (int i = 0; i < destinations.size(); i++) {
            if (destinations.get(i) == queue) {
                return;
            }
        }
        destinations.add(queue);
    }

    /** The message seen through another routing key. */
    private record KeyedRoute(String routingKey, Message message) implements io.warren.exchange.RoutableMessage {
        @Override
        public java.util.Map<String, Object> headers() {
            return message.headers();
        }
    }
}
