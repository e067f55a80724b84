package io.warren.broker.connection;

import io.netty.channel.ChannelHandlerContext;
import io.warren.amqp.ConnectionMethod;
import io.warren.broker.queue.Queue;
import java.util.ArrayList;

/**
 * When a connection stops reading its socket: while the memory or the disk alarm is raised, if it ever
 * published (clients that support it hear connection.blocked / unblocked, as from RabbitMQ), and
 * while a queue it published to is behind on taking messages in (RabbitMQ's credit flow). The
 * frames already read are still processed; a closing connection always reads, so that the
 * peer's answer and the end of its socket are seen.
 *
 * <p>Concurrency: the connection's loop, except {@link #memoryAlarm} (any thread).
 */
final class FlowControl {

    private final AmqpConnection connection;
    /** The resource alarms, as bits of {@link #raisedAlarms}. */
    static final int MEMORY = 1;
    static final int DISK = 2;

    private final MemoryAlarm alarm;
    private final DiskAlarm diskAlarm;
    private ChannelHandlerContext ctx;
    /** Some channel published here: the resource alarms block this connection. */
    private boolean publisher;
    /** Which alarms are raised, as this loop last heard. */
    private int raisedAlarms;
    private boolean blocked;
    /** connection.blocked went out and unblocked not yet: as RabbitMQ, told once however many alarms join. */
    private boolean toldBlocked;
    /**
     * What this connection stopped reading for: queues behind on intake, channels whose
     * confirms wait for the disk.
     */
    private final ArrayList<Object> pausedFor = new ArrayList<>(2);

    FlowControl(AmqpConnection connection, MemoryAlarm alarm, DiskAlarm diskAlarm) {
        this.connection = connection;
        this.alarm = alarm;
        this.diskAlarm = diskAlarm;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** A channel published: from now on the resource alarms apply to this connection. */
    void markPublisher() {
        if (!publisher) {
            publisher = true;
            raisedAlarms = (alarm.raised() ? MEMORY : 0) | (diskAlarm != null && diskAlarm.raised() ? DISK : 0);
            if (raisedAlarms != 0) {
                block(true);
            }
        }
    }

    /** Memory alarm raised or cleared (any thread). */
    void memoryAlarm(boolean raised) {
        resourceAlarm(MEMORY, raised);
    }

    /** The {@code which} alarm ({@link #MEMORY}, {@link #DISK}) raised or cleared (any thread). */
    void resourceAlarm(int which, boolean raised) {
        ctx.executor().execute(() -> {
            raisedAlarms = raised ? raisedAlarms | which : raisedAlarms & ~which;
            if (publisher && connection.isOpen()) {
                block(raisedAlarms != 0);
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
        if (connection.client().connectionBlocked() && toldBlocked != on) {
            toldBlocked = on;
            connection.send(0, on ? new ConnectionMethod.Blocked(reason()) : new ConnectionMethod.Unblocked());
            connection.flush();
        }
    }

    /** RabbitMQ's connection.blocked reason: "low on memory", "low on disk", "low on memory & disk". */
    private String reason() {
        return switch (raisedAlarms) {
            case MEMORY -> "low on memory";
            case DISK -> "low on disk";
            default -> "low on memory & disk";
        };
    }
}
