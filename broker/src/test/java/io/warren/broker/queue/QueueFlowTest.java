package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
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

    private static Message message(long id) {
        BasicProperties props = new BasicProperties(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        return new Message(id, "", "q", ContentHeader.of(60, props, 1), Unpooled.wrappedBuffer(new byte[1]),
                0, Long.MAX_VALUE);
    }

    private static QueueListener ignoring() {
        return new QueueListener() {
            @Override public void removed(Queue queue, Message message) { }
            @Override public void delivered(Queue queue, Message message) { }
            @Override public void autoDelete(Queue queue) { }
            @Override public void expire(Queue queue) { }
            @Override public void deadLetter(Queue queue, Message message, String reason) { }
        };
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
        for (int i = 1; i <= Queue.FLOW_HIGH + 10; i++) {
            if (queue.offer(message(i)) && behindAt < 0) {
                behindAt = i;
            }
        }
        assertEquals(Queue.FLOW_HIGH + 1, behindAt, "first offer past the high mark says behind");

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
        assertEquals(Queue.FLOW_HIGH + 10, resumedWithReady.get());
        assertTrue(loop.submit(() -> !queue.offer(message(0))).get(10, TimeUnit.SECONDS),
                "a queue that caught up is not behind");
    }
}
