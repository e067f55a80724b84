package io.warren.broker.persistence;

import io.warren.broker.auth.User;
import io.warren.broker.message.Message;
import io.warren.broker.message.MessageBytes;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueStore;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHostListener;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.Exchange;
import io.warren.store.Completion;
import io.warren.store.MessageStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Warren keeps on disk and when, as the broker's side of the {@link MessageStore}.
 *
 * <p>Guarantees, path by path:
 * <ul>
 *   <li>A persistent message (delivery-mode 2) routed to a durable queue is handed to the store
 *       before it is offered to any queue; its publisher confirm (or tx.commit-ok) waits for the
 *       store's completion, which comes after fsync. Confirmed therefore means on disk.
 *       Without confirms or a transaction nobody waits: the message is written with a later
 *       group commit (at most the store's lazy-commit time later), with no fsync of its own.</li>
 *   <li>Each durable queue's messages are filed under its name and an incarnation chosen at
 *       declare ({@link TopologyRecords#messageQueueKey}), so a publish that reaches the store
 *       after its queue was deleted can never reappear in a queue declared later under the
 *       same name.</li>
 *   <li>Topology (durable vhosts, exchanges, queues, bindings, users) is written as it
 *       changes; the channel answers a declare, bind, unbind or delete that changed something
 *       durable only once the store has it ({@code AmqpChannel.replyTopology}), as RabbitMQ
 *       does. Changes made elsewhere (auto-delete, users from the HTTP API) are not waited for:
 *       the store applies writes in order, so the next confirm or -ok commits them too.</li>
 *   <li>Acks, rejects, expiry and purges remove entries without waiting: a crash may bring a
 *       message back, marked redelivered (at-least-once), never lose a confirmed one.</li>
 *   <li>Transient messages and non-durable or exclusive queues never touch the disk.</li>
 * </ul>
 *
 * <p>Concurrency: called from any loop; the store serialises writes on its writer thread. The
 * index of durable bindings holds its own monitor (topology changes are rare).
 */
public final class Persistence implements VirtualHostListener {

    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    /** For writes nobody waits for: a failure is logged (the store itself stays usable or closes). */
    static final Completion LOG_FAILURE = failure -> {
        if (failure != null) {
            LOG.warn("a store write failed", failure);
        }
    };

    private final MessageStore store;
    /** Durable bindings written so far, to remove those of a deleted queue or exchange. */
    private final DurableBindings durableBindings = new DurableBindings();
    private volatile boolean recovering;

    public Persistence(MessageStore store) {
        this.store = store;
    }

    public MessageStore store() {
        return store;
    }

    void recovering(boolean on) {
        this.recovering = on;
    }

    /** Whether messages routed to {@code q} are kept on disk (when persistent). */
    public static boolean storesMessages(Queue q) {
        return q.definition().durable() && q.exclusiveOwner() == null;
    }

    /**
     * Stores a persistent message once for all of {@code queues} (durable ones, by store key).
     * {@code done} null: nobody waits (no confirms); the message reaches the disk with a later
     * group commit.
     */
    public void storeMessage(Message m, List<String> queueKeys, Completion done) {
        store.enqueue(m.id(), MessageBytes.encodeShared(m), queueKeys, done);
    }

    /** The store's name for {@code q}'s messages ({@link #storesMessages} queues only). */
    public static String storeKey(Queue q) {
        return q.store().key();
    }

    /** Recovery: a durable queue read back from its record, given its incarnation's store key. */
    void queueRecovered(Queue q, long incarnation) {
        q.store(handle(q.definition().vhost(), q.name(), incarnation));
    }

    private QueueStore handle(String vhost, String queue, long incarnation) {
        return new DurableQueueStore(store, TopologyRecords.messageQueueKey(vhost, queue, incarnation));
    }

    /** Random, so unique across restarts without a counter on disk; never 0 (older records). */
    private static long newIncarnation() {
        long incarnation;
        do {
            incarnation = ThreadLocalRandom.current().nextLong();
        } while (incarnation == 0);
        return incarnation;
    }

    /** Bytes of messages waiting to be taken in by the store ({@link MessageStore#pendingBytes}). */
    public long pendingBytes() {
        return store.pendingBytes();
    }

    /** {@code done} runs once everything submitted before is on disk. */
    public void flush(Completion done) {
        store.flush(done);
    }

    public void vhostCreated(String vhost) {
        vhostChanged(vhost, io.warren.broker.vhost.VhostSettings.DEFAULT);
    }

    /** A vhost created, or its description, tags or limits changed. */
    public void vhostChanged(String vhost, io.warren.broker.vhost.VhostSettings settings) {
        store.putMetadata(TopologyRecords.vhostKey(vhost), TopologyRecords.vhost(settings), Persistence.LOG_FAILURE);
    }

    /**
     * A vhost deleted: its record goes first, in one write, and is what makes the deletion
     * durable. Its queues, exchanges and bindings are removed after it; should the broker stop
     * half-way, recovery drops whatever is left of a vhost without a record.
     */
    public void vhostDeleted(String vhost) {
        store.removeMetadata(TopologyRecords.vhostKey(vhost), Persistence.LOG_FAILURE);
    }

    public void userChanged(User user) {
        store.putMetadata(TopologyRecords.userKey(user.name()), TopologyRecords.user(user), Persistence.LOG_FAILURE);
    }

    public void userDeleted(String name) {
        store.removeMetadata(TopologyRecords.userKey(name), Persistence.LOG_FAILURE);
    }

    /** A policy or operator policy set (or replaced). */
    public void policyChanged(io.warren.broker.policy.Policy p, boolean operator) {
        store.putMetadata(TopologyRecords.policyKey(p.vhost(), operator, p.name()), TopologyRecords.policy(p, operator),
                Persistence.LOG_FAILURE);
    }

    public void policyDeleted(String vhost, String name, boolean operator) {
        store.removeMetadata(TopologyRecords.policyKey(vhost, operator, name), Persistence.LOG_FAILURE);
    }

    public void globalParameterChanged(String name, Object value) {
        store.putMetadata(TopologyRecords.globalParameterKey(name), TopologyRecords.globalParameter(value),
                Persistence.LOG_FAILURE);
    }

    public void globalParameterDeleted(String name) {
        store.removeMetadata(TopologyRecords.globalParameterKey(name), Persistence.LOG_FAILURE);
    }

    /** The records whose keys start with {@code prefix} (start-up reads policies and parameters). */
    public Map<String, byte[]> records(String prefix) {
        return store.metadata(prefix);
    }

    /**
     * After a vhost's deletion: removes whatever records of it are still on disk (a binding or
     * exchange a channel added while the vhost was being deleted).
     */
    public void forgetVhost(String vhost) {
        for (String prefix : List.of(TopologyRecords.EXCHANGE, TopologyRecords.QUEUE, TopologyRecords.BINDING,
                TopologyRecords.POLICY)) {
            for (String key : store.metadata(prefix + vhost + "\0").keySet()) {
                durableBindings.remove(key);
                store.removeMetadata(key, Persistence.LOG_FAILURE);
            }
        }
    }

    // ---- VirtualHostListener ----------------------------------------------------------------

    /** Runs before the queue is reachable, so its store key is set before any message routes to it. */
    @Override
    public void queueCreated(VirtualHost vhost, Queue queue) {
        if (!recovering && storesMessages(queue)) {
            long incarnation = newIncarnation();
            queue.store(handle(vhost.name(), queue.name(), incarnation));
            store.putMetadata(TopologyRecords.queueKey(vhost.name(), queue.name()),
                    TopologyRecords.queue(queue.definition(), incarnation), Persistence.LOG_FAILURE);
        }
    }

    @Override
    public void queueDeleted(VirtualHost vhost, Queue queue) {
        if (queue.store().durable()) {
            forgetBindingsOf(vhost, DestinationKind.QUEUE, queue.name());
            store.removeMetadata(TopologyRecords.queueKey(vhost.name(), queue.name()), Persistence.LOG_FAILURE);
            queue.store().deleteQueue();
        }
    }

    @Override
    public void exchangeDeclared(VirtualHost vhost, Exchange exchange) {
        if (!recovering && exchange.durable()) {
            store.putMetadata(TopologyRecords.exchangeKey(vhost.name(), exchange.name()),
                    TopologyRecords.exchange(exchange.definition()), Persistence.LOG_FAILURE);
        }
    }

    @Override
    public void exchangeDeleted(VirtualHost vhost, String exchange) {
        forgetBindingsOf(vhost, DestinationKind.EXCHANGE, exchange);
        store.removeMetadata(TopologyRecords.exchangeKey(vhost.name(), exchange), Persistence.LOG_FAILURE);
    }

    @Override
    public void bindingAdded(VirtualHost vhost, Binding binding) {
        if (recovering || !isDurable(vhost, binding)) {
            return;
        }
        String key = TopologyRecords.bindingKey(vhost.name(), binding);
        durableBindings.add(vhost.name(), key, binding);
        store.putMetadata(key, TopologyRecords.binding(binding), Persistence.LOG_FAILURE);
    }

    /** Recovery: a binding read back from disk, so that deleting its ends later forgets it. */
    void bindingRecovered(VirtualHost vhost, Binding binding) {
        durableBindings.add(vhost.name(), TopologyRecords.bindingKey(vhost.name(), binding), binding);
    }

    @Override
    public void bindingRemoved(VirtualHost vhost, Binding binding) {
        String key = TopologyRecords.bindingKey(vhost.name(), binding);
        if (durableBindings.remove(key)) {
            store.removeMetadata(key, Persistence.LOG_FAILURE);
        }
    }

    /** RabbitMQ keeps a binding across restarts when both its ends are durable. */
    public static boolean isDurable(VirtualHost vhost, Binding b) {
        Exchange source = vhost.topology().exchange(b.source());
        if (source == null || !source.durable()) {
            return false;
        }
        if (b.kind() == DestinationKind.QUEUE) {
            Queue q = vhost.queue(b.destination());
            return q != null && storesMessages(q);
        }
        Exchange destination = vhost.topology().exchange(b.destination());
        return destination != null && destination.durable();
    }

    private void forgetBindingsOf(VirtualHost vhost, DestinationKind kind, String name) {
        for (String key : durableBindings.removeAllOf(vhost.name(), kind, name)) {
            store.removeMetadata(key, Persistence.LOG_FAILURE);
        }
    }

    /** Durable bindings known, for tests. */
    int durableBindingCount() {
        return durableBindings.size();
    }
}
