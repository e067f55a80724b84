package io.warren.broker.channel;

import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.BasicMethod;
import io.warren.amqp.ReplyCode;

import io.warren.broker.message.Message;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.routing.DirectReplyTo;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct reply-to on the requesting channel: its consumer of {@code amq.rabbitmq.reply-to}, with
 * no queue behind it. RabbitMQ requires no-ack (replies are never redelivered) and one such
 * consumer per channel.
 *
 * <p>Bounded like a queue's deliveries, without a queue to keep the rest in: a reply is written
 * only while the connection takes deliveries (its socket is writable); otherwise it waits here
 * until the socket drains. Replies handed over and not yet written may add up to
 * {@link #MAX_PENDING_BYTES}; past that a requester that does not read refuses further replies,
 * which the responder sees as unroutable (returned when mandatory, as when the requester is
 * gone) — direct reply-to is at-most-once, and RabbitMQ 4.2 likewise drops replies for a
 * requester without credit. The responder's connection is never paused for it, so one stuck
 * requester does not hold up a responder serving many.
 *
 * <p>Concurrency: {@link #offer} runs on responders' loops and only counts and posts; the rest
 * runs on this channel's connection loop.
 */
final class DirectReplies implements DirectReplyTo.ReplyConsumer {

    /** Bytes of replies handed over and not yet written above which new ones are refused. */
    static final long MAX_PENDING_BYTES = 4L << 20;
    /** What a reply costs besides its body (message, header, frames), so that empty replies count too. */
    private static final int OVERHEAD_BYTES = 256;

    private final AmqpChannel channel;
    private final Subscriptions subscriptions;
    private final BrokerCounters counters;
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Replies waiting for the socket to drain, oldest first (connection loop only). */
    private final ArrayDeque<Message> held = new ArrayDeque<>();
    private String tag;
    private String token;

    DirectReplies(AmqpChannel channel, Subscriptions subscriptions) {
        this.channel = channel;
        this.subscriptions = subscriptions;
        this.counters = channel.connection().services().counters();
    }

    /** basic.consume of the pseudo-queue. */
    void consume(BasicMethod.Consume m) {
        if (!m.noAck()) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "reply consumer cannot acknowledge",
                    m.classId(), m.methodId());
        }
        if (token != null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "reply consumer already set",
                    m.classId(), m.methodId());
        }
        String consumerTag = subscriptions.freeTag(m);
        tag = consumerTag;
        token = channel.connection().services().directReplyTo().register(this);
        if (!m.noWait()) {
            channel.send(new BasicMethod.ConsumeOk(consumerTag));
        }
    }

    boolean isTag(String consumerTag) {
        return consumerTag.equals(tag);
    }

    /** The token of this channel's reply consumer, or null when it has none. */
    String token() {
        return token;
    }

    /** basic.cancel or channel close: no more replies; those waiting are dropped. */
    void stop() {
        if (token != null) {
            channel.connection().services().directReplyTo().unregister(token);
            token = null;
            tag = null;
        }
        Message m;
        while ((m = held.poll()) != null) {
            done(m);
        }
    }

    /** Any thread: takes a reply unless too many wait to be written already. */
    @Override
    public boolean offer(Message m) {
        long cost = cost(m);
        long pending = pendingBytes.get();
        // one reply larger than the bound still gets through when nothing else waits
        if (pending > 0 && pending + cost > MAX_PENDING_BYTES) {
            return false;
        }
        pendingBytes.addAndGet(cost);
        m.retain();
        ChannelConnection connection = channel.connection();
        connection.post(() -> arrived(m));
        return true;
    }

    private void arrived(Message m) {
        if (!channel.isOpen() || token == null) {
            done(m);
        } else if (!held.isEmpty() || !channel.connection().acceptsDeliveries()) {
            held.add(m);
        } else {
            write(m);
        }
    }

    /** The connection may take deliveries again: write what waited, in order, while it lasts. */
    void drain() {
        while (!held.isEmpty() && channel.connection().acceptsDeliveries()) {
            write(held.poll());
        }
    }

    private void write(Message m) {
        BasicMethod.Deliver deliver = new BasicMethod.Deliver(tag, subscriptions.nextDeliveryTag(), false,
                m.exchange(), m.routingKey());
        channel.write(new AmqpCommand(channel.number(), deliver, m.header().retain(),
                m.body() == null ? null : m.body().retain()));
        counters.delivered.increment();
        counters.deliveredConsumeAutoAck.increment(); // a reply-to consumer is always no-ack
        done(m);
    }

    private void done(Message m) {
        pendingBytes.addAndGet(-cost(m));
        m.release();
    }

    /** Bytes handed over and not yet written (for tests and diagnostics). */
    long pendingBytes() {
        return pendingBytes.get();
    }

    private static long cost(Message m) {
        return m.bodySize() + OVERHEAD_BYTES;
    }
}
