package io.warren.broker.queue;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.warren.broker.message.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue: ready messages, consumers, and the dispatch between them.
 *
 * <p>Concurrency: one owner. Every queue belongs to one event loop ({@link #owner()}), the only
 * thread that touches its ready list, consumers and counters. Other threads (publishing channels,
 * acking channels, management) hand it work through {@link #offer}, {@link #settle} and
 * {@link #submit}, which put the item on a lock-free multi-producer inbox and schedule the queue
 * on its loop at most once until it runs: however many messages arrive in one read batch, the
 * queue wakes once, takes them all, and dispatches in one go. No lock is taken per message.
 *
 * <p>The few counts other threads must read at once (queue.declare-ok after a confirmed publish)
 * are kept in atomics: {@link #messageCount()} counts messages offered and not yet handed out,
 * {@link #consumerCount()} the registered consumers.
 */
public final class Queue implements Runnable {

    /** Largest number of messages dispatched per turn before yielding the loop to others. */
    private static final int DISPATCH_BUDGET = 512;

    private final QueueDefinition definition;
    private final EventExecutor owner;
    private final Object exclusiveOwner;
    private final QueueListener listener;

    private final java.util.Queue<Object> inbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger messageCount = new AtomicInteger();
    private volatile int consumerCount;
    private volatile boolean deleted;

    // Owner-loop state.
    private final ReadyList ready = new ReadyList();
    private final ConsumerList consumers = new ConsumerList();
    private int unacked;
    private boolean hadConsumer;

    public Queue(QueueDefinition definition, EventExecutor owner, Object exclusiveOwner, QueueListener listener) {
        this.definition = definition;
        this.owner = owner;
        this.exclusiveOwner = exclusiveOwner;
        this.listener = listener;
    }

    public QueueDefinition definition() {
        return definition;
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

    /** Ready messages, including those on their way in: what queue.declare-ok reports. */
    public int messageCount() {
        return Math.max(0, messageCount.get());
    }

    public int consumerCount() {
        return consumerCount;
    }

    // ---- Any thread -------------------------------------------------------------------------

    /** Enqueues a message; the caller has retained it once for this queue. */
    public void offer(Message message) {
        messageCount.incrementAndGet();
        post(message);
    }

    /** Returns a delivery to the queue, settled (see {@link Delivery#settle}). */
    void settle(Delivery delivery) {
        post(delivery);
    }

    /** Runs {@code task} on the queue's loop, after everything posted before it. */
    public void submit(Runnable task) {
        post(task);
    }

    /** Asks the queue to try dispatching again (credit came back, a socket drained). */
    public void wake() {
        post(WAKE);
    }

    private static final Object WAKE = new Object();

    private void post(Object item) {
        inbox.offer(item);
        if (scheduled.compareAndSet(false, true)) {
            owner.execute(this);
        }
    }

    // ---- Owner loop -------------------------------------------------------------------------

    @Override
    public void run() {
        scheduled.set(false);
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Message m) {
                onMessage(m);
            } else if (item instanceof Delivery d) {
                onSettled(d);
            } else if (item instanceof Runnable r) {
                r.run();
            }
        }
        if (!deleted) {
            dispatch();
        }
    }

    private void onMessage(Message m) {
        if (deleted) {
            messageCount.decrementAndGet();
            m.release();
            return;
        }
        ready.add(m);
    }

    private void onSettled(Delivery d) {
        Consumer c = d.consumer();
        if (c != null && !c.noAck()) {
            c.unacked--;
        }
        unacked--;
        Message m = d.message();
        switch (d.settlement()) {
            case ACK, DROP -> {
                listener.removed(this, m);
                m.release();
            }
            case REQUEUE, UNSENT -> {
                if (deleted) {
                    listener.removed(this, m);
                    m.release();
                } else {
                    messageCount.incrementAndGet();
                    ready.putBack(m, d.settlement() == Delivery.Settlement.REQUEUE || d.redelivered());
                }
            }
        }
    }

    private void dispatch() {
        int budget = DISPATCH_BUDGET;
        while (!ready.isEmpty()) {
            if (budget-- == 0) {
                wake();
                return;
            }
            Consumer c = consumers.next();
            if (c == null) {
                return;
            }
            boolean redelivered = ready.headRedelivered();
            Message m = ready.poll();
            messageCount.decrementAndGet();
            Delivery d = new Delivery(this, m, c, redelivered);
            if (c.noAck()) {
                listener.removed(this, m);
            } else {
                c.unacked++;
                unacked++;
                listener.delivered(this, m);
            }
            c.sink().deliver(d);
        }
    }

    /** basic.get: the next message, counted as unacked unless {@code noAck}; null when empty. */
    public Delivery get(boolean noAck) {
        if (deleted || ready.isEmpty()) {
            return null;
        }
        boolean redelivered = ready.headRedelivered();
        Message m = ready.poll();
        messageCount.decrementAndGet();
        if (noAck) {
            listener.removed(this, m);
        } else {
            unacked++;
            listener.delivered(this, m);
        }
        return new Delivery(this, m, null, redelivered);
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
        consumers.add(consumer);
        hadConsumer = true;
        consumerCount = consumers.size();
        wake();
        return null;
    }

    /** Removes a consumer; an auto-delete queue goes with its last one. */
    public boolean removeConsumer(Consumer consumer) {
        boolean removed = consumers.remove(consumer);
        consumerCount = consumers.size();
        if (removed && consumers.isEmpty() && hadConsumer && definition.autoDelete() && !deleted) {
            listener.autoDelete(this);
        }
        return removed;
    }

    /** queue.purge: drops every ready message; answers how many. */
    public int purge() {
        int n = ready.drainTo(m -> {
            listener.removed(this, m);
            m.release();
        });
        messageCount.addAndGet(-n);
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
        for (Consumer c : consumers.snapshot()) {
            consumers.remove(c);
            if (!c.cancelled()) {
                c.markCancelled();
                c.sink().cancelledByQueue(c);
            }
        }
        consumerCount = 0;
        return purge();
    }

    /**
     * Start-up only, before the queue is reachable: puts back a message read from the store,
     * marked redelivered when it had been handed out before the restart.
     */
    public void recover(Message message, boolean delivered) {
        messageCount.incrementAndGet();
        if (delivered) {
            ready.putBack(message, true);
        } else {
            ready.add(message);
        }
    }

    /** Owner loop: unacked deliveries (handed out, not yet settled). */
    public int unackedCount() {
        return unacked;
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
