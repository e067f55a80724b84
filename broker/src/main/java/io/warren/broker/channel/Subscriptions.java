package io.warren.broker.channel;

import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.message.Message;
import io.warren.broker.routing.DirectReplyTo;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.queue.Consumer;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Delivery.Settlement;
import io.warren.broker.queue.Queue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consuming side of a channel: consumers, prefetch, the deliveries it writes and the acks,
 * rejects and recovers that settle them. Direct reply-to's consumer is {@link DirectReplies};
 * settlements inside a transaction wait in {@link TxSettlements}.
 *
 * <p>Concurrency: connection loop, except {@link #tryAcquireChannelCredit}
 * and {@link #channelCreditAvailable}, which queues call from their loops.
 */
final class Subscriptions {

    private final AmqpChannel channel;
    private final Map<String, Consumer> consumers = new LinkedHashMap<>();
    private final UnackedDeliveries unacked = new UnackedDeliveries();
    private final ChannelCredit channelCredit = new ChannelCredit();
    private final BrokerCounters counters;
    /** basic.qos global=false: the prefetch given to consumers created from now on. */
    private int consumerPrefetch;
    private long nextDeliveryTag = 1;
    /** Direct reply-to: this channel's reply consumer (idle until consumed). */
    private final DirectReplies replies;
    /** Deliveries acked inside a transaction, settled at commit; null outside tx mode. */
    private TxSettlements txSettlements;

    Subscriptions(AmqpChannel channel) {
        this.channel = channel;
        this.counters = channel.connection().services().counters();
        this.replies = new DirectReplies(channel, this);
    }

    // ---- basic.qos ----------------------------------------------------------------------------

    void qos(BasicMethod.Qos m) {
        if (m.prefetchSize() != 0) {
            throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + m.prefetchSize() + ")",
                    m.classId(), m.methodId());
        }
        if (m.global()) {
            channelCredit.limit(m.prefetchCount());
            wakeQueues();
        } else {
            consumerPrefetch = m.prefetchCount();
        }
        channel.send(new BasicMethod.QosOk());
    }

    // ---- basic.consume / cancel -------------------------------------------------------------

    void consume(BasicMethod.Consume m) {
        if (m.queue().equals(DirectReplyTo.QUEUE)) {
            replies.consume(m);
            return;
        }
        QueueCommands queues = channel.queueCommands();
        String name = channel.expandQueueName(m.queue(), m);
        channel.access().read("queue", name, m); // before the queue's existence, as RabbitMQ
        Queue q = queues.existing(name, m);
        queues.checkExclusive(q, m);
        String tag = freeTag(m);
        Map<String, Object> args = m.arguments() == null ? Map.of() : m.arguments();
        String invalid = ConsumerArguments.invalid(args, q.definition());
        if (invalid != null) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, invalid, m.classId(), m.methodId());
        }
        int priority = ConsumerArguments.priority(args);
        Consumer consumer = new Consumer(tag, q, channel, m.noAck(), m.exclusive(), consumerPrefetch, priority, args);
        consumers.put(tag, consumer);
        channel.callQueue(q, () -> q.addConsumer(consumer), (refusal, open) -> {
            if (refusal != null || !open) {
                consumers.remove(tag);
                consumer.markCancelled();
                if (open) {
                    throw new AmqpException(ReplyCode.ACCESS_REFUSED, refusal, m.classId(), m.methodId());
                }
                q.submit(() -> q.removeConsumer(consumer));
                return;
            }
            if (q.deleted()) {
                consumers.remove(tag);
                throw Errors.noQueue(q.name(), channel.vhost().name(), m);
            }
            if (!m.noWait()) {
                channel.send(new BasicMethod.ConsumeOk(tag));
            }
        });
    }

    /** The consumer tag asked for, or a generated one; 530 when a consumer of this channel has it. */
    String freeTag(BasicMethod.Consume m) {
        String tag = m.consumerTag().isEmpty() ? Names.consumerTag() : m.consumerTag();
        if (consumers.containsKey(tag)) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'",
                    m.classId(), m.methodId());
        }
        return tag;
    }

    /** The token of this channel's direct reply-to consumer, or null when it has none. */
    String replyToken() {
        return replies.token();
    }

    /** The next delivery tag of this channel (deliveries, get-oks and direct replies share them). */
    long nextDeliveryTag() {
        return nextDeliveryTag++;
    }

    void cancel(BasicMethod.Cancel m) {
        if (replies.isTag(m.consumerTag())) {
            replies.stop();
            if (!m.noWait()) {
                channel.send(new BasicMethod.CancelOk(m.consumerTag()));
            }
            return;
        }
        Consumer c = consumers.remove(m.consumerTag());
        if (c == null) {
            if (!m.noWait()) {
                channel.send(new BasicMethod.CancelOk(m.consumerTag()));
            }
            return;
        }
        // From here on no delivery for this tag is written: those already on their way are
        // returned to the queue when the connection drains them. cancel-ok waits for the queue,
        // as RabbitMQ's does: a declare after it no longer counts the consumer.
        c.markCancelled();
        Queue q = c.queue();
        channel.callQueue(q, () -> q.removeConsumer(c), (removed, open) -> {
            if (open && !m.noWait()) {
                channel.send(new BasicMethod.CancelOk(m.consumerTag()));
            }
        });
    }

    /** The queue was deleted under a consumer: RabbitMQ's consumer cancel notification. */
    void cancelledByQueue(Consumer c) {
        if (consumers.remove(c.tag()) != c || !channel.isOpen()) {
            return;
        }
        if (channel.connection().consumerCancelNotify()) {
            channel.send(new BasicMethod.Cancel(c.tag(), true));
        }
    }

    // ---- Deliveries -------------------------------------------------------------------------

    /**
     * Writes a delivery handed over by a queue, or gives it back if its consumer is gone. A
     * no-ack one is not given back: the queue settled it when it handed it out, as RabbitMQ
     * does, and counts it delivered, as RabbitMQ counts what its channel passed to the writer.
     */
    void write(Delivery d) {
        Consumer c = d.consumer();
        if (!channel.isOpen() || c.cancelled()) {
            if (c.noAck()) {
                counters.delivered.increment();
                counters.deliveredConsumeAutoAck.increment();
                d.message().release();
                return;
            }
            if (channelCredit.release()) {
                wakeQueues(); // the credit it held may be what another of our queues waits for
            }
            d.settle(Settlement.UNSENT);
            return;
        }
        long tag = nextDeliveryTag++;
        d.deliveryTag(tag);
        Message m = d.message();
        BasicMethod.Deliver deliver = new BasicMethod.Deliver(c.tag(), tag, d.redelivered(), m.exchange(),
                m.routingKey());
        channel.write(new AmqpCommand(channel.number(), deliver, m.header().retain(), m.body().retain()));
        counters.delivered.increment();
        (c.noAck() ? counters.deliveredConsumeAutoAck : counters.deliveredConsumeManualAck).increment();
        if (d.redelivered()) {
            counters.redelivered.increment();
        }
        if (c.noAck()) {
            m.release();
        } else {
            unacked.add(d);
        }
    }

    void get(BasicMethod.Get m) {
        QueueCommands queues = channel.queueCommands();
        String name = channel.expandQueueName(m.queue(), m);
        channel.access().read("queue", name, m); // before the queue's existence, as RabbitMQ
        Queue q = queues.existing(name, m);
        queues.checkExclusive(q, m);
        channel.callQueueLater(q, answer -> q.get(m.noAck(), answer), (Delivery d, boolean open) -> {
            if (d == null) {
                if (open) {
                    counters.getEmpty.increment();
                    channel.send(new BasicMethod.GetEmpty(""));
                }
                return;
            }
            if (!open) {
                if (m.noAck()) {
                    d.message().release();
                } else {
                    d.settle(Settlement.UNSENT);
                }
                return;
            }
            long tag = nextDeliveryTag++;
            d.deliveryTag(tag);
            Message msg = d.message();
            BasicMethod.GetOk ok = new BasicMethod.GetOk(tag, d.redelivered(), msg.exchange(), msg.routingKey(),
                    q.messageCount());
            channel.write(new AmqpCommand(channel.number(), ok, msg.header().retain(), msg.body().retain()));
            (m.noAck() ? counters.deliveredGetAutoAck : counters.deliveredGet).increment();
            if (m.noAck()) {
                msg.release();
            } else {
                unacked.add(d);
            }
        });
    }

    // ---- Settlement -------------------------------------------------------------------------

    void ack(long tag, boolean multiple, AmqpMethod m) {
        settle(tag, multiple, Settlement.ACK, m);
    }

    void reject(long tag, boolean multiple, boolean requeue, AmqpMethod m) {
        settle(tag, multiple, requeue ? Settlement.REQUEUE : Settlement.DROP, m);
    }

    /**
     * RabbitMQ's rules: tag 0 with multiple settles everything; otherwise the tag itself must be
     * outstanding (406 "unknown delivery tag", also for a second ack of the same tag).
     */
    private void settle(long tag, boolean multiple, Settlement how, AmqpMethod m) {
        if (multiple && tag == 0) {
            unacked.removeAll(d -> settleOne(d, how));
            return;
        }
        if (!unacked.contains(tag)) {
            throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag,
                    m.classId(), m.methodId());
        }
        if (multiple) {
            unacked.removeUpTo(tag, d -> settleOne(d, how));
        } else {
            settleOne(unacked.remove(tag), how);
        }
    }

    private void settleOne(Delivery d, Settlement how) {
        if (txSettlements != null) {
            txSettlements.add(d, how);
            return;
        }
        finish(d, how);
    }

    private void finish(Delivery d, Settlement how) {
        if (how == Settlement.ACK) {
            counters.acknowledged.increment();
        }
        if (d.consumer() != null && channelCredit.release()) {
            wakeQueues();
        }
        d.settle(how);
    }

    /** basic.recover(requeue=true): every unacked delivery goes back to its queue. */
    void recover(boolean requeue, AmqpMethod m) {
        if (!requeue) {
            throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "requeue=false", m.classId(), m.methodId());
        }
        unacked.removeAll(d -> finish(d, Settlement.REQUEUE));
    }

    // ---- Transactions -----------------------------------------------------------------------

    void beginTransaction() {
        txSettlements = new TxSettlements();
    }

    void commitSettlements() {
        txSettlements.commit(this::finish);
    }

    /** Acks inside a rolled-back transaction never happened: the deliveries are unacked again. */
    void rollbackSettlements() {
        txSettlements.rollback(unacked);
    }

    // ---- Flow, credit, wake-ups -------------------------------------------------------------

    boolean tryAcquireChannelCredit() {
        return channelCredit.tryAcquire();
    }

    boolean channelCreditAvailable() {
        return channelCredit.available();
    }

    /**
     * Wakes the queues of this channel's consumers, starting each time at a random one: under a
     * channel-wide limit the queue woken first takes the credit an ack gave back, so a fixed
     * order would drain one queue before the others get anything. RabbitMQ's limiter varies the
     * order the same way (it starts its list at a random queue).
     *
     * <p>Queues live on different loops, so woken together they race, and one on an idle loop
     * would win every time over one queued behind this connection's work. So the first one is
     * woken alone, and the others from its loop once it has run: it has first pick of the credit,
     * and whatever it leaves is still taken.
     */
    void wakeQueues() {
        replies.drain();
        int n = consumers.size();
        if (n == 0) {
            return;
        }
        // a random start, as RabbitMQ's limiter: a rotation counter is skewed by the extra wake-ups
        // that writability changes and closes add, and can then start at the same queue every time
        int first = n == 1 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
        Queue head = null;
        List<Queue> rest = n == 1 ? List.of() : new ArrayList<>(n - 1);
        int i = 0;
        for (Consumer c : consumers.values()) {
            if (i++ == first) {
                head = c.queue();
            } else {
                rest.add(c.queue());
            }
        }
        head.wake();
        if (!rest.isEmpty()) {
            head.owner().execute(() -> {
                for (int k = 0; k < rest.size(); k++) {
                    rest.get(k).wake();
                }
            });
        }
    }

    /** The channel is closing: cancel consumers, requeue everything unacked; answers the consumers' queues. */
    List<Queue> release() {
        replies.stop();
        List<Queue> consumed = consumers.isEmpty() ? List.of() : new ArrayList<>(2);
        for (Consumer c : consumers.values()) {
            c.markCancelled();
            Queue q = c.queue();
            q.submit(() -> q.removeConsumer(c));
            if (!consumed.contains(q)) {
                consumed.add(q);
            }
        }
        consumers.clear();
        if (txSettlements != null) {
            rollbackSettlements();
            txSettlements = null;
        }
        unacked.removeAll(d -> finish(d, Settlement.REQUEUE));
        return consumed;
    }
}
