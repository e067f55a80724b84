package io.warren.broker.queue;

import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.message.Message;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue: ready messages, consumers, and the dispatch between them, with RabbitMQ's per-queue
 * policies (message TTL, queue expiry, length limits, dead-lettering, priorities, single active
 * consumer; see {@link QueuePolicy}).
 *
 * <p>Concurrency: one owner. Every queue belongs to one event loop ({@link #owner()}), the only
 * thread that touches its ready list, consumers and counters. Other threads (publishing channels,
 * acking channels, management) hand it work through {@link #offer}, {@link #settle} and
 * {@link #submit}, by way of its {@link QueueInbox}: the queue wakes once per batch, takes the
 * items in (a budget per turn) and dispatches in one go. No lock is taken per message.
 *
 * <p>The few facts other threads must read at once (queue.declare-ok after a confirmed publish,
 * reject-publish limits) are kept in atomics and volatiles: {@link #messageCount()} counts
 * messages offered and not yet handed out, {@link #consumerCount()} the registered consumers.
 *
 * <p>Flow control: past {@link QueueInbox#FLOW_HIGH} messages not yet taken in, {@link #offer} answers
 * true and the publisher waits for {@link #whenCaughtUp} (see {@link QueueInbox}). Message TTL and
 * x-expires are kept by {@link QueueExpiry}.
 */
public final class Queue implements Runnable {

    /** Largest number of messages dispatched per turn before yielding the loop to others. */
    static final int DISPATCH_BUDGET = 512;
    private static final Object WAKE = new Object();
    /** {@link #tryGet}'s answer while the head is on its way back from the page store. */
    private static final Delivery WAITING = new Delivery(null, null, null, false);

    private record PendingGet(boolean noAck, java.util.function.Consumer<Delivery> answer) {}
    private static final VarHandle UNACKED;

    static {
        try {
            UNACKED = MethodHandles.lookup().findVarHandle(Queue.class, "unacked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final QueueDefinition definition;
    /**
     * What the queue's x-arguments ask of it, before any policy: a policy change starts again
     * from here.
     */
    private final QueuePolicy argumentPolicy;
    /**
     * In effect: the arguments merged with the matching policy and operator policy (see
     * {@link #applyPolicy}). Volatile because a policy change writes it from the HTTP thread
     * and publishers read it for reject-publish; on x86 a volatile read costs what a plain one
     * does, so the per-message reads add nothing to the hot path.
     */
    private volatile QueuePolicy policy;
    private volatile AppliedPolicy applied = AppliedPolicy.NONE;
    /** Message TTLs by arrival time (see {@link MessageTtls}); written with {@link #policy}. */
    private volatile MessageTtls messageTtls;
    private final EventExecutor owner;
    private final Object exclusiveOwner;
    private final QueueListener listener;

    private final QueueInbox inbox;
    private final QueueExpiry expiry;
    private final AtomicInteger messageCount = new AtomicInteger();
    private volatile long readyBytes;
    private volatile int consumerCount;
    /** x-single-active-consumer: the consumer that receives, published for the HTTP API. */
    private volatile Consumer singleActiveConsumer;
    private volatile boolean deleted;
    /**
     * The queue's handle on the message store ({@link QueueStore#NONE} when its messages are
     * never stored). Set once before the queue can be routed to: by persistence before the
     * vhost publishes the queue through the topology's concurrent maps, or at start-up before
     * the listeners open; so readers need no barrier.
     */
    private QueueStore store = QueueStore.NONE;

    // Owner-loop state.
    private final ReadyList ready;
    private final ConsumerList consumers;
    /** Owner loop only writes it, opaquely (a plain store on x86): {@link #unackedCount()} reads it anywhere. */
    private int unacked;
    private final QueueStats stats = new QueueStats();
    private boolean hadConsumer;
    /** A length limit could not drop the head: it was on its way back from the page store. */
    private boolean limitsWaiting;
    /** Owner loop: this turn took in a wake-up (see {@link #woken}). */
    private boolean woken;
    /** basic.gets waiting for the head to come back from the page store, in arrival order. */
    private final java.util.ArrayDeque<PendingGet> pendingGets = new java.util.ArrayDeque<>();

    public Queue(QueueDefinition definition, EventExecutor owner, Object exclusiveOwner, QueueListener listener) {
        this(definition, owner, exclusiveOwner, listener, Paging.OFF);
    }

    public Queue(QueueDefinition definition, EventExecutor owner, Object exclusiveOwner, QueueListener listener,
                 Paging paging) {
        this.definition = definition;
        this.argumentPolicy = QueuePolicy.of(definition.arguments());
        this.policy = argumentPolicy;
        this.messageTtls = MessageTtls.of(argumentPolicy.messageTtl());
        this.owner = owner;
        this.exclusiveOwner = exclusiveOwner;
        this.listener = listener;
        this.ready = new ReadyList(policy.maxPriority(), paging, policy.quorum(), this::submit);
        this.consumers = new ConsumerList(policy.singleActiveConsumer());
        this.inbox = new QueueInbox(owner, this, this::takeIn, () -> ready.writesCaughtUp());
        this.expiry = new QueueExpiry(this, ready, owner);
        expiry.start();
    }

    public QueueDefinition definition() {
        return definition;
    }

    /** The limits, TTLs and dead-lettering in effect: arguments and policies together. */
    public QueuePolicy policy() {
        return policy;
    }

    /** Owner loop (expiry): the message TTL each message is judged by, by its arrival. */
    MessageTtls messageTtls() {
        return messageTtls;
    }

    /** The policies applied to the queue, as the HTTP API shows them. */
    public AppliedPolicy appliedPolicy() {
        return applied;
    }

    /**
     * A policy change: {@code effective} replaces the queue's limits, TTLs and dead-lettering at
     * once (publishers see the new reject-publish limit at their next message), then the queue's
     * loop applies it to what it holds: a lower length limit drops (or dead-letters) the oldest
     * at once, a queue expiry starts counting from now. A new message TTL applies to messages
     * arriving from now on, as in RabbitMQ (see {@link MessageTtls}). What the queue's type fixes at declare (priorities, single active consumer, quorum)
     * never changes. Callers serialise their calls (see VhostPolicies).
     */
    public void applyPolicy(QueuePolicy effective, AppliedPolicy names) {
        boolean empty = messageCount.get() <= 0 && unackedCount() == 0;
        this.messageTtls = messageTtls.changed(effective.messageTtl(), System.currentTimeMillis(), empty);
        this.policy = effective;
        this.applied = names;
        submit(this::policyChanged);
    }

    /** Owner loop: the effects of {@link #applyPolicy} on what the queue holds now. */
    private void policyChanged() {
        if (deleted) {
            return;
        }
        expiry.policyChanged();
        if (policy.hasLengthLimit() && policy.overflow() == QueuePolicy.Overflow.DROP_HEAD) {
            enforceLimits();
            readyBytes = ready.bytes();
        }
        wake(); // dispatch reads the new TTL and sets the expiry timer
    }

    /** The limits the x-arguments alone ask for (what a policy is merged with). */
    public QueuePolicy argumentPolicy() {
        return argumentPolicy;
    }

    public String name() {
        return definition.name();
    }

    public EventExecutor owner() {
        return owner;
    }

    /** The connection an exclusive queue belongs to, or null. */
    public Object exclusiveOwner() {
        return exclusiveOwner;
    }

    public boolean deleted() {
        return deleted;
    }

    /** See {@link #store}. */
    public QueueStore store() {
        return store;
    }

    /** Persistence only, before the queue is reachable. */
    public void store(QueueStore handle) {
        this.store = handle;
    }

    /** Ready messages, including those on their way in: what queue.declare-ok reports. */
    /** Its message counts for the API's message_stats (see {@link QueueStats}). */
    public QueueStats stats() {
        return stats;
    }

    public int messageCount() {
        int n = Math.max(0, messageCount.get());
        // Counted at offer, before the queue takes a message in: with drop-head, what its inbox
        // holds beyond max-length is about to push the oldest out. A declare-ok sent right after
        // a confirm reports what the queue holds by then, as RabbitMQ's does.
        QueuePolicy p = policy;
        if (p.maxLength() >= 0 && n > p.maxLength() && p.overflow() == QueuePolicy.Overflow.DROP_HEAD) {
            return (int) p.maxLength();
        }
        return n;
    }

    public int consumerCount() {
        return consumerCount;
    }

    // ---- Any thread -------------------------------------------------------------------------

    /**
     * Enqueues a message; the caller has retained it once for this queue. Answers true when the
     * queue is behind on taking messages in: the publisher should pause (see
     * {@link #whenCaughtUp}).
     */
    public boolean offer(Message message) {
        messageCount.incrementAndGet();
        boolean behind = inbox.offer(message);
        return behind || ready.writesBehind();
    }

    /**
     * Runs {@code resume} (on this queue's loop) once the queue has taken in what was offered
     * before this call and its intake is below half of {@link QueueInbox#FLOW_HIGH}, or at once if it is
     * deleted.
     */
    public void whenCaughtUp(Runnable resume) {
        inbox.whenCaughtUp(resume, this);
    }

    /**
     * x-overflow reject-publish: whether this queue refuses a message of {@code size} bytes now
     * (the publisher then nacks it). Read from atomics, so as exact as RabbitMQ's own check.
     */
    public boolean rejectsPublish(long size) {
        return policy.overflow() != QueuePolicy.Overflow.DROP_HEAD
                && policy.full(messageCount.get(), readyBytes, size);
    }

    /** The queue was used (declared, consumed from, read): x-expires counts from here. */
    public void touch() {
        expiry.touch();
    }

    /**
     * Returns a delivery to the queue, settled (see {@link Delivery#settle}). A message coming
     * back counts as ready from this moment, as an offered one does: a queue.declare the same
     * channel sends after its reject or nack sees it, as in RabbitMQ.
     *
     * <p>Never called for a delivery to a no-ack consumer: the queue settled it when it handed
     * it out (not counted unacked, already removed from the store), so the channel drops one it
     * cannot write (see Subscriptions.write), as RabbitMQ drops an auto-ack delivery its channel
     * can no longer send.
     */
    void settle(Delivery delivery) {
        Delivery.Settlement how = delivery.settlement();
        if (how == Delivery.Settlement.REQUEUE || how == Delivery.Settlement.UNSENT) {
            messageCount.incrementAndGet();
        }
        inbox.post(delivery);
    }

    /**
     * Owner loop, while dead-lettering: {@code target} is behind on taking in what this queue
     * passes on. This queue's publishers are held back, and it dead-letters no more expired
     * messages, until {@code target} has caught up (see {@link QueueInbox#holdFor}).
     */
    public void holdPublishersFor(Queue target) {
        inbox.holdFor(target, this);
    }

    /** Whether this queue is held back for a queue it dead-letters into. */
    boolean heldBack() {
        return inbox.heldBack();
    }

    /** Runs {@code then} on this queue's loop once its intake is small, whatever holds its publishers. */
    void whenTakenIn(Runnable then) {
        inbox.whenTakenIn(then, this);
    }

    /** Runs {@code task} on the queue's loop, after everything posted before it. */
    public void submit(Runnable task) {
        inbox.post(task);
    }

    /** Asks the queue to try dispatching again (credit came back, a socket drained). */
    public void wake() {
        inbox.post(WAKE);
    }

    // ---- Owner loop -------------------------------------------------------------------------

    @Override
    public void run() {
        inbox.turnStarted();
        inbox.takeTurn();
        if (!pendingGets.isEmpty()) {
            serveGets();
        }
        if (!deleted) {
            if (limitsWaiting) {
                limitsWaiting = false;
                enforceLimits(); // the head it waited for may be back from the page store
            }
            dispatch();
            readyBytes = ready.bytes();
        }
        woken = false;
        inbox.resumePublishers(deleted);
        inbox.turnEnded();
    }

    /**
     * Whether this turn was asked for by a wake-up (returned channel credit, a socket that
     * drained): consumers refused channel credit try again only then (see Consumer#canTake).
     */
    boolean woken() {
        return woken;
    }

    /** Handles one inbox item; answers whether it was an offered message. */
    private boolean takeIn(Object item) {
        if (item == WAKE) {
            woken = true;
            return false;
        }
        if (item instanceof Message m) {
            onMessage(m);
            return true;
        } else if (item instanceof Delivery d) {
            onSettled(d);
        } else if (item instanceof Runnable r) {
            r.run();
        }
        return false;
    }

    /**
     * Owner loop: takes in everything posted to the queue before this call, however much, without
     * dispatching. A channel on this loop runs its queue operations (purge, basic.get, delete)
     * inline right after, and AMQP wants them to see every message the channel published before
     * them: a turn of {@link #run} takes in only {@link QueueInbox#INTAKE_BUDGET} items. Whatever
     * it leaves for dispatch is picked up by the turn already scheduled for those items.
     */
    public void catchUp() {
        inbox.takeAll();
        readyBytes = ready.bytes();
        inbox.resumePublishers(deleted);
    }

    private void onMessage(Message m) {
        if (deleted) {
            // Routed here before the delete: the store may have its entry after the delete
            // dropped the queue's, so it is removed (a no-op for an entry that is not there).
            messageCount.decrementAndGet();
            store.removed(m);
            m.release();
            return;
        }
        if (policy.quorum() && DeliveryCount.present(m)) {
            m = DeliveryCount.stamp(m, 0); // the publisher's own would be taken for a count
        }
        ready.add(m);
        stats.add(QueueStats.Stat.PUBLISH);
        if (policy.hasLengthLimit()) {
            enforceLimits();
        }
    }

    /** x-max-length / x-max-length-bytes with drop-head: the oldest go (dead-lettered as maxlen). */
    private void enforceLimits() {
        while (!ready.isEmpty() && policy.overLimit(ready.size(), ready.bytes())) {
            Message head = ready.poll();
            if (head == null) {
                limitsWaiting = true; // the head is being paged in: dropped when it is back (see run)
                return;
            }
            messageCount.decrementAndGet();
            discard(head, "maxlen");
        }
    }

    private void onSettled(Delivery d) {
        Consumer c = d.consumer();
        if (c != null && !c.noAck()) {
            c.unacked--;
        }
        UNACKED.setOpaque(this, unacked - 1);
        Message m = d.message();
        switch (d.settlement()) {
            case ACK -> {
                stats.add(QueueStats.Stat.ACK);
                store.removed(m);
                m.release();
            }
            case DROP -> discard(m, "rejected");
            case REQUEUE, UNSENT -> {
                if (deleted) {
                    messageCount.decrementAndGet();
                    store.removed(m);
                    m.release();
                } else {
                    // Counted in settle() already.
                    boolean returned = d.settlement() == Delivery.Settlement.REQUEUE;
                    if (returned && policy.quorum()) {
                        Message back = countReturn(m);
                        if (back != null) {
                            ready.add(back); // behind the others, as RabbitMQ's quorum queues requeue
                        }
                    } else {
                        ready.putBack(m, returned || d.redelivered(), d.position());
                    }
                    if (policy.hasLengthLimit() && policy.overflow() == QueuePolicy.Overflow.DROP_HEAD) {
                        // RabbitMQ applies drop-head on requeue too: the oldest go, however they came back.
                        enforceLimits();
                    }
                }
            }
        }
    }

    /**
     * A quorum queue counts the times a message comes back; past its x-delivery-limit the message
     * leaves (dead-lettered as delivery_limit), as RabbitMQ's quorum queues do with poison
     * messages. Answers the message to put back (with its new count), or null.
     */
    private Message countReturn(Message m) {
        long count = DeliveryCount.of(m) + 1;
        if (count > policy.deliveryLimit()) {
            messageCount.decrementAndGet(); // settle() counted it as ready
            discard(m, "delivery_limit");
            return null;
        }
        return DeliveryCount.stamp(m, count);
    }

    /** A message leaves for good without being acked: dead-letter it if the queue says so. */
    private void discard(Message m, String reason) {
        if (policy.deadLetters() && !deleted) {
            listener.deadLetter(this, m, reason);
        }
        store.removed(m);
        m.release();
    }

    private void dispatch() {
        long now = expiry.matters() ? System.currentTimeMillis() : 0;
        int budget = DISPATCH_BUDGET;
        while (ready.hasHead()) {
            if (now != 0) {
                if (!expiry.dropExpired(now, true, true) || !ready.hasHead()) {
                    break;
                }
            }
            if (budget-- == 0) {
                wake();
                break;
            }
            Consumer c = consumers.next();
            if (c == null) {
                break;
            }
            deliver(c);
        }
        if (now != 0) {
            expiry.dropExpired(now, false, true);
            expiry.schedule();
        }
    }

    private void deliver(Consumer c) {
        boolean redelivered = ready.headRedelivered();
        Message m = ready.poll();
        messageCount.decrementAndGet();
        Delivery d = new Delivery(this, m, c, redelivered, ready.polledPosition());
        stats.add(c.noAck() ? QueueStats.Stat.DELIVER_NO_ACK : QueueStats.Stat.DELIVER);
        if (redelivered) {
            stats.add(QueueStats.Stat.REDELIVER);
        }
        if (c.noAck()) {
            store.removed(m);
        } else {
            c.unacked++;
            UNACKED.setOpaque(this, unacked + 1);
            store.delivered(m);
        }
        c.sink().deliver(d);
    }

    // ---- Expiry (see QueueExpiry) ------------------------------------------------------------

    /** An expired message was taken off the head: it leaves for good. */
    void expired(Message m) {
        messageCount.decrementAndGet();
        discard(m, "expired");
    }

    /** x-expires: the queue went unused for its expiry time. */
    void expireUnused() {
        listener.expire(this);
    }

    // ---- Operations run on the owner loop (through submit or callQueue) ---------------------

    /**
     * basic.get: {@code answer} gets the next message, counted as unacked unless {@code noAck},
     * or null when the queue is empty. When the head is on its way back from the page store the
     * answer waits for it (on this loop), behind any earlier get still waiting.
     */
    public void get(boolean noAck, java.util.function.Consumer<Delivery> answer) {
        touch();
        if (pendingGets.isEmpty()) {
            Delivery d = tryGet(noAck);
            if (d != WAITING) {
                answer.accept(d);
                return;
            }
        }
        pendingGets.add(new PendingGet(noAck, answer));
    }

    /**
     * The next message as {@link #get(boolean, java.util.function.Consumer)} hands it out, or
     * null when the queue is empty or its head is still being paged in (the HTTP API's get).
     */
    public Delivery get(boolean noAck) {
        touch();
        Delivery d = tryGet(noAck);
        return d == WAITING ? null : d;
    }

    private void serveGets() {
        PendingGet g;
        while ((g = pendingGets.peekFirst()) != null) {
            Delivery d = tryGet(g.noAck());
            if (d == WAITING) {
                return;
            }
            pendingGets.pollFirst();
            g.answer().accept(d);
        }
    }

    /** The next message for basic.get, null when empty, {@link #WAITING} while the head is paged in. */
    private Delivery tryGet(boolean noAck) {
        if (deleted) {
            return null;
        }
        if (expiry.matters()) {
            expiry.dropExpired(System.currentTimeMillis(), false, false); // basic.get never sees an expired one
        }
        if (ready.isEmpty()) {
            return null;
        }
        if (!ready.hasHead()) {
            return WAITING;
        }
        boolean redelivered = ready.headRedelivered();
        Message m = ready.poll();
        long position = ready.polledPosition();
        messageCount.decrementAndGet();
        if (policy.quorum() && !DeliveryCount.present(m)) {
            m = DeliveryCount.stamp(m, 0); // RabbitMQ's quorum queues show the count to basic.get even at 0
        }
        stats.add(noAck ? QueueStats.Stat.GET_NO_ACK : QueueStats.Stat.GET);
        if (redelivered) {
            stats.add(QueueStats.Stat.REDELIVER);
        }
        if (noAck) {
            store.removed(m);
        } else {
            UNACKED.setOpaque(this, unacked + 1);
            store.delivered(m);
        }
        if (expiry.matters()) {
            // the new head may expire: a get run inline (no turn of run() after it) must still
            // set its timer, or it would wait for the next publish to be dropped
            expiry.schedule();
        }
        return new Delivery(this, m, null, redelivered, position);
    }

    /**
     * Registers a consumer, or answers why not (RabbitMQ's 403 texts). Dispatch to it starts at
     * the end of this turn, after the caller has posted consume-ok.
     */
    public String addConsumer(Consumer consumer) {
        if (deleted) {
            return null;
        }
        if (consumers.hasExclusive() || (consumer.exclusive() && !consumers.isEmpty())) {
            return "queue '" + name() + "' in vhost '" + definition.vhost() + "' in exclusive use";
        }
        touch();
        consumers.add(consumer);
        hadConsumer = true;
        consumerCount = consumers.size();
        singleActiveConsumer = consumers.singleActive();
        wake();
        return null;
    }

    /** Removes a consumer; an auto-delete queue goes with its last one. */
    public boolean removeConsumer(Consumer consumer) {
        boolean removed = consumers.remove(consumer);
        consumerCount = consumers.size();
        singleActiveConsumer = consumers.singleActive();
        touch();
        if (removed && consumers.isEmpty() && hadConsumer && definition.autoDelete() && !deleted) {
            listener.autoDelete(this);
        } else if (removed) {
            wake();
        }
        return removed;
    }

    /** queue.purge: drops every ready message; answers how many. */
    public int purge() {
        int n = ready.drainTo(m -> {
            store.removed(m);
            m.release();
        });
        messageCount.addAndGet(-n);
        readyBytes = 0;
        return n;
    }

    /**
     * Marks the queue deleted (the caller already took it out of the vhost), cancels its
     * consumers and drops its ready messages. Unacked deliveries are dropped when they come back.
     * Answers the number of ready messages dropped.
     */
    public int delete() {
        if (deleted) {
            return 0;
        }
        deleted = true;
        expiry.stop();
        for (Consumer c : consumers.snapshot()) {
            consumers.remove(c);
            if (!c.cancelled()) {
                c.markCancelled();
                c.sink().cancelledByQueue(c);
            }
        }
        consumerCount = 0;
        singleActiveConsumer = null;
        int dropped = purge();
        serveGets(); // deleted: they get nothing
        return dropped;
    }

    /**
     * Start-up only, before the queue is reachable: puts back a message read from the store,
     * marked redelivered when it had been handed out before the restart.
     */
    public void recover(Message message, boolean delivered) {
        messageCount.incrementAndGet();
        if (policy.quorum() && DeliveryCount.present(message)) {
            message = DeliveryCount.stamp(message, 0);
        }
        if (delivered) {
            ready.putBackRecovered(message);
        } else {
            ready.add(message);
            ready.awaitWritesIfBehind();
        }
    }

    /** The bodies' bytes of the ready messages; from other threads, as of the queue's last run. */
    public long readyBytes() {
        return readyBytes;
    }

    /** Ready messages kept out of memory (paged to disk); from other threads, as of a moment ago. */
    public int pagedOutCount() {
        return ready.pagedOut();
    }

    /** Unacked deliveries (handed out, not yet settled); from other threads, as of a moment ago. */
    public int unackedCount() {
        return (int) UNACKED.getOpaque(this);
    }

    /**
     * With x-single-active-consumer, the consumer that receives (null when none, or without the
     * argument); any thread, as of a moment ago. Set when consumers come and go, never per message.
     */
    public Consumer singleActiveConsumer() {
        return singleActiveConsumer;
    }

    /** Owner loop: consumers, in dispatch order. */
    public List<Consumer> consumers() {
        return consumers.snapshot();
    }

    @Override
    public String toString() {
        return "queue '" + name() + "' in vhost '" + definition.vhost() + "'";
    }
}
