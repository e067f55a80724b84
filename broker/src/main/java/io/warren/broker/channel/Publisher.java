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
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.message.Message;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.exchange.Exchange;
import io.warren.exchange.RouteSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The publishing side of a channel: basic.publish through the router into queues, mandatory
 * returns, publisher confirms and transactions.
 *
 * <p>The hot path: look up the exchange (cached while the channel keeps publishing to the same
 * one), wrap header and body in a {@link Message} without copying, route (the router yields
 * each queue to this object, which collects them in a reused list), store it if it is persistent
 * and bound for a durable queue, offer it to each queue, then count the confirm. A transient
 * publish allocates no lambda and no collection.
 *
 * <p>Concurrency: connection loop only.
 */
final class Publisher implements RouteSink<Queue> {

    private final AmqpChannel channel;
    private final Subscriptions subscriptions;
    private final Confirms confirms = new Confirms();
    private String cachedExchangeName;
    private Exchange cachedExchange;
    /** The queues the message being routed goes to, filled by {@link #accept}. */
    private final ArrayList<Queue> destinations = new ArrayList<>();
    /** Null when the broker keeps nothing on disk. */
    private final Persistence persistence;
    /** Publishes inside a transaction (tx.select), routed at commit. */
    private List<Pending> transaction;

    private record Pending(Message message, boolean mandatory) {}

    Publisher(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
        this.persistence = channel.connection().broker().persistence();
    }

    /** Takes ownership of the command's content (header and body) and releases the rest. */
    void publish(BasicMethod.Publish p, AmqpCommand command) {
        ContentHeader header = command.header();
        ByteBuf body = command.body();
        Message message;
        Exchange x;
        try {
            if (p.immediate()) {
                throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "immediate=true", p.classId(), p.methodId());
            }
            x = exchange(p.exchange(), p);
            if (x.internal()) {
                throw new AmqpException(ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '"
                        + p.exchange() + "' in vhost '" + channel.vhost().name() + "'", p.classId(), p.methodId());
            }
            channel.access().write("exchange", p.exchange(), p);
            message = new Message(channel.connection().broker().nextMessageId(), p.exchange(), p.routingKey(),
                    header, body);
        } catch (RuntimeException e) {
            command.release();
            throw e;
        }
        if (transaction != null) {
            transaction.add(new Pending(message, p.mandatory()));
            return;
        }
        long seq = confirms.enabled() ? confirms.next() : 0;
        route(x, message, p.mandatory(), seq);
        if (seq != 0) {
            channel.connection().markDirty(channel);
        }
        message.release();
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
     * Routes and enqueues one message. A persistent message bound for durable queues goes to the
     * store first (so no ack can reach the store before it), and its confirm, if any, waits for
     * the store's completion; everything else is confirmable at once.
     */
    private void route(Exchange x, Message message, boolean mandatory, long seq) {
        int routed = 0;
        if (x != null) {
            try {
                routed = channel.vhost().topology().route(x, message, this);
            } catch (RuntimeException e) {
                destinations.clear();
                throw e;
            }
        }
        if (routed == 0) {
            if (mandatory) {
                BasicMethod.Return ret = new BasicMethod.Return(ReplyCode.NO_ROUTE.code(), "NO_ROUTE",
                        message.exchange(), message.routingKey());
                channel.write(new AmqpCommand(channel.number(), ret, message.header().retain(),
                        message.body().retainedDuplicate()));
            }
            return;
        }
        if (message.persistent() && persistence != null) {
            store(message, seq);
        }
        for (int i = 0; i < routed; i++) {
            Queue q = destinations.get(i);
            message.retain();
            q.offer(message);
        }
        destinations.clear();
    }

    private void store(Message message, long seq) {
        List<String> keys = null;
        for (int i = 0; i < destinations.size(); i++) {
            Queue q = destinations.get(i);
            if (Persistence.storesMessages(q)) {
                if (keys == null) {
                    keys = new ArrayList<>(destinations.size());
                }
                keys.add(Persistence.storeKey(q));
            }
        }
        if (keys == null) {
            return;
        }
        if (seq == 0) {
            persistence.storeMessage(message, keys, null);
            return;
        }
        confirms.await(seq);
        AmqpConnection connection = channel.connection();
        persistence.storeMessage(message, keys, failure -> connection.post(() -> {
            confirms.finished(seq, failure == null);
            connection.markDirty(channel);
        }));
    }

    /** The router's callback: one queue the message goes to (offered once routing is done). */
    @Override
    public void accept(Queue queue) {
        destinations.add(queue);
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
        if (confirms.hasWork() && channel.isOpen()) {
            confirms.flush(channel);
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
            transaction = new ArrayList<>();
            subscriptions.beginTransaction();
        }
    }

    /**
     * Routes the transaction's publishes in order, settles its acks, and answers commit-ok once
     * the persistent ones are on disk.
     */
    void txCommit() {
        List<Pending> publishes = requireTransaction(new TxMethod.Commit());
        transaction = new ArrayList<>();
        boolean stored = false;
        for (Pending p : publishes) {
            Message m = p.message();
            route(channel.vhost().topology().exchange(m.exchange()), m, p.mandatory(), 0);
            stored |= m.persistent();
            m.release();
        }
        subscriptions.commitSettlements();
        if (stored && persistence != null) {
            channel.awaitDisk(persistence, () -> channel.send(new TxMethod.CommitOk()));
        } else {
            channel.send(new TxMethod.CommitOk());
        }
    }

    void txRollback() {
        List<Pending> publishes = requireTransaction(new TxMethod.Rollback());
        transaction = new ArrayList<>();
        for (Pending p : publishes) {
            p.message().release();
        }
        subscriptions.rollbackSettlements();
    }

    private List<Pending> requireTransaction(AmqpMethod m) {
        if (transaction == null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "channel is not transactional",
                    m.classId(), m.methodId());
        }
        return transaction;
    }

    /** The channel is closing: uncommitted publishes are dropped. */
    void release() {
        if (transaction != null) {
            for (Pending p : transaction) {
                p.message().release();
            }
            transaction = null;
        }
    }
}
