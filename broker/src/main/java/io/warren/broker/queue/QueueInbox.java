package io.warren.broker.queue;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A queue's way in from other threads, and the credit its publishers get.
 *
 * <p>Items (offered messages, settled deliveries, tasks) go onto a lock-free multi-producer
 * inbox, and the queue is scheduled on its loop at most once until it runs: however many
 * messages arrive in one read batch, the queue wakes once and takes them all in. No lock is
 * taken per message.
 *
 * <p>Intake budget: a turn takes in at most {@link #INTAKE_BUDGET} items before the queue
 * dispatches, so deliveries keep flowing while messages pour in; what is left waits for the
 * next turn, after the loop's other work.
 *
 * <p>Credit, as RabbitMQ's credit flow: messages offered but not yet taken in are counted; past
 * {@link #FLOW_HIGH} {@link #offer} answers "behind" and the publishing connection stops reading
 * until {@link #whenCaughtUp} tells it the queue has taken in its backlog (below half the mark).
 * Without it a publisher faster than the queue would grow the inbox without bound.
 *
 * <p>Concurrency: {@link #offer}, {@link #post} and {@link #whenCaughtUp} from any thread; the
 * rest on the queue's loop.
 */
final class QueueInbox {

    /** Messages on their way in above which publishers to this queue are paused. */
    static final int FLOW_HIGH = 4096;
    /** Items taken in per turn before dispatching and yielding the loop: fewer than are
     * dispatched, so that a queue with willing consumers does not build a backlog. */
    static final int INTAKE_BUDGET = Queue.DISPATCH_BUDGET / 2;

    /** What the queue does with one item; answers whether it was an offered message. */
    interface Intake {
        boolean takeIn(Object item);
    }

    /** The queue's JCTools inbox (1,024-slot chunks), as Netty's own task queues use. */
    private final java.util.Queue<Object> items = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Messages offered and not yet taken in by the owner loop. */
    private final AtomicInteger incoming = new AtomicInteger();
    private final EventExecutor owner;
    private final Runnable turn;
    private final Intake intake;
    /** Owner loop: publishers paused by flow control, resumed once the intake is small again. */
    private final ArrayList<Runnable> pausedPublishers = new ArrayList<>();

    /** {@code turn} is the queue's run, scheduled on {@code owner} whenever items wait. */
    QueueInbox(EventExecutor owner, Runnable turn, Intake intake) {
        this.owner = owner;
        this.turn = turn;
        this.intake = intake;
    }

    /** Hands a message in; answers true when the queue is behind (the publisher should pause). */
    boolean offer(Object message) {
        boolean behind = incoming.incrementAndGet() > FLOW_HIGH;
        post(message);
        return behind;
    }

    void post(Object item) {
        items.offer(item);
        if (scheduled.compareAndSet(false, true)) {
            owner.execute(turn);
        }
    }

    /**
     * Runs {@code resume} on the queue's loop once what was offered before this call is taken in
     * and the intake is below half of {@link #FLOW_HIGH} (at once if the queue is deleted).
     */
    void whenCaughtUp(Runnable resume, Queue queue) {
        post((Runnable) () -> {
            pausedPublishers.add(resume);
            resumePublishers(queue.deleted());
        });
    }

    /** Owner loop, at the start of a turn: items posted from now on schedule another. */
    void turnStarted() {
        scheduled.set(false);
    }

    /** Owner loop: takes in at most {@link #INTAKE_BUDGET} items. */
    void takeTurn() {
        int budget = INTAKE_BUDGET;
        Object item;
        int messages = 0;
        while (budget-- > 0 && (item = items.poll()) != null) {
            if (intake.takeIn(item)) {
                messages++;
            }
        }
        if (messages > 0) {
            incoming.addAndGet(-messages);
        }
    }

    /** Owner loop, at the end of a turn: more arrived, or the budget ran out: after the loop's other work. */
    void turnEnded() {
        if (!items.isEmpty() && scheduled.compareAndSet(false, true)) {
            owner.execute(turn);
        }
    }

    /** Owner loop: takes in everything posted before this call, however much (see {@link Queue#catchUp}). */
    void takeAll() {
        Object end = new Object();
        items.offer(end); // what other threads post from now on stays for the next turn
        Object item;
        int messages = 0;
        while ((item = items.poll()) != end && item != null) {
            if (intake.takeIn(item)) {
                messages++;
            }
        }
        if (messages > 0) {
            incoming.addAndGet(-messages);
        }
    }

    /** Owner loop: resumes the paused publishers once the intake is small again (or at once when deleted). */
    void resumePublishers(boolean deleted) {
        if (!pausedPublishers.isEmpty() && (deleted || incoming.get() <= FLOW_HIGH / 2)) {
            for (int i = 0; i < pausedPublishers.size(); i++) {
                pausedPublishers.get(i).run();
            }
            pausedPublishers.clear();
        }
    }
}
