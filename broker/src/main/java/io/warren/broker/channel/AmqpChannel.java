package io.warren.broker.channel;

import io.warren.amqp.AccessMethod;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicMethod;
import io.warren.amqp.ChannelMethod;
import io.warren.amqp.ConfirmMethod;
import io.warren.amqp.ExchangeMethod;
import io.warren.amqp.QueueMethod;
import io.warren.amqp.ReplyCode;
import io.warren.amqp.TxMethod;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Consumer;
import io.warren.broker.queue.ConsumerSink;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import java.util.List;
import java.util.function.Supplier;

/**
 * One AMQP channel: the state machine (open → closing → closed), dispatch of its methods to the
 * collaborators that own each concern, and the ordering rule that makes asynchronous queues look
 * synchronous to the client.
 *
 * <p>Ordering: AMQP answers a channel's methods in the order they were sent. Most methods are
 * answered on the spot. The few that need a queue's own state (basic.get, basic.consume's
 * exclusivity, purge, delete) run on the queue's loop; when that is another loop the channel
 * <em>suspends</em> ({@link ChannelSuspension}): later commands wait until the answer comes back
 * through the connection's outbox, then run in order.
 *
 * <p>Concurrency: connection loop only, except the {@link ConsumerSink} methods, which queues call
 * from their own loops and which only hand work over.
 */
public final class AmqpChannel implements ConsumerSink {

    /**
     * ENDING: the client closed the channel; close-ok waits until its consumers' queues have
     * let them go (see {@link #channel}). CLOSING: we closed it, and wait for the client's close-ok.
     */
    private enum State { OPEN, ENDING, CLOSING, CLOSED }

    private final int number;
    private final ChannelConnection connection;
    private final VirtualHost vhost;
    private final AccessControl access;
    private final ExchangeCommands exchanges;
    private final QueueCommands queues;
    private final Publisher publisher;
    private final Subscriptions subscriptions;
    private final ChannelSuspension suspension;
    private State state = State.OPEN;
    /** The queue named by the last queue.declare, for the spec's empty-name shortcut. */
    private String lastQueue;

    public AmqpChannel(int number, ChannelConnection connection) {
        this.number = number;
        this.connection = connection;
        this.suspension = new ChannelSuspension(this, connection);
        this.vhost = connection.vhost();
        this.access = new AccessControl(connection.account(), vhost.name());
        this.exchanges = new ExchangeCommands(this);
        this.queues = new QueueCommands(this);
        this.subscriptions = new Subscriptions(this);
        this.publisher = new Publisher(this, subscriptions);
    }

    public int number() {
        return number;
    }

    /** Connection loop: what the management API shows of this channel, as of now. */
    public ChannelSnapshot snapshot() {
        ChannelSnapshot.Builder b = new ChannelSnapshot.Builder(number);
        b.open = state == State.OPEN;
        subscriptions.describe(b);
        publisher.describe(b);
        return b.build();
    }

    ChannelConnection connection() {
        return connection;
    }

    VirtualHost vhost() {
        return vhost;
    }

    QueueCommands queueCommands() {
        return queues;
    }

