package io.warren.broker.queue;

import static io.warren.broker.queue.QueueTests.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.routing.BrokerEvents;
import io.warren.broker.routing.DeadLetters;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHostListener;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dead-lettering has credit: a queue that dead-letters everything it gets (TTL 0, a dead-letter
 * exchange, no consumer) into a queue that is not taking messages in must hold its publishers
 * back, instead of growing the other queue's inbox with everything they publish. Real queues on
 * real loops, dead-lettered by the broker's own {@link DeadLetters}.
 */
class DeadLetterBackpressureTest {

    /** What a publisher would send without credit: far past what the bound allows. */
    private static final int PUBLISHED = 20 * QueueInbox.FLOW_HIGH;
    /** The target's backlog allowed: its own mark, the source's backlog at most, and read batches in flight. */
    private static final int BOUND = 3 * QueueInbox.FLOW_HIGH;

    private final DefaultEventExecutor sourceLoop = new DefaultEventExecutor();
    private final DefaultEventExecutor targetLoop = new DefaultEventExecutor();

    private final CountDownLatch targetBusy = new CountDownLatch(1);

    @AfterEach
    void stop() {
        targetBusy.countDown();
        sourceLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        targetLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aQueueDeadLetteringIntoABusyQueueHoldsItsPublishersBack() throws Exception {
        AtomicLong ids = new AtomicLong(1_000_000);
        VirtualHost vhost = new VirtualHost("/", new BrokerEvents(VirtualHostListener.NONE, new BrokerCounters(),
                new DeadLetters(ids::incrementAndGet, null, new BrokerCounters())), Paging.OFF);
        Queue target = vhost.declareQueue(new QueueDefinition("/", "dlq", false, false, false, Map.of()),
                targetLoop, null).queue();
        Queue source = vhost.declareQueue(new QueueDefinition("/", "ttl0", false, false, false, Map.of(
                "x-message-ttl", 0, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dlq")),
                sourceLoop, null).queue();

        targetLoop.execute(() -> await(targetBusy)); // the target takes nothing in meanwhile

        // A publisher as a connection behaves: on "behind" it stops until the queue says go on.
        int sent = 0;
        CountDownLatch resumed = null;
        while (sent < PUBLISHED) {
            boolean behind = source.offer(message(++sent));
            if (behind) {
                CountDownLatch go = new CountDownLatch(1);
                source.whenCaughtUp(go::countDown);
                if (!resumesBeforeHeld(source, go)) {
                    resumed = go;
                    break;
                }
            }
        }
        // Whatever the source had taken in before the hold is passed on or kept, not more.
        int backlog = target.messageCount() + source.messageCount();
        System.out.printf("publisher held after %d messages; dead-letter queue's backlog %d, source's %d (bound %d)%n",
                sent, target.messageCount(), source.messageCount(), BOUND);
        assertTrue(resumed != null, "publisher never held back: it sent all " + sent
                + " messages, the dead-letter queue's inbox grew to " + backlog);
        assertTrue(backlog <= BOUND, "messages held in the two queues " + backlog + " past " + BOUND);

        targetBusy.countDown();
        assertTrue(resumed.await(10, TimeUnit.SECONDS), "publisher never resumed once the target caught up");
        int expected = sent;
        waitFor(() -> target.messageCount() == expected, "every published message dead-lettered once");
        assertEquals(0, source.messageCount());
    }

    @Test
    void aBacklogExpiringAtOnceIsDeadLetteredNoFasterThanTheTargetTakesItIn() throws Exception {
        AtomicLong ids = new AtomicLong(1_000_000);
        VirtualHost vhost = new VirtualHost("/", new BrokerEvents(VirtualHostListener.NONE, new BrokerCounters(),
                new DeadLetters(ids::incrementAndGet, null, new BrokerCounters())), Paging.OFF);
        Queue target = vhost.declareQueue(new QueueDefinition("/", "dlq", false, false, false, Map.of()),
                targetLoop, null).queue();
        Queue source = vhost.declareQueue(new QueueDefinition("/", "delayed", false, false, false, Map.of(
                "x-message-ttl", 200, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", "dlq")),
                sourceLoop, null).queue();
        targetLoop.execute(() -> await(targetBusy));
        int backlog = 5 * QueueInbox.FLOW_HIGH;
        for (int i = 1; i <= backlog; i++) {
            source.offer(message(i)); // a backlog already queued (the publisher's credit is not the point here)
        }

        waitFor(source::heldBack, "the source held back once the target fell behind");
        CountDownLatch laterTurn = new CountDownLatch(1);
        source.submit(() -> source.owner().execute(laterTurn::countDown));
        assertTrue(laterTurn.await(10, TimeUnit.SECONDS));
        int passedOn = target.messageCount();
        System.out.printf("expired backlog of %d: %d passed on while the target was busy, %d kept%n",
                backlog, passedOn, source.messageCount());
        assertTrue(passedOn <= QueueInbox.FLOW_HIGH + 2 * QueueExpiry.DEAD_LETTER_BUDGET,
                "dead-lettered " + passedOn + " into a queue that takes nothing in");

        targetBusy.countDown();
        waitFor(() -> target.messageCount() == backlog, "the whole backlog dead-lettered once the target caught up");
        assertEquals(0, source.messageCount());
    }

    /**
     * Waits until the publisher is resumed (true) or held (false): the source holds its
     * publishers back for the target, which is blocked, so nothing can resume them meanwhile.
     */
    private static boolean resumesBeforeHeld(Queue source, CountDownLatch go) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (go.await(1, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (source.heldBack()) {
                return false;
            }
        }
        return fail("publisher neither resumed nor held");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting: " + what);
            }
            Thread.sleep(5);
        }
    }
}
