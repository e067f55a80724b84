package io.warren.broker.channel;

import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpException;
import io.warren.amqp.ReplyCode;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * A channel waiting for an answer from elsewhere: from a queue on another loop (basic.get,
 * basic.consume, purge, delete) or from the disk (a durable change, tx.commit). AMQP answers a
 * channel's methods in order, so while it waits, the channel's later commands and the queues'
 * notices to it are held here, and run in order once the answer is back.
 *
 * <p>Concurrency: the channel's connection loop only; answers come back through the
 * connection's outbox.
 */
final class ChannelSuspension {

    private final AmqpChannel channel;
    private final ChannelConnection connection;
    private boolean suspended;
    private final ArrayDeque<AmqpCommand> pending = new ArrayDeque<>();
    /** Notices from queues that arrived while suspended, sent once the awaited answer is out. */
    private ArrayDeque<Runnable> heldNotices;

    ChannelSuspension(AmqpChannel channel, ChannelConnection connection) {
        this.channel = channel;
        this.connection = connection;
    }

    /** Keeps {@code command} for later when the channel waits; false when it may run now. */
    boolean holds(AmqpCommand command) {
        if (!suspended) {
            return false;
        }
        pending.add(command);
        return true;
    }

    /** Runs a queue's notice now, or once the awaited answer is out. */
    void notice(Runnable notice) {
        if (!suspended) {
            notice.run();
            return;
        }
        if (heldNotices == null) {
            heldNotices = new ArrayDeque<>();
        }
        heldNotices.add(notice);
    }

    /**
     * Runs {@code op} on the queue's loop and {@code then} with its result back on this channel,
     * in order with the channel's other methods. On the queue's own loop it runs inline after
     * the queue has taken in everything posted to it before (so a purge counts every message
     * published before it on this channel); on another loop it is posted behind them.
     */
    <T> void callQueue(Queue queue, Supplier<T> op, Continuation<T> then) {
        if (queue.owner().inEventLoop()) {
            queue.catchUp();
            then.accept(op.get(), true);
            return;
        }
        suspended = true;
        queue.submit(() -> {
            T result = op.get();
            connection.post(() -> resumeWith(result, then));
        });
    }

    /**
     * As {@link #callQueue}, for an operation that may answer later (basic.get waiting for its
     * head to come back from the page store): {@code op} gets where to send its answer, on the
     * queue's loop; the channel's later methods wait for it.
     */
    <T> void callQueueLater(Queue queue, java.util.function.Consumer<java.util.function.Consumer<T>> op,
                            Continuation<T> then) {
        if (queue.owner().inEventLoop()) {
            queue.catchUp();
            Answer<T> answer = new Answer<>();
            op.accept(answer);
            if (answer.given) {
                then.accept(answer.value, true);
                return;
            }
            suspended = true;
            answer.later = result -> connection.post(() -> resumeWith(result, then));
            return;
        }
        suspended = true;
        queue.submit(() -> op.accept(result -> connection.post(() -> resumeWith(result, then))));
    }

    /** An answer taken inline if it comes at once, else passed on to {@code later}. */
    private static final class Answer<T> implements java.util.function.Consumer<T> {
        boolean given;
        T value;
        java.util.function.Consumer<T> later;

        @Override
        public void accept(T result) {
            if (later != null) {
                later.accept(result);
            } else {
                given = true;
                value = result;
            }
        }
    }

    /**
     * Holds the channel's later methods until everything submitted to the store so far is on
     * disk, then runs {@code then} (tx.commit-ok).
     */
    void awaitDisk(Persistence persistence, Runnable then) {
        suspended = true;
        persistence.flush(failure -> connection.post(() -> resumeWith(failure, (error, open) -> {
            if (!open) {
                return;
            }
            if (error != null) {
                throw new AmqpException(ReplyCode.INTERNAL_ERROR, "could not write to disk: " + error.getMessage(),
                        90, 20);
            }
            then.run();
        })));
    }

    /** The channel closed: what it held is dropped (commands released). */
    void release() {
        AmqpCommand c;
        while ((c = pending.poll()) != null) {
            c.release();
        }
        suspended = false;
        heldNotices = null;
    }

    private <T> void resumeWith(T result, Continuation<T> then) {
        boolean open = channel.isOpen();
        suspended = false; // before the continuation, which may suspend again (awaitDisk)
        try {
            then.accept(result, open);
        } catch (AmqpException e) {
            connection.onError(e.channel() == 0 ? e.withChannel(channel.number()) : e);
        }
        if (!open) {
            return;
        }
        Runnable notice;
        while (!suspended && channel.isOpen() && heldNotices != null && (notice = heldNotices.poll()) != null) {
            notice.run();
        }
        AmqpCommand next;
        while (!suspended && channel.isOpen() && (next = pending.poll()) != null) {
            try {
                channel.dispatch(next);
            } catch (AmqpException e) {
                connection.onError(e.channel() == 0 ? e.withChannel(channel.number()) : e);
            }
        }
    }

    /** What to do with a queue's answer; {@code open} is false when the channel closed meanwhile. */
    @FunctionalInterface
    interface Continuation<T> {
        void accept(T result, boolean open);
    }
}