    AccessControl access() {
        return access;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    // ---- Dispatch ---------------------------------------------------------------------------

    /** Handles one command; the channel owns it from here and releases it. */
    public void handle(AmqpCommand command) {
        if (state != State.OPEN) {
            if (state != State.ENDING) {
                onWhileClosing(command.method());
            }
            command.release();
            return;
        }
        if (suspension.holds(command)) {
            return;
        }
        dispatch(command);
    }

    /** Runs one command now (directly, or resumed by the suspension); releases it. */
    void dispatch(AmqpCommand command) {
        AmqpMethod m = command.method();
        boolean contentTaken = false;
        try {
            if (m instanceof BasicMethod.Publish p) {
                contentTaken = true;
                publisher.publish(p, command);
            } else if (m instanceof BasicMethod b) {
                basic(b);
            } else if (m instanceof QueueMethod q) {
                queue(q);
            } else if (m instanceof ExchangeMethod e) {
                exchange(e);
            } else if (m instanceof ChannelMethod c) {
                channel(c);
            } else if (m instanceof ConfirmMethod.Select s) {
                publisher.confirmSelect(s);
            } else if (m instanceof TxMethod t) {
                tx(t);
            } else if (m instanceof AccessMethod.Request) {
                send(new AccessMethod.RequestOk(1));
            } else {
                throw unexpected(m);
            }
        } finally {
            if (!contentTaken) {
                command.release();
            }
        }
    }

    private void basic(BasicMethod m) {
        if (m instanceof BasicMethod.Ack a) {
            subscriptions.ack(a.deliveryTag(), a.multiple(), m);
        } else if (m instanceof BasicMethod.Consume c) {
            subscriptions.consume(c);
        } else if (m instanceof BasicMethod.Qos q) {
            subscriptions.qos(q);
        } else if (m instanceof BasicMethod.Get g) {
            subscriptions.get(g);
        } else if (m instanceof BasicMethod.Nack n) {
            subscriptions.reject(n.deliveryTag(), n.multiple(), n.requeue(), m);
        } else if (m instanceof BasicMethod.Reject r) {
            subscriptions.reject(r.deliveryTag(), false, r.requeue(), m);
        } else if (m instanceof BasicMethod.Cancel c) {
            subscriptions.cancel(c);
        } else if (m instanceof BasicMethod.Recover r) {
            subscriptions.recover(r.requeue(), m);
            send(new BasicMethod.RecoverOk());
        } else if (m instanceof BasicMethod.RecoverAsync r) {
            subscriptions.recover(r.requeue(), m);
        } else {
            throw unexpected(m);
        }
    }

    private void queue(QueueMethod m) {
        if (m instanceof QueueMethod.Declare d) {
            queues.declare(d);
        } else if (m instanceof QueueMethod.Bind b) {
            queues.bind(b);
        } else if (m instanceof QueueMethod.Unbind u) {
            queues.unbind(u);
        } else if (m instanceof QueueMethod.Purge p) {
            queues.purge(p);
        } else if (m instanceof QueueMethod.Delete d) {
            queues.delete(d);
        } else {
            throw unexpected(m);
        }
    }

    private void exchange(ExchangeMethod m) {
        if (m instanceof ExchangeMethod.Declare d) {
            exchanges.declare(d);
        } else if (m instanceof ExchangeMethod.Delete d) {
            exchanges.delete(d);
        } else if (m instanceof ExchangeMethod.Bind b) {
            exchanges.bind(b);
        } else if (m instanceof ExchangeMethod.Unbind u) {
            exchanges.unbind(u);
        } else {
            throw unexpected(m);
        }
    }

    private void channel(ChannelMethod m) {
        if (m instanceof ChannelMethod.Close) {
            // As RabbitMQ's channel tells its queues it is going before close-ok: a declare on
            // another channel right after close-ok must not count its consumers any more.
            state = State.ENDING;
            List<Queue> consumed = release();
            int[] waiting = {consumed.size()};
            Runnable ended = () -> {
                if (state == State.ENDING) {
                    send(new ChannelMethod.CloseOk());
                    state = State.CLOSED;
                    connection.channelClosed(this);
                }
            };
            if (consumed.isEmpty()) {
                ended.run();
            }
            for (Queue q : consumed) {
                // behind the consumer's removal, which release() posted to the same queue
                q.submit(() -> connection.post(() -> {
                    if (--waiting[0] == 0) {
                        ended.run();
                    }
                }));
            }
        } else if (m instanceof ChannelMethod.Flow f) {
            // RabbitMQ refuses to be paused by a client (a connection error), and answers
            // active=true, which changes nothing.
            if (!f.active()) {
                throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "active=false", m.classId(), m.methodId());
            }
            send(new ChannelMethod.FlowOk(true));
        } else if (m instanceof ChannelMethod.FlowOk) {
            // We never send channel.flow; nothing awaits this.
        } else {
            throw unexpected(m);
        }
    }

    private void tx(TxMethod m) {
        if (m instanceof TxMethod.Select) {
            publisher.txSelect();
            send(new TxMethod.SelectOk());
        } else if (m instanceof TxMethod.Commit) {
            publisher.txCommit();
        } else if (m instanceof TxMethod.Rollback) {
            publisher.txRollback();
            send(new TxMethod.RollbackOk());
        } else {
            throw unexpected(m);
        }
    }

    /** Methods a client must never send (server-to-client ones, or -ok replies to nothing); RabbitMQ's text. */
    private static AmqpException unexpected(AmqpMethod m) {
        return new AmqpException(ReplyCode.COMMAND_INVALID, "unimplemented method", m.classId(), m.methodId());
    }

    // ---- Closing ----------------------------------------------------------------------------

    /** A channel error: tell the client, drop our state, wait for close-ok. */
    public void closeWithError(AmqpException e) {
        if (state != State.OPEN) {
            return;
        }
        release();
        state = State.CLOSING;
        send(new ChannelMethod.Close(e.replyCode().code(), ReplyText.of(e), e.classId(), e.methodId()));
    }

