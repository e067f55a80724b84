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
 * each queue to this object, which retains the message once per queue and offers it), then
 * count the confirm. No per-message lambda, no collection.
 *
 * <p>Concurrency: connection loop only.
 */
final class Publisher implements RouteSink<Queue> {

    private final AmqpChannel channel;
    private final Subscriptions subscriptions;
    private final Confirms confirms = new Confirms();
    private String cachedExchangeName;
    private Exchange cachedExchange;
    /** The message being routed, for {@link #accept}. */
    private Message routing;
    /** Publishes inside a transaction (tx.select), routed at commit. */
    private List<Pending> transaction;

    private record Pending(Message message, boolean mandatory) {}

    Publisher(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
    }

    /** Takes ownership of the command's content (header and body) and releases the rest. */
    void publish(BasicMethod.Publish p, AmqpCommand command) {
        ContentHeader header = command.header();
        ByteBuf body = command.body();
        Message message;
        try {
            if (p.immediate()) {
                throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "immediate=true", p.classId(), p.methodId());
            }
            Exchange x = exchange(p.exchange(), p);
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
        route(message, p.mandatory());
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

    private void route(Message message, boolean mandatory) {
        Exchange x = channel.vhost().topology().exchange(message.exchange());
        int routed = 0;
        if (x != null) {
            routing = message;
            try {
                routed = channel.vhost().topology().route(x, message, this);
            } finally {
                routing = null;
            }
        }
        if (routed == 0 && mandatory) {
            BasicMethod.Return ret = new BasicMethod.Return(ReplyCode.NO_ROUTE.code(), "NO_ROUTE",
                    message.exchange(), message.routingKey());
            channel.write(new AmqpCommand(channel.number(), ret, message.header().retain(),
                    message.body().retainedDuplicate()));
        }
    }

    /** The router's callback: one queue the message goes to. */
    @Override
    public void accept(Queue queue) {
        Message m = routing;
        m.retain();
        queue.offer(m);
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

    void txCommit() {
        List<Pending> publishes = requireTransaction(new TxMethod.Commit());
        transaction = new ArrayList<>();
        for (Pending p : publishes) {
            route(p.message(), p.mandatory());
            p.message().release();
        }
        subscriptions.commitSettlements();
        channel.send(new TxMethod.CommitOk());
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
