package io.warren.broker.connection;

import io.netty.channel.ChannelHandlerContext;
import io.warren.amqp.AmqpCommand;
import io.warren.broker.channel.AmqpChannel;
import io.warren.broker.queue.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A connection's way out to its socket, and its way in for the queues on other loops.
 *
 * <p>Queues hand over deliveries and continuations through {@link #post}: they go on a lock-free
 * queue that the connection's loop drains once per wake-up, writing every frame and flushing once
 * at the end. Frames written while handling inbound commands are flushed once at read-complete
 * ({@link #afterBatch}). So the socket sees batches, never one syscall per frame.
 *
 * <p>It also holds queues back when the client reads slower than they deliver: past
 * {@link #MAX_IN_FLIGHT} deliveries waiting here, or while the socket is not writable, queues
 * stop; the connection wakes them once it has caught up.
 *
 * <p>Concurrency: {@link #post} and {@link #acceptsDeliveries} from any thread; the rest on the
 * connection's loop.
 */
final class Outbox implements Runnable {

    /** Deliveries posted but not yet written above which queues hold back (see {@link #acceptsDeliveries}). */
    private static final int MAX_IN_FLIGHT = 2048;

    private final AmqpConnection connection;
    private ChannelHandlerContext ctx;

    /** The queue Netty's own task queues use (JCTools, 1,024-slot chunks), through its public API. */
    private final java.util.Queue<Object> items = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean writable = true;
    private volatile boolean holdingBack;

    private final List<AmqpChannel> dirtyChannels = new ArrayList<>();
    private boolean needsFlush;

    Outbox(AmqpConnection connection) {
        this.connection = connection;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Writes a command (method, and content if any); the flush comes at the end of the batch. */
    void write(AmqpCommand command) {
        ctx.write(command, ctx.voidPromise());
        needsFlush = true;
    }

    /** A channel has confirms to send at the end of this batch. */
    void markDirty(AmqpChannel channel) {
        dirtyChannels.add(channel);
    }

    /** End of a batch (a read, or a drain of the outbox): confirms out, one flush. */
    void afterBatch() {
        if (!dirtyChannels.isEmpty()) {
            for (int i = 0; i < dirtyChannels.size(); i++) {
                dirtyChannels.get(i).flushConfirms();
            }
            dirtyChannels.clear();
        }
        flushIfNeeded();
    }

    void flushIfNeeded() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    /**
     * Whether queues may hand this connection more deliveries: the socket is writable and not
     * too many are waiting here. A queue that finds it false stops; the connection wakes it when
     * it drains.
     */
    boolean acceptsDeliveries() {
        if (!writable) {
            return false;
        }
        if (inFlight.get() < MAX_IN_FLIGHT) {
            return true;
        }
        // Announce first, then look again: the connection lowers inFlight before it reads
        // holdingBack, so either we see its progress or it sees our flag and wakes us.
        holdingBack = true;
        return inFlight.get() < MAX_IN_FLIGHT;
    }

    void post(Delivery delivery) {
        inFlight.incrementAndGet();
        items.offer(delivery);
        schedule();
    }

    void post(Runnable task) {
        items.offer(task);
        schedule();
    }

    /** The socket's writability changed; when it can take more, the outbox drains again. */
    void writabilityChanged(boolean now) {
        writable = now;
        if (now) {
            schedule();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            ctx.executor().execute(this);
        }
    }

    /** Drains the outbox: deliveries and continuations, in the order they were posted. */
    @Override
    public void run() {
        scheduled.set(false);
        Object item;
        while ((item = items.peek()) != null) {
            if (item instanceof Delivery d) {
                if (writable || !connection.isOpen()) {
                    items.poll();
                    inFlight.decrementAndGet();
                    handOver(d);
                } else {
                    break;
                }
            } else {
                items.poll();
                ((Runnable) item).run();
            }
        }
        afterBatch();
        if (holdingBack && writable) {
            holdingBack = false;
            connection.wakeQueues();
        }
    }

    /** The connection is closing: deliveries still here go to their (closed) channels, which give them back. */
    void returnDeliveries() {
        Object item;
        while ((item = items.poll()) != null) {
            if (item instanceof Delivery d) {
                inFlight.decrementAndGet();
                handOver(d);
            }
        }
    }

    private static void handOver(Delivery d) {
        d.consumer().sink().writeDelivery(d);
    }
}
