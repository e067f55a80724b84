package io.warren.broker.queue;

import static io.warren.broker.queue.QueueTests.ignoring;
import static io.warren.broker.queue.QueueTests.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.broker.message.Message;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The counts the HTTP API and the metrics read from their own threads while the queue's loop
 * changes them. A plain field read in a loop may be hoisted out of it by the JIT and never
 * seen to change (a data race: a dashboard polling from one thread could report the same
 * unacked count forever); the published values must be seen.
 */
class QueueCountsVisibilityTest {

    /** Iterations the watcher spins at most: seconds of work, far more than the change takes. */
    private static final long LIMIT = 5_000_000_000L;

    private final DefaultEventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** How many times the watcher looked before it saw unacked deliveries (LIMIT: never). */
    private static long spinWhileNoUnacked(Queue q, long limit) {
        long i = 0;
        while (q.unackedCount() == 0 && i < limit) {
            i++;
        }
        return i;
    }

    @Test
    void anotherThreadSeesTheUnackedCountChangeWhileItPolls() throws Exception {
        Queue q = new Queue(new QueueDefinition("/", "q", false, false, false, Map.of()), loop, null, ignoring());
        Message offered = message(1);
        q.offer(offered);
        // Compiled by the JIT (C2) before the count changes, as a long-polling reader would be.
        for (int i = 0; i < 200_000; i++) {
            spinWhileNoUnacked(q, 1_000);
        }
        CountDownLatch watching = new CountDownLatch(1);
        CompletableFuture<Long> seenAfter = CompletableFuture.supplyAsync(() -> {
            watching.countDown();
            return spinWhileNoUnacked(q, LIMIT);
        });
        assertTrue(watching.await(10, TimeUnit.SECONDS));
        CompletableFuture<Delivery> got = new CompletableFuture<>();
        q.submit(() -> got.complete(q.get(false)));
        Delivery delivery = got.get(10, TimeUnit.SECONDS);
        assertNotNull(delivery);

        long looked = seenAfter.get(30, TimeUnit.SECONDS);

        assertTrue(looked < LIMIT, "the watching thread never saw the unacked delivery");
        assertEquals(1, q.unackedCount());

        // Acked, the message is released (its body with it): nothing left for the leak detector.
        delivery.settle(Delivery.Settlement.ACK);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        q.submit(() -> settled.complete(null)); // runs after the settled delivery, posted first
        settled.get(10, TimeUnit.SECONDS);
        assertEquals(0, q.unackedCount());
        assertEquals(0, offered.refCnt());
    }
}
