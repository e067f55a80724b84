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
 * <p>The same credit covers what this queue passes on: while a queue it dead-letters into is
 * behind on taking messages in, this queue's publishers are held back too ({@link #holdFor}), so
 * a queue that dead-letters everything it gets (TTL 0 with a dead-letter exchange, say) cannot
 * grow the other queue's inbox faster than that queue takes it in. The hold waits only for the
 * other queue's intake, never for that queue's own holds, so queues that dead-letter into each
 * other cannot wait on each other forever.
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
    /** Whether the page store has written what the queue paged out (publishers wait for it too). */
    private final java.util.function.BooleanSupplier writesCaughtUp;
    /** Owner loop: publishers paused by flow control, resumed once the intake is small again. */
    private final ArrayList<Runnable> pausedPublishers = new ArrayList<>();
    /** Owner loop: others waiting for this queue's intake alone (see {@link #holdFor}). */
    private ArrayList<Runnable> waitingForIntake;
    /** Owner loop: the queues this one dead-letters into that are behind; null when none. */
    private ArrayList<Queue> holdingFor;
    /** Whether publishers are held back for a queue this one passes messages on to. */
    private volatile boolean heldBack;

    /** {@code turn} is the queue's run, scheduled on {@code owner} whenever items wait. */
    QueueInbox(EventExecutor owner, Runnable turn, Intake intake, java.util.function.BooleanSupplier writesCaughtUp) {
        this.owner = owner;
        this.turn = turn;
        this.intake = intake;
        this.writesCaughtUp = writesCaughtUp;
    }

    /** Hands a message in; answers true when the queue is behind (the publisher should pause). */
    boolean offer(Object message) {
        boolean behind = incoming.incrementAndGet() > FLOW_HIGH || heldBack;
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

    /**
     * Owner loop: {@code target}, which this queue just passed a message on to, is behind on
     * taking messages in. Until it has caught up, this queue's publishers are told they are
     * behind, and {@code self} (the queue) stops passing on more than its budget per turn.
     */
    void holdFor(Queue target, Queue self) {
        if (target == self) {
            return; // its own credit already covers it
        }
        if (holdingFor == null) {
            holdingFor = new ArrayList<>(2);
        }
        for (int i = 0; i < holdingFor.size(); i++) {
            if (holdingFor.get(i) == target) {
                return;
            }
        }
        holdingFor.add(target);
        heldBack = true;
        target.whenTakenIn(() -> self.submit(() -> {
            holdingFor.remove(target);
            if (holdingFor.isEmpty()) {
                heldBack = false;
                self.wake(); // what it held back (expired messages) goes on
                resumePublishers(self.deleted());
            }
        }));
    }

    /** Whether a queue this one passes messages on to is behind (see {@link #holdFor}). */
    boolean heldBack() {
        return heldBack;
    }

    /**
     * Runs {@code then} on the queue's loop once its intake is below half of {@link #FLOW_HIGH},
     * whatever holds its own publishers back (at once if the queue is deleted).
     */
    void whenTakenIn(Runnable then, Queue queue) {
        post((Runnable) () -> {
            if (waitingForIntake == null) {
                waitingForIntake = new ArrayList<>(2);
            }
            waitingForIntake.add(then);
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
        boolean intakeSmall = deleted || incoming.get() <= FLOW_HIGH / 2;
        if (intakeSmall && waitingForIntake != null && !waitingForIntake.isEmpty()) {
            runAll(waitingForIntake);
        }
        boolean caughtUp = intakeSmall && (deleted || writesCaughtUp.getAsBoolean());
        if (caughtUp && (deleted || !heldBack) && !pausedPublishers.isEmpty()) {
            runAll(pausedPublishers);
        }
    }

    private static void runAll(ArrayList<Runnable> waiting) {
        for (int i = 0; i < waiting.size(); i++) {
            waiting.get(i).run();
        }
        waiting.clear();
    }
}
