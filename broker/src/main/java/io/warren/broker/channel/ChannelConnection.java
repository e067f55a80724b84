package io.warren.broker.channel;

import io.netty.util.concurrent.EventExecutor;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.broker.auth.User;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;

/**
 * The connection as its channels see it: who logged in where, the socket to write to, the loop
 * to come back to, and the broker-wide services a channel uses. The AMQP connection implements
 * it; the channel package knows nothing else about connections.
 *
 * <p>Concurrency: connection loop only, except {@link #post} and {@link #acceptsDeliveries},
 * which queues call from their own loops.
 */
public interface ChannelConnection {

    VirtualHost vhost();

    User user();

    /**
     * The logged-in user's account, whose current record the channel's permission checks read
     * (so changes apply to open connections); by default one that never changes.
     */
    default io.warren.broker.auth.UserRegistry.Account account() {
        return io.warren.broker.auth.UserRegistry.Account.fixed(user());
    }

    /** The client asked for basic.cancel when a queue goes away under its consumer. */
    boolean consumerCancelNotify();

    ChannelServices services();

    EventExecutor eventLoop();

    String remoteAddress();

    /** Writes a method on a channel; the flush comes at the end of the batch. */
    void send(int channel, AmqpMethod method);

    /** Writes a command (method, and content if any); the flush comes at the end of the batch. */
    void write(AmqpCommand command);

    /** Hands a delivery (from a queue on any loop) to the connection's loop. */
    void post(Delivery delivery);

    /** Runs {@code task} on the connection's loop after everything posted before it. */
    void post(Runnable task);

    /** Whether queues may hand this connection more deliveries (any thread). */
    boolean acceptsDeliveries();

    /** Routes a protocol error to the channel or the connection it belongs to. */
    void onError(AmqpException e);

    /** The channel finished its close handshake: forget its number. */
    void channelClosed(AmqpChannel channel);

    /** A channel has confirms to send at the end of this batch. */
    void markDirty(AmqpChannel channel);

    /** A channel published: from now on the memory alarm applies to this connection. */
    void markPublisher();

    /**
     * Flow control: a queue this connection published to is behind on taking messages in; stop
     * reading until it has caught up.
     */
    void pauseFor(Queue queue);

    /**
     * Flow control (connection loop): stop reading until {@link #resume} with the same
     * {@code cause}; false when already paused for it.
     */
    boolean pause(Object cause);

    /** Connection loop: {@code cause} no longer holds reading back. */
    void resume(Object cause);
}
