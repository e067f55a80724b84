package io.warren.broker.queue;

import static io.warren.broker.queue.QueueTests.ignoring;
import static io.warren.broker.queue.QueueTests.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control between publishers and a queue: while the queue's loop is busy, offers pile up;
 * past the high mark the queue says "behind", and a publisher waiting with
 * {@link Queue#whenCaughtUp} is resumed only once the queue has taken in the backlog.
 */
class QueueFlowTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void publisherPausedPastTheHighMarkIsResumedAfterTheQueueCatchesUp() throws Exception {
        Queue queue = new Queue(new QueueDefinition("/", "q", false, false, false, Map.of()), loop, null,
                ignoring());
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int behindAt = -1;
        for (int i = 1; i <= QueueInbox.FLOW_HIGH + 10; i++) {
            if (queue.offer(message(i)) && behindAt < 0) {
                behindAt = i;
            }
        }
        assertEquals(QueueInbox.FLOW_HIGH + 1, behindAt, "first offer past the high mark says behind");

        AtomicInteger resumedWithReady = new AtomicInteger(-1);
        CountDownLatch resumed = new CountDownLatch(1);
        queue.whenCaughtUp(() -> {
            resumedWithReady.set(queue.messageCount());
            resumed.countDown();
        });
        assertFalse(resumed.await(200, TimeUnit.MILLISECONDS), "resumed while the queue was still busy");

        busy.countDown();
        assertTrue(resumed.await(10, TimeUnit.SECONDS), "publisher never resumed");
        // everything offered before the wait was taken in before the publisher went on
        assertEquals(QueueInbox.FLOW_HIGH + 10, resumedWithReady.get());
        assertTrue(loop.submit(() -> !queue.offer(message(0))).get(10, TimeUnit.SECONDS),
                "a queue that caught up is not behind");
    }
}
