package io.warren.broker.vhost;

import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.message.Message;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.queue.QueueListener;
import io.warren.exchange.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One virtual host: its exchanges and bindings (a {@link Topology}, routed lock-free), its queues,
 * and what happens when they come and go.
 *
 * <p>Concurrency: declare and delete of queues are serialised on this vhost's monitor (rare,
 * never on the publish or deliver path); lookups and routing read the topology without locks.
 */
public final class VirtualHost implements QueueListener {

    private final String name;
    private final Topology<Queue> topology = new Topology<>();
    /** Queues by name; the topology holds them too, as the default exchange's destinations. */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    /**
     * Exclusive queues by owning connection, so a connection's close finds its own without
     * scanning every queue. Guarded by this vhost's monitor, like declare and delete.
     */
    private final Map<Object, Set<Queue>> exclusiveByOwner = new HashMap<>();
    private final VirtualHostListener listener;
    private final Paging paging;
    private final QueuePlacement placement;
    /** Its policies and operator policies, applied to each queue as it is made. */
    private final io.warren.broker.policy.VhostPolicies policies = new io.warren.broker.policy.VhostPolicies();
    /** Description, tags, limits: read lock-free at connection.open and queue.declare. */
    private volatile VhostSettings settings = VhostSettings.DEFAULT;

    /** A vhost whose queues live on their declaring loop (unit tests). */
    public VirtualHost(String name, VirtualHostListener listener, Paging paging) {
        this(name, listener, paging, QueuePlacement.DECLARING_LOOP);
    }

    public VirtualHost(String name, VirtualHostListener listener, Paging paging, QueuePlacement placement) {
        this.name = name;
        this.listener = listener;
        this.paging = paging;
        this.placement = placement;
        topology.declareStandardExchanges();
    }

    public String name() {
        return name;
    }

    public VhostSettings settings() {
        return settings;
    }

    public void settings(VhostSettings settings) {
        this.settings = settings;
    }

    /**
     * RabbitMQ's 406 text when a new queue would pass the vhost's {@code max-queues}, or null
     * when there is room (exclusive and server-named queues count too). Checked before a queue
     * is created; two declares racing may both pass, as in RabbitMQ.
     */
    public String queueLimitRefusal(String queueName) {
        io.warren.broker.auth.Limits limits = settings.limits();
        if (!limits.reached(io.warren.broker.auth.Limits.MAX_QUEUES, queues.size())) {
            return null;
        }
        return "cannot declare queue '" + queueName + "': queue limit in vhost '" + name + "' ("
                + limits.get(io.warren.broker.auth.Limits.MAX_QUEUES) + ") is reached";
    }

    public io.warren.broker.policy.VhostPolicies policies() {
        return policies;
    }

    public VirtualHostListener listener() {
        return listener;
    }

    public Topology<Queue> topology() {
        return topology;
    }

    public Queue queue(String queueName) {
        return queues.get(queueName);
    }

    public Collection<Queue> queues() {
        return queues.values();
    }

    /** Outcome of {@link #declareQueue}: the queue, and whether this call created it. */
    public record DeclaredQueue(Queue queue, boolean created) {}

    /**
     * Creates the queue, or returns the one of that name untouched (the caller checks
     * equivalence and exclusivity). {@code declaringLoop} is the declaring connection's loop, or
     * null without one; which loop owns a new queue is the {@link QueuePlacement}'s choice.
     */
    public synchronized DeclaredQueue declareQueue(QueueDefinition definition, EventExecutor declaringLoop,
                                                   Object exclusiveOwner) {
        Queue existing = queues.get(definition.name());
        if (existing != null) {
            return new DeclaredQueue(existing, false);
        }
        EventExecutor owner = placement.place(declaringLoop, exclusiveOwner != null);
        Queue queue = new Queue(definition, owner, exclusiveOwner, this, paging);
        policies.applyTo(queue); // before the queue is reachable: its first message meets its policy
        // before the queue is reachable: persistence gives it its store handle here
        listener.queueCreated(this, queue);
        queues.put(definition.name(), queue);
        if (exclusiveOwner != null) {
            exclusiveByOwner.computeIfAbsent(exclusiveOwner, o -> new LinkedHashSet<>(2)).add(queue);
        }
        topology.addQueue(definition.name(), queue);
        return new DeclaredQueue(queue, true);
    }

    /**
     * Takes the queue out of the vhost at once (its name is free again) and has its owner drop
     * its messages and cancel its consumers. Answers false when it was already gone.
     */
    public synchronized boolean deleteQueue(Queue queue) {
        if (!queues.remove(queue.name(), queue)) {
            return false;
        }
        forgetExclusive(queue);
        placement.released(queue.owner());
        List<String> autoDeleted = topology.removeQueue(queue.name());
        listener.queueDeleted(this, queue);
        for (String exchange : autoDeleted) {
            listener.exchangeDeleted(this, exchange);
        }
        if (queue.owner().inEventLoop()) {
            queue.delete();
        } else {
            queue.submit(queue::delete);
        }
        return true;
    }

    /** Queues that belong to the exclusive owner {@code owner} (a connection): a snapshot. */
    public synchronized List<Queue> exclusiveQueuesOf(Object owner) {
        Set<Queue> own = exclusiveByOwner.get(owner);
        return own == null ? List.of() : new ArrayList<>(own);
    }

    /** How many owners have exclusive queues here; for tests of the index. */
    synchronized int exclusiveOwnerCount() {
        return exclusiveByOwner.size();
    }

    private void forgetExclusive(Queue queue) {
        Object owner = queue.exclusiveOwner();
        if (owner == null) {
            return;
        }
        Set<Queue> own = exclusiveByOwner.get(owner);
        if (own != null && own.remove(queue) && own.isEmpty()) {
            exclusiveByOwner.remove(owner);
        }
    }

    @Override
    public void autoDelete(Queue queue) {
        deleteQueue(queue);
    }

    @Override
    public void expire(Queue queue) {
        deleteQueue(queue);
    }

    @Override
    public void deadLetter(Queue queue, Message message, String reason) {
        listener.deadLetter(this, queue, message, reason);
    }
}
