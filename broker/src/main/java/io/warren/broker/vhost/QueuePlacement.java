package io.warren.broker.vhost;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which event loop owns a new queue.
 *
 * <p>The loop with the fewest queues, not the declaring connection's: one admin connection
 * (Spring's RabbitAdmin, a deployment script, the HTTP API) declares most of an application's
 * queues, and on its loop they would all share one core while the others idle. Fewest queues
 * rather than a hash of vhost and name: a hash spreads many queues well but a few badly (two
 * busy queues on two loops share one loop half the time), and a few busy queues is the common
 * case where it matters. Among equally loaded loops the declaring connection's wins: same
 * spread, and no hop for the connection that declared the queue. The counts change only at declare and delete, never per message.
 *
 * <p>An exclusive queue stays on its connection's loop: only that connection may consume from
 * it, so the loop is free of hops for every delivery and ack, and it goes when the connection
 * does. Every other queue may be consumed from any connection, so the declaring one earns it
 * nothing; the channel reaches a queue on another loop through its submit and callQueue paths.
 *
 * <p>Concurrency: any thread; each vhost calls it under its own monitor, so two vhosts may
 * place a queue at the same moment on the same least loaded loop (a slight imbalance, no harm).
 */
public final class QueuePlacement {

    /** The old rule, for vhosts built without loops (unit tests): the declaring loop owns the queue. */
    public static final QueuePlacement DECLARING_LOOP = new QueuePlacement(List.of());

    private final EventExecutor[] loops;
    private final AtomicIntegerArray queues;

    public QueuePlacement(EventExecutorGroup group) {
        this(list(group));
    }

    private QueuePlacement(List<EventExecutor> loops) {
        this.loops = loops.toArray(new EventExecutor[0]);
        this.queues = new AtomicIntegerArray(this.loops.length);
    }

    private static List<EventExecutor> list(EventExecutorGroup group) {
        List<EventExecutor> out = new ArrayList<>();
        group.forEach(out::add);
        return out;
    }

    /**
     * The loop for a new queue. {@code declaringLoop} is the declaring connection's loop, or null
     * when no connection declares it (HTTP API, recovery at start).
     */
    EventExecutor place(EventExecutor declaringLoop, boolean exclusive) {
        int declaring = declaringLoop == null ? -1 : indexOf(declaringLoop);
        int chosen = exclusive && declaringLoop != null ? declaring : leastLoaded(declaring);
        if (chosen < 0) {
            return declaringLoop; // not one of ours (DECLARING_LOOP, or a test's own executor)
        }
        queues.incrementAndGet(chosen);
        return loops[chosen];
    }

    /** The queue that {@link #place} put on {@code owner} is gone. */
    void released(EventExecutor owner) {
        int i = indexOf(owner);
        if (i >= 0) {
            queues.decrementAndGet(i);
        }
    }

    /** Queues on {@code loop} now; for tests and the HTTP API. */
    public int queuesOn(EventExecutor loop) {
        int i = indexOf(loop);
        return i < 0 ? 0 : queues.get(i);
    }

    /**
     * The loop with the fewest queues; the declaring one ({@code declaring}, -1 for none) when it
     * is among them: the spread is the same, and the queue's first user, often its only
     * publisher or consumer, reaches it without a hop.
     */
    private int leastLoaded(int declaring) {
        int best = -1;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < loops.length; i++) {
            int n = queues.get(i);
            if (n < fewest) {
                fewest = n;
                best = i;
            }
        }
        return declaring >= 0 && queues.get(declaring) == fewest ? declaring : best;
    }

    private int indexOf(EventExecutor loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) {
                return i;
            }
        }
        return -1;
    }
}
