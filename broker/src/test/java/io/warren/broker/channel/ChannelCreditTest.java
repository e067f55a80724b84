package io.warren.broker.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChannelCreditTest {

    @Test
    void limitIsOneBudget() {
        ChannelCredit credit = new ChannelCredit();
        credit.limit(2);
        assertTrue(credit.tryAcquire());
        assertTrue(credit.tryAcquire());
        assertFalse(credit.tryAcquire());
        assertFalse(credit.available());
        assertTrue(credit.release(), "a release after a refusal wakes the waiting queues");
        assertTrue(credit.available());
        assertFalse(credit.release(), "nobody waited: no wake-up");
    }

    @Test
    void availableDoesNotTakeCredit() {
        ChannelCredit credit = new ChannelCredit();
        credit.limit(1);
        assertTrue(credit.available());
        assertTrue(credit.available());
        assertTrue(credit.tryAcquire());
        assertFalse(credit.available());
        assertTrue(credit.release(), "a no-ack consumer held back by the full budget is woken too");
    }

    /**
     * A queue (one thread) takes credit and hands each unit to the channel (another thread),
     * which gives it back at once; a queue refused credit waits to be woken, as a real queue
     * stops dispatching until the channel wakes it. A refusal must never be missed by the
     * release that makes room, or the queue waits forever: a consumer stalled with nothing
     * unacked. Both sides spin (yielding), so that the release often lands right on the refusal.
     */
    @Test
    void aRefusedQueueIsAlwaysWokenByTheReleaseThatMakesRoom() throws Exception {
        ChannelCredit credit = new ChannelCredit();
        credit.limit(1);
        AtomicLong handedOut = new AtomicLong();
        AtomicLong wakeUps = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread channel = new Thread(() -> {
            long released = 0;
            while (!done.get()) {
                if (handedOut.get() > released) {
                    released++;
                    if (credit.release()) {
                        wakeUps.incrementAndGet();
                    }
                } else {
                    Thread.yield();
                }
            }
        });
        channel.setDaemon(true);
        channel.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        long given = 0;
        long wakeUpsSeen = 0;
        try {
            while (System.nanoTime() < end) {
                if (credit.tryAcquire()) {
                    handedOut.incrementAndGet();
                    given++;
                    continue;
                }
                long stalled = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (wakeUps.get() == wakeUpsSeen) {
                    if (System.nanoTime() > stalled) {
                        throw new AssertionError("queue never woken after " + given + " deliveries");
                    }
                    Thread.yield();
                }
                wakeUpsSeen = wakeUps.get();
            }
        } finally {
            done.set(true);
            channel.join(5_000);
        }
        assertTrue(given > 0);
    }
}
