package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicMethod;
import io.warren.amqp.ConfirmMethod;
import io.warren.amqp.ContentHeader;
import io.warren.amqp.ReplyCode;
import io.warren.amqp.TxMethod;
import io.warren.broker.message.Message;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.routing.DirectReplyTo;
import io.warren.broker.routing.MessageRouter;
import io.warren.exchange.Exchange;
import io.warren.store.Completion;
import java.util.List;

/**
 * The publishing side of a channel: basic.publish through the router into queues, mandatory
 * returns, publisher confirms and transactions (their held publishes are {@link Transaction});
 * the property checks are {@link PropertyChecks}.
 *
 * <p>The hot path: look up the exchange (cached while the channel keeps publishing to the same
 * one), wrap header and body in a {@link Message} without copying, route it with the channel's
 * {@link MessageRouter} (which reuses its destination list, stores it first if it is persistent
 * and bound for a durable queue, then offers it to each queue), then count the confirm. A
 * transient publish allocates no lambda and no collection.
 *
 * <p>Concurrency: connection loop only; store completions hop back to it through the
 * connection's outbox.
 */
final class Publisher implements MessageRouter.DiskListener {

    private final AmqpChannel channel;
    private final Subscriptions subscriptions;
    private final Confirms confirms = new Confirms();
    private final MessageRouter router;
    private final Persistence persistence;
    private final BrokerCounters counters;
    private String cachedExchangeName;
    private Exchange cachedExchange;
    private boolean publishedBefore;
    /** The connection stopped reading because too many confirms wait for the disk ({@link Confirms#full}). */
    private boolean pausedForDisk;
    /** The channel closed: its untold confirms were taken off the unconfirmed count once. */
    private boolean released;
    private final PropertyChecks checks;
    private final StoreBehind storeBehind = new StoreBehind();
    /** Publishes inside a transaction (tx.select), routed at commit; null outside tx mode. */
    private Transaction transaction;

    Publisher(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
        this.checks = new PropertyChecks(channel, subscriptions);
        this.persistence = channel.connection().services().persistence();
        this.router = new MessageRouter(persistence, channel.connection()::pauseFor);
        this.counters = channel.connection().services().counters();
    }