    /**
     * After we sent channel.close, only its close-ok ends the channel; anything else is
     * dropped. A close from the client crossed ours: it gets its close-ok, and the client, once
     * it sees our close, still sends the close-ok we wait for; forgetting the channel before
     * that would make the close-ok a frame for a channel that is not open (a connection error).
     */
    private void onWhileClosing(AmqpMethod m) {
        if (m instanceof ChannelMethod.Close) {
            send(new ChannelMethod.CloseOk());
        } else if (m instanceof ChannelMethod.CloseOk) {
            state = State.CLOSED;
            connection.channelClosed(this);
        }
    }

    /** The connection is gone: release everything, send nothing. */
    public void connectionClosed() {
        if (state != State.CLOSED) {
            if (state != State.ENDING) {
                release();
            }
            state = State.CLOSED;
        }
    }

    /** Drops the channel's state; answers the queues its consumers were on. */
    private List<Queue> release() {
        suspension.release();
        List<Queue> consumed = subscriptions.release();
        publisher.release();
        return consumed;
    }

    // ---- Suspension: queue work on another loop, or the disk -------------------------------

    /** See {@link ChannelSuspension#callQueue}. */
    <T> void callQueue(Queue queue, Supplier<T> op, ChannelSuspension.Continuation<T> then) {
        suspension.callQueue(queue, op, then);
    }

    /** See {@link ChannelSuspension#awaitDisk}. */
    void awaitDisk(Persistence persistence, Runnable then) {
        suspension.awaitDisk(persistence, then);
    }

    /** See {@link ChannelSuspension#callQueueLater}. */
    <T> void callQueueLater(Queue queue, java.util.function.Consumer<java.util.function.Consumer<T>> op,
                            ChannelSuspension.Continuation<T> then) {
        suspension.callQueueLater(queue, op, then);
    }

    /**
     * Answers a topology method ({@code reply} null: nowait). When it changed something durable,
     * the answer and the channel's later methods wait until the change is on disk, as RabbitMQ
     * answers a durable declare, bind or delete only after writing it: a crash right after the
     * -ok keeps the change. Anything else is answered at once.
     */
    void replyTopology(boolean durableChange, AmqpMethod reply) {
        Persistence persistence = connection.services().persistence();
        if (durableChange && persistence != null) {
            suspension.awaitDisk(persistence, () -> {
                if (reply != null) {
                    send(reply);
                }
            });
        } else if (reply != null) {
            send(reply);
        }
    }

    // ---- Output -----------------------------------------------------------------------------

    void send(AmqpMethod method) {
        connection.send(number, method);
    }

    void write(AmqpCommand command) {
        connection.write(command);
    }

    /** Called by the connection at the end of a batch. */
    public void flushConfirms() {
        publisher.flushConfirms();
    }

    /** Called by the connection when its socket drains: queues may deliver again. */
    public void wakeConsumers() {
        subscriptions.wakeQueues();
    }


    // ---- Queue name shortcut ----------------------------------------------------------------

    void lastQueue(String name) {
        this.lastQueue = name;
    }

    /**
     * The spec's shortcut: an empty queue name means the queue last declared on this channel
     * (RabbitMQ: 404 "no previously declared queue" when there is none).
     */
    String expandQueueName(String name, AmqpMethod m) {
        if (!name.isEmpty()) {
            return name;
        }
        if (lastQueue == null) {
            throw new AmqpException(ReplyCode.NOT_FOUND, "no previously declared queue", m.classId(), m.methodId());
        }
        return lastQueue;
    }

    // ---- ConsumerSink (called on queue loops) -----------------------------------------------

    @Override
    public void deliver(Delivery delivery) {
        connection.post(delivery);
    }

    /** Connection loop: writes a delivery a queue handed over (or returns it if it cannot). */
    @Override
    public void writeDelivery(Delivery d) {
        subscriptions.write(d);
    }

    @Override
    public boolean writable() {
        return connection.acceptsDeliveries();
    }

    @Override
    public boolean tryAcquireChannelCredit() {
        return subscriptions.tryAcquireChannelCredit();
    }

    @Override
    public boolean channelCreditAvailable() {
        return subscriptions.channelCreditAvailable();
    }

    /**
     * The notice waits while the channel is suspended: when this channel deleted the queue
     * itself, RabbitMQ answers delete-ok before the basic.cancel (the channel is busy with the
     * delete when the queue's notice reaches it), and so does Warren, whichever loop the queue
     * is on and whether the delete-ok waits for the disk.
     */
    @Override
    public void cancelledByQueue(Consumer consumer) {
        connection.post(() -> suspension.notice(() -> subscriptions.cancelledByQueue(consumer)));
    }

    @Override
    public String toString() {
        return "channel " + number + " of " + connection.remoteAddress();
    }
}
