package io.warren.broker.channel;

import io.netty.buffer.ByteBuf;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicMethod;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ConfirmMethod;
import io.warren.amqp.ContentHeader;
import io.warren.amqp.ReplyCode;
import io.warren.amqp.TxMethod;
import io.warren.broker.message.Message;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.routing.DeadLetters;
import io.warren.broker.routing.DirectReplyTo;
import io.warren.broker.routing.MessageRouter;
import io.warren.exchange.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The publishing side of a channel: basic.publish through the router into queues, mandatory
 * returns, publisher confirms and transactions.
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
    /** Publishes inside a transaction (tx.select), routed at commit. */
    private List<Pending> transaction;

    private record Pending(Message message, boolean mandatory, List<String> extraKeys) {}

    /** CC and BCC routing keys of the message being published (sender-selected distribution), or null. */
    private List<String> extraKeys;
    /** Its BCC keys alone, or null: dead-lettering routes with them again (they leave the header). */
    private List<String> bccKeys;

    Publisher(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
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
            x = exchange(p.exchange(), p);
            if (x.internal()) {
                throw new AmqpException(ReplyCode.ACCESS_REFUSED, "cannot publish to internal exchange '"
                        + p.exchange() + "' in vhost '" + channel.vhost().name() + "'", p.classId(), p.methodId());
            }
            channel.access().write("exchange", p.exchange(), p);
            header = checkProperties(header, p);
            long now = System.currentTimeMillis();
            long expiresAt = expiresAt(header, now, p);
            header = senderSelected(header, p);
            message = new Message(channel.connection().services().nextMessageId(), p.exchange(), p.routingKey(),
                    header, body, now, expiresAt);
            if (bccKeys != null) {
                message.bccRoutingKeys(bccKeys);
            }
        } catch (RuntimeException e) {
            // The header may have been replaced (and the original released) by then.
            header.release();
            if (body != null) {
                body.release();
            }
            throw e;
        }
        if (transaction != null) {
            transaction.add(new Pending(message, p.mandatory(), extraKeys));
            return;
        }
        counters.received.increment();
        if (!publishedBefore) {
            publishedBefore = true;
            channel.connection().markPublisher();
        }
        long seq = confirms.enabled() ? confirms.next() : 0;
        try {
            route(x, message, p.mandatory(), seq);
        } finally {
            message.release(); // also when routing failed: the channel error must not leak it
        }
        if (seq != 0) {
            channel.connection().markDirty(channel);
        }
    }

    /**
     * RabbitMQ's checks on the properties a publisher sets: user-id must be the authenticated
     * user; reply-to "amq.rabbitmq.reply-to" (direct reply-to) is rewritten to the channel's own
     * reply address, and needs the channel to consume its replies first. Answers the header to
     * use (a new one when rewritten; the old one is then released).
     */
    private ContentHeader checkProperties(ContentHeader header, AmqpMethod m) {
        String userId = header.userId();
        if (userId != null && !userId.equals(channel.access().userName())) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "user_id property set to '" + userId
                    + "' but authenticated user was '" + channel.access().userName() + "'", m.classId(), m.methodId());
        }
        if (!DirectReplyTo.QUEUE.equals(header.replyTo())) {
            return header;
        }
        String token = subscriptions.replyToken();
        if (token == null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist",
                    m.classId(), m.methodId());
        }
        BasicProperties p = header.properties();
        BasicProperties rewritten = new BasicProperties(p.contentType(), p.contentEncoding(), p.headers(),
                p.deliveryMode(), p.priority(), p.correlationId(), DirectReplyTo.PREFIX + token, p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
        ContentHeader replaced = ContentHeader.of(header.classId(), rewritten, header.bodySize());
        header.release();
        return replaced;
    }

    /**
     * RabbitMQ's sender-selected distribution: long-string arrays in the CC and BCC headers are
     * more routing keys for this message (other array elements are ignored); BCC is removed before
     * anyone sees it. A CC or BCC header that is not an array makes the message invalid (406), as
     * in RabbitMQ. The raw headers are only scanned, not decoded, unless one of the two keys may
     * be there.
     */
    private ContentHeader senderSelected(ContentHeader header, AmqpMethod m) {
        extraKeys = null;
        bccKeys = null;
        boolean cc = header.mayHaveHeader("CC");
        boolean bcc = header.mayHaveHeader("BCC");
        if (!cc && !bcc) {
            return header;
        }
        Map<String, Object> headers = header.headers();
        checkRoutingHeader(headers, "CC", m);
        checkRoutingHeader(headers, "BCC", m);
        List<String> keys = new ArrayList<>();
        DeadLetters.addRoutingKeys(headers.get("CC"), keys);
        boolean hasBcc = headers.containsKey("BCC");
        if (hasBcc) {
            List<String> hidden = new ArrayList<>();
            DeadLetters.addRoutingKeys(headers.get("BCC"), hidden);
            keys.addAll(hidden);
            bccKeys = hidden.isEmpty() ? null : hidden;
        }
        extraKeys = keys.isEmpty() ? null : keys;
        if (!hasBcc) {
            return header;
        }
        Map<String, Object> kept = new LinkedHashMap<>(headers);
        kept.remove("BCC");
        BasicProperties p = header.properties();
        BasicProperties without = new BasicProperties(p.contentType(), p.contentEncoding(), kept,
                p.deliveryMode(), p.priority(), p.correlationId(), p.replyTo(), p.expiration(),
                p.messageId(), p.timestamp(), p.type(), p.userId(), p.appId(), p.clusterId());
        ContentHeader replaced = ContentHeader.of(header.classId(), without, header.bodySize());
        header.release();
        return replaced;
    }

    /** RabbitMQ's rabbit_basic:header_routes refuses a CC or BCC header that is not an array. */
    private static void checkRoutingHeader(Map<String, Object> headers, String key, AmqpMethod m) {
        if (headers.containsKey(key) && !(headers.get(key) instanceof List<?>)) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid message: {unacceptable_type_in_header,\""
                    + key + "\"," + QueueArguments.amqpTypeName(headers.get(key)) + "}", m.classId(), m.methodId());
        }
    }

    /** The expiration property as an absolute time; RabbitMQ refuses one that is not a number. */
    private static long expiresAt(ContentHeader header, long now, AmqpMethod m) {
        String expiration = header.expiration();
        if (expiration == null) {
            return Long.MAX_VALUE;
        }
        long ttl;
        try {
            ttl = Long.parseLong(expiration);
        } catch (NumberFormatException e) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration
                    + "': no_integer", m.classId(), m.methodId());
        }
        if (ttl < 0) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration
                    + "': {value_negative," + ttl + "}", m.classId(), m.methodId());
        }
        return now + ttl;
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
                counters.routed.increment();
            } else {
                unroutable(message, mandatory);
            }
            return;
        }
        int routed = router.collect(channel.vhost().topology(), x, message, extraKeys);
        if (routed == 0 && router.refused() == 0) {
            unroutable(message, mandatory);
        } else if (routed > 0) {
            counters.routed.increment();
        }
        if (seq != 0 && router.refused() > 0) {
            confirms.nack(seq);
        }
        if (routed == 0) {
            return;
        }
        // Without confirms (seq 0) nobody waits: the store commits the message with a later
        // group commit, no fsync of its own.
        if (router.deliver(message, seq, seq != 0 ? this : null) && seq != 0) {
            confirms.await(seq);
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
        if (confirms.hasWork() && channel.isOpen()) {
            counters.confirmed.add(confirms.flush(channel));
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
        long now = System.currentTimeMillis();
        for (Pending p : publishes) {
            Message m = p.message();
            m.enteringQueuesAt(now);
            Exchange x = channel.vhost().topology().exchange(m.exchange());
            int routed = router.collect(channel.vhost().topology(), x, m, p.extraKeys());
            if (routed == 0) {
                unroutable(m, p.mandatory());
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