    /** Takes ownership of the command's content (header and body). */
    void publish(BasicMethod.Publish p, AmqpCommand command) {
        ContentHeader header = command.header();
        ByteBuf body = command.body();
        Message message;
        Exchange x;
        try {
            if (p.immediate()) {
                throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "immediate=true", p.classId(), p.methodId());
            }
            // RabbitMQ's order: write permission, the exchange's existence, internal, topic permission
            channel.access().publish(p.exchange(), p);
            x = exchange(p.exchange(), p);
            if (x.internal()) {
                throw new AmqpException(ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '"
                        + p.exchange() + "' in vhost '" + channel.vhost().name() + "'", p.classId(), p.methodId());
            }
            channel.access().topicWrite(x.name(), x.type(), p.routingKey(), p);
            header = checks.userAndReplyTo(header, p);
            long now = System.currentTimeMillis();
            long expiresAt = PropertyChecks.expiresAt(header, now, p);
            header = checks.senderSelected(header, p);
            if (transaction != null) {
                // what a transaction holds must be seen by the memory alarm (see Transaction)
                header = Transaction.onHeap(header);
                body = Transaction.onHeap(body);
            }
            message = new Message(channel.connection().services().nextMessageId(), p.exchange(), p.routingKey(),
                    header, body, now, expiresAt);
            if (checks.bccKeys() != null) {
                message.bccRoutingKeys(checks.bccKeys());
            }
        } catch (RuntimeException e) {
            // The header may have been replaced (and the original released) by then.
            header.release();
            if (body != null) {
                body.release();
            }
            throw e;
        }
        if (!publishedBefore) {
            // from now on the memory alarm blocks this connection, also when it only publishes
            // into transactions: what they hold until commit counts too
            publishedBefore = true;
            counters.publishers.increment();
            channel.connection().markPublisher();
        }
        if (transaction != null) {
            transaction.add(message, p.mandatory(), checks.extraKeys());
            return;
        }
        counters.received.increment();
        long seq = confirms.enabled() ? confirms.next() : 0;
        if (seq != 0) {
            counters.receivedConfirm.increment();
            counters.unconfirmed.increment();
        }
        try {
            route(x, message, p.mandatory(), seq);
        } finally {
            message.release(); // also when routing failed: the channel error must not leak it
        }
        if (seq != 0) {
            channel.connection().markDirty(channel);
        }
    }

    private Exchange exchange(String name, AmqpMethod m) {
        Exchange x = cachedExchange;
        if (x != null && name.equals(cachedExchangeName) && !x.isDeleted()) {
            return x;
        }
        x = channel.vhost().topology().exchange(name);
        if (x == null) {
            throw Errors.noExchange(name, channel.vhost().name(), m);
        }
        cachedExchange = x;
        cachedExchangeName = name;
        return x;
    }

    /**
     * Routes one message and settles its confirm: returned first if mandatory and unroutable,
     * nacked if a queue refused it at its length limit, otherwise acked at once or, when it went
     * to the store, once it is on disk.
     */
    private void route(Exchange x, Message message, boolean mandatory, long seq) {
        if (x.isDefault() && message.routingKey().startsWith(DirectReplyTo.PREFIX)) {
            if (channel.connection().services().directReplyTo().deliver(message.routingKey(), message)) {
                counters.routed.increment(); // to a reply consumer, not into a queue
            } else {
                unroutable(message, mandatory);
            }
            return;
        }
        int routed = router.collect(channel.vhost().topology(), x, message, checks.extraKeys());
        if (routed == 0 && router.refused() == 0) {
            unroutable(message, mandatory);
        } else if (routed > 0) {
            counters.routed.increment();
            counters.queuePublished.add(routed);
        }
        if (seq != 0 && router.refused() > 0) {
            confirms.nack(seq);
        }
        if (routed == 0) {
            return;
        }
        // Without confirms (seq 0) nobody waits: the store commits the message with a later
        // group commit, no fsync of its own.
        if (!router.deliver(message, seq, seq != 0 ? this : null)) {
            return;
        }
        if (seq != 0) {
            confirms.await(seq, message.bodySize());
            if (!pausedForDisk && confirms.full()) {
                // RabbitMQ's credit flow towards its message store: the publisher waits for the
                // disk to catch up (frames already read are still handled)
                pausedForDisk = true;
                channel.connection().pause(this);
            }
        } else if (!storeBehind.paused && persistence.pendingBytes() > StoreBehind.MAX_PENDING_BYTES) {
            storeBehind.pause();
        }
    }

    /**
     * Backpressure for persistent publishes without confirms: nothing waits for them, so only
     * the store's inbox would grow while the disk is slower than the publishers. Past
     * {@link #MAX_PENDING_BYTES} waiting there, the connection stops being read until a flush
     * submitted then has run, i.e. the store has taken in everything before it. Cause of the
     * pause, store completion and the task posted back to the loop in one object: a pause
     * allocates nothing.
     */
    private final class StoreBehind implements Completion, Runnable {

        /**
         * As Confirms' 64 MiB for confirmed publishes: enough for the writer to batch a few
         * group commits' worth of messages, small against the heap and the memory alarm.
         */
        static final long MAX_PENDING_BYTES = 64L << 20;

        /** connection loop only */
        boolean paused;

        void pause() {
            paused = true;
            channel.connection().pause(this);
            persistence.flush(this);
        }

        /** Store thread: everything stored before the pause is taken in (or the store failed). */
        @Override
        public void completed(Throwable failureOrNull) {
            channel.connection().post(this);
        }

        /** Connection loop: also after the channel closed, the pause ends when the store caught up. */
        @Override
        public void run() {
            paused = false;
            channel.connection().resume(this);
        }

        @Override
        public String toString() {
            return "message store inbox above " + (MAX_PENDING_BYTES >> 20) + " MiB";
        }
    }

    /** No queue took the message: basic.return it when mandatory (before its confirm), else drop it. */
    private void unroutable(Message message, boolean mandatory) {
        if (!mandatory) {
            counters.unroutableDropped.increment();
            return;
        }
        counters.unroutableReturned.increment();
        BasicMethod.Return ret = new BasicMethod.Return(ReplyCode.NO_ROUTE.code(), "NO_ROUTE",
                message.exchange(), message.routingKey());
        channel.write(new AmqpCommand(channel.number(), ret, message.header().retain(),
                message.body() == null ? null : message.body().retain()));
    }

    /** Store thread: a confirmed-mode message is on disk (or failed to get there). */
    @Override
    public void onDisk(long seq, Throwable failure) {
        ChannelConnection connection = channel.connection();
        connection.post(() -> {
            confirms.finished(seq, failure == null);
            if (pausedForDisk && confirms.drained()) {
                // also after the channel closed: the pause ends when the disk has caught up
                pausedForDisk = false;
                connection.resume(this);
            }
            connection.markDirty(channel);
        });
    }

    // ---- Confirms ---------------------------------------------------------------------------

    void confirmSelect(ConfirmMethod.Select m) {
        if (transaction != null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode",
                    m.classId(), m.methodId());
        }
        confirms.enable();
        if (!m.noWait()) {
            channel.send(new ConfirmMethod.SelectOk());
        }
    }

    void flushConfirms() {
        if (confirms.hasWork() && channel.isOpen() && !released) {
            long untold = confirms.untold();
            counters.confirmed.add(confirms.flush(channel));
            counters.unconfirmed.add(confirms.untold() - untold);
        }
    }

    // ---- Transactions -----------------------------------------------------------------------

    void txSelect() {
        if (confirms.enabled()) {
            TxMethod.Select m = new TxMethod.Select();
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode",
                    m.classId(), m.methodId());
        }
        if (transaction == null) {
            transaction = new Transaction();
            subscriptions.beginTransaction();
        }
    }

    /**
     * Routes the transaction's publishes in order, settles its acks, and answers commit-ok once
     * the persistent ones are on disk.
     */
    void txCommit() {
        List<Transaction.Pending> publishes = requireTransaction(new TxMethod.Commit()).take();
        boolean stored = false;
        long now = System.currentTimeMillis();
        for (Transaction.Pending p : publishes) {
            Message m = p.message();
            m.enteringQueuesAt(now);
            Exchange x = channel.vhost().topology().exchange(m.exchange());
            int routed = router.collect(channel.vhost().topology(), x, m, p.extraKeys());
            counters.received.increment(); // a transaction's publishes count when committed
            if (routed == 0) {
                unroutable(m, p.mandatory());
            } else {
                counters.routed.increment();
                counters.queuePublished.add(routed);
            }
            stored |= routed > 0 && router.deliver(m, 0, null);
            m.release();
        }
        subscriptions.commitSettlements();
        if (stored) {
            channel.awaitDisk(persistence, () -> channel.send(new TxMethod.CommitOk()));
        } else {
            channel.send(new TxMethod.CommitOk());
        }
    }

    void txRollback() {
        requireTransaction(new TxMethod.Rollback()).discard();
        subscriptions.rollbackSettlements();
    }

    private Transaction requireTransaction(AmqpMethod m) {
        if (transaction == null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "channel is not transactional",
                    m.classId(), m.methodId());
        }
        return transaction;
    }

    /** The channel is closing: uncommitted publishes are dropped, unconfirmed ones no longer counted. */
    void release() {
        if (!released) {
            released = true;
            counters.unconfirmed.add(-confirms.untold()); // never to be told now
            if (publishedBefore) {
                counters.publishers.decrement();
            }
        }
        if (transaction != null) {
            transaction.discard();
            transaction = null;
        }
    }
}
