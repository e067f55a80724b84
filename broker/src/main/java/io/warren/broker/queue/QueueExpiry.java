package io.warren.broker.queue;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.broker.message.Message;
import java.util.concurrent.TimeUnit;

/**
 * A queue's clocks: message expiry (x-message-ttl and a message's own expiration) and queue
 * expiry (x-expires).
 *
 * <p>Messages expire at the head of the queue, as in RabbitMQ's classic queues. A timer on the
 * owner loop fires when the head is due; a message with TTL 0 is still delivered if a consumer
 * can take it at once. A queue with x-expires is deleted once it has gone that long without
 * consumers and without being used (declared, consumed from, read).
 *
 * <p>Concurrency: owner loop, except {@link #touch} (any thread).
 */
final class QueueExpiry {

    private final Queue queue;
    private final ReadyList ready;
    private final EventExecutor owner;
    /** Expired messages dead-lettered per turn at most (see {@link #dropExpired}). */
    static final int DEAD_LETTER_BUDGET = Queue.DISPATCH_BUDGET;

    private volatile long lastUsedMillis = System.currentTimeMillis();
    /** Owner loop: bumped by a policy change, which ends the unused-queue checks already scheduled. */
    private int unusedClock;
    private ScheduledFuture<?> timer;
    private long timerAt = Long.MAX_VALUE;

    QueueExpiry(Queue queue, ReadyList ready, EventExecutor owner) {
        this.queue = queue;
        this.ready = ready;
        this.owner = owner;
    }

    /** Starts the x-expires clock, if the queue has one. */
    void start() {
        if (policy().expires() > 0) {
            int clock = unusedClock;
            owner.execute(() -> checkUnused(clock));
        }
    }

    /**
     * The queue's policy may have changed: an expiry counts from now (as RabbitMQ restarts its
     * timer when a policy sets one), and the checks scheduled for the old one stop.
     */
    void policyChanged() {
        unusedClock++;
        lastUsedMillis = System.currentTimeMillis();
        start();
    }

    /** The queue's policy in effect, read at each use: a policy change replaces it. */
    private QueuePolicy policy() {
        return queue.policy();
    }

    /** The queue was used: x-expires counts from here. */
    void touch() {
        if (policy().expires() > 0) {
            lastUsedMillis = System.currentTimeMillis();
        }
    }

    /** Whether the head of the queue can expire at all (else dispatch need not read the clock). */
    boolean matters() {
        Message head = ready.peek();
        return head != null && (queue.messageTtls().any() || head.expiresAtMillis() != Long.MAX_VALUE);
    }

    private long expiryOf(Message m) {
        long own = m.expiresAtMillis();
        long ttl = queue.messageTtls().at(m.arrivalMillis());
        if (ttl < 0) {
            return own;
        }
        long at = m.arrivalMillis() + ttl;
        return Math.min(own, at < 0 ? Long.MAX_VALUE : at); // a policy's TTL has no upper bound: no overflow
    }

    /** Whether the message may only be delivered straight away (TTL 0). */
    private boolean zeroTtl(Message m) {
        return expiryOf(m) <= m.arrivalMillis();
    }

    /**
     * Drops expired messages at the head. With {@code spareZeroTtl}, fresh messages whose TTL is 0
     * are left for a consumer that can take them now (RabbitMQ delivers those if it can); one that
     * came back from a consumer is not spared.
     *
     * <p>With {@code bounded}, a queue that dead-letters drops at most {@link #DEAD_LETTER_BUDGET}
     * per call, and none while the queue it dead-letters into is behind ({@link Queue#heldBack}):
     * a backlog expiring at once (paged out, even) must not pour into the other queue's inbox
     * faster than that queue takes it in. Answers false when it stopped with an expired message
     * still at the head (which must then not be delivered); the queue is woken when it may go on.
     */
    boolean dropExpired(long now, boolean spareZeroTtl, boolean bounded) {
        int budget = bounded && policy().deadLetters() ? DEAD_LETTER_BUDGET : Integer.MAX_VALUE;
        Message head;
        while ((head = ready.peek()) != null && expiryOf(head) <= now) {
            if (spareZeroTtl && zeroTtl(head) && !ready.headCameBack()) {
                // A message back from a consumer had its chance: RabbitMQ expires it on requeue.
                return true;
            }
            if (budget != Integer.MAX_VALUE) {
                if (queue.heldBack()) {
                    return false; // woken when the hold ends
                }
                if (budget-- == 0) {
                    queue.wake();
                    return false;
                }
            }
            ready.poll();
            queue.expired(head);
        }
        return true;
    }

    /** Sets the timer for the head's expiry, unless one already fires by then. */
    void schedule() {
        Message head = ready.peek();
        long at = head == null ? Long.MAX_VALUE : expiryOf(head);
        if (at == Long.MAX_VALUE || at >= timerAt || queue.heldBack()) { // a hold's end wakes the queue
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        long delay = Math.max(0, at - System.currentTimeMillis());
        timer = owner.schedule(() -> {
            timer = null;
            timerAt = Long.MAX_VALUE;
            queue.run();
        }, delay + 1, TimeUnit.MILLISECONDS);
    }

    /** The queue is deleted: no timer fires for it any more. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** x-expires: delete the queue once it has gone unused (no consumers, no use) that long. */
    private void checkUnused(int clock) {
        long expires = policy().expires();
        if (queue.deleted() || clock != unusedClock || expires <= 0) {
            return;
        }
        boolean idleQueue = queue.consumerCount() == 0;
        long idle = System.currentTimeMillis() - lastUsedMillis;
        if (idleQueue && idle >= expires) {
            queue.expireUnused();
            return;
        }
        long wait = idleQueue ? expires - idle : expires;
        owner.schedule(() -> checkUnused(clock), Math.max(1, wait), TimeUnit.MILLISECONDS);
    }
}
