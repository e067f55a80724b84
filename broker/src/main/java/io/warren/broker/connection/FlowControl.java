package io.warren.broker.connection;

import io.netty.channel.ChannelHandlerContext;
import io.warren.amqp.ConnectionMethod;
import io.warren.broker.queue.Queue;
import java.util.ArrayList;

/**
 * When a connection stops reading its socket: while the memory alarm is raised, if it ever
 * published (clients that support it hear connection.blocked / unblocked, as from RabbitMQ), and
 * while a queue it published to is behind on taking messages in (RabbitMQ's credit flow). The
 * frames already read are still processed; a closing connection always reads, so that the
 * peer's answer and the end of its socket are seen.
 *
 * <p>Concurrency: the connection's loop, except {@link #memoryAlarm} (any thread).
 */
final class FlowControl {

    private final AmqpConnection connection;
    private final MemoryAlarm alarm;
    private ChannelHandlerContext ctx;
    /** Some channel published here: the memory alarm blocks this connection. */
    private boolean publisher;
    private boolean blocked;
    /**
     * What this connection stopped reading for: queues behind on intake, channels whose
     * confirms wait for the disk.
     */
    private final ArrayList<Object> pausedFor = new ArrayList<>(2);

    FlowControl(AmqpConnection connection, MemoryAlarm alarm) {
        this.connection = connection;
        this.alarm = alarm;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** A channel published: from now on the memory alarm applies to this connection. */
    void markPublisher() {
        if (!publisher) {
            publisher = true;
            if (alarm.raised()) {
                block(true);
            }
        }
    }

    /** Memory alarm raised or cleared (any thread). */
    void memoryAlarm(boolean raised) {
        ctx.executor().execute(() -> {
            if (publisher && connection.isOpen()) {
                block(raised);
            }
        });
    }

    /** Stop reading until {@code queue} has caught up on its intake. */
    void pauseFor(Queue queue) {
        if (pause(queue)) {
            queue.whenCaughtUp(() -> ctx.executor().execute(() -> resume(queue)));
        }
    }

    /** Stop reading until {@link #resume} with the same {@code cause}; false when already paused for it. */
    boolean pause(Object cause) {
        for (int i = 0; i < pausedFor.size(); i++) {
            if (pausedFor.get(i) == cause) {
                return false;
            }
        }
        pausedFor.add(cause);
        updateAutoRead();
        return true;
    }

    /** {@code cause} no longer holds reading back. */
    void resume(Object cause) {
        for (int i = 0; i < pausedFor.size(); i++) {
            if (pausedFor.get(i) == cause) {
                pausedFor.remove(i);
                updateAutoRead();
                return;
            }
        }
    }

    private void updateAutoRead() {
        boolean read = connection.isClosingOrClosed() || !blocked && pausedFor.isEmpty();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void block(boolean on) {
        if (blocked == on) {
            return;
        }
        blocked = on;
        updateAutoRead();
        if (connection.client().connectionBlocked()) {
            connection.send(0, on ? new ConnectionMethod.Blocked("low on memory") : new ConnectionMethod.Unblocked());
            connection.flush();
        }
    }
}
