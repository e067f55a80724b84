package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@link Queue} on a real event loop, driven as channels drive it: offers from another
 * thread, consumers registered on the queue's loop, deliveries settled back through
 * {@link Delivery#settle}. A recording sink stands for the channel, a recording store handle for
 * the message store, a recording listener for the vhost. Covers the intake budget, every settle
 * path (ack, no-ack, requeue, reject, unsent, cancel, channel close), expiry and deletion.
 */
class QueueSettleTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final RecordingStore store = new RecordingStore();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- intake budget ------------------------------------------------------------------------

    @Test
    void aTurnTakesInAtMostTheIntakeBudgetBeforeDispatching() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        consume(q, sink, true, 0);
        onLoop(() -> null); // the turn the new consumer scheduled has run: none is pending now
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> await(busy));
        int offered = 3 * QueueInbox.INTAKE_BUDGET + 10;
        for (int i = 1; i <= offered; i++) {
            q.offer(message(i));
        }
        assertEquals(offered, q.messageCount(), "offered messages count as ready at once");
        int[] afterFirstTurn = new int[1];
        loop.execute(() -> afterFirstTurn[0] = sink.deliveries.size()); // queued right after the queue's turn
        busy.countDown();
        waitFor(() -> sink.deliveries.size() == offered, "every message delivered");
        assertEquals(QueueInbox.INTAKE_BUDGET, afterFirstTurn[0], "first turn took in (and delivered) one budget");
        assertEquals(0, q.messageCount());
        assertInOrder(sink.deliveries, 1, offered);
    }

    // ---- settle paths -------------------------------------------------------------------------

    @Test
    void ackRemovesTheMessageForGood() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        consume(q, sink, false, 0);
        offer(q, 3);
        waitFor(() -> sink.deliveries.size() == 3, "3 deliveries");
        assertEquals(3, q.unackedCount());
        assertEquals(List.of("delivered 1", "delivered 2", "delivered 3"), store.events());
        for (Delivery d : sink.deliveries) {
            assertFalse(d.redelivered());
            d.settle(Delivery.Settlement.ACK);
        }
        waitFor(() -> q.unackedCount() == 0, "acks taken in");
        onLoop(() -> null); // after the turn that took them in
        assertEquals(List.of("removed 1", "removed 2", "removed 3"), store.events().subList(3, 6));
        assertEquals(0, q.messageCount());
        for (Delivery d : sink.deliveries) {
            assertEquals(0, d.message().refCnt(), "acked message released");
        }
    }

    @Test
    void aNoAckDeliveryIsSettledWhenHandedOut() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        consume(q, sink, true, 0);
        offer(q, 2);
        waitFor(() -> sink.deliveries.size() == 2, "2 deliveries");
        assertEquals(0, q.unackedCount(), "no-ack deliveries are not unacked");
        assertEquals(List.of("removed 1", "removed 2"), store.events(), "removed from the store at once, never marked");
        assertEquals(0, q.messageCount());
    }

    @Test
    void requeueReturnsTheMessageToItsPlaceMarkedRedelivered() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        Consumer c = consume(q, sink, false, 1);
        offer(q, 2);
        waitFor(() -> sink.deliveries.size() == 1, "first delivery (prefetch 1)");
        Delivery first = sink.deliveries.get(0);
        assertEquals(1, first.message().id());
        first.settle(Delivery.Settlement.REQUEUE);
        waitFor(() -> sink.deliveries.size() == 2, "redelivery");
        Delivery again = sink.deliveries.get(1);
        assertEquals(1, again.message().id(), "back at the head, before message 2");
        assertTrue(again.redelivered());
        assertEquals(1, q.messageCount(), "message 2 still ready");
        again.settle(Delivery.Settlement.ACK);
        waitFor(() -> sink.deliveries.size() == 3, "message 2 after the ack");
        assertFalse(sink.deliveries.get(2).redelivered());
        assertEquals(1, c.unacked);
    }

    @Test
    void rejectWithoutRequeueDeadLettersAndRemoves() throws Exception {
        Queue q = queue(Map.of("x-dead-letter-exchange", "dlx"));
        RecordingSink sink = new RecordingSink();
        consume(q, sink, false, 0);
        offer(q, 1);
        waitFor(() -> sink.deliveries.size() == 1, "delivery");
        sink.deliveries.get(0).settle(Delivery.Settlement.DROP);
        waitFor(() -> q.unackedCount() == 0, "reject taken in");
        onLoop(() -> null); // after the turn that took it in
        assertEquals(List.of("dead-letter 1 rejected"), listener.events);
        assertEquals(List.of("delivered 1", "removed 1"), store.events());
        assertEquals(0, q.messageCount());
    }

    @Test
    void anUnsentDeliveryComesBackAsItWas() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink first = new RecordingSink();
        Consumer c = consume(q, first, false, 0);
        offer(q, 1);
        waitFor(() -> first.deliveries.size() == 1, "delivery");
        onLoop(() -> q.removeConsumer(c));
        first.deliveries.get(0).settle(Delivery.Settlement.UNSENT);
        waitFor(() -> q.unackedCount() == 0 && q.messageCount() == 1, "unsent delivery back");
        RecordingSink second = new RecordingSink();
        consume(q, second, false, 0);
        waitFor(() -> second.deliveries.size() == 1, "delivered again");
        assertFalse(second.deliveries.get(0).redelivered(), "the client never saw it");
    }

    @Test
    void cancelLeavesUnackedDeliveriesToBeSettledAndStopsDispatch() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        Consumer c = consume(q, sink, false, 1);
        offer(q, 2);
        waitFor(() -> sink.deliveries.size() == 1, "delivery");
        assertTrue(onLoop(() -> q.removeConsumer(c)));
        assertEquals(0, q.consumerCount());
        sink.deliveries.get(0).settle(Delivery.Settlement.ACK);
        waitFor(() -> q.unackedCount() == 0, "ack after cancel taken in");
        onLoop(() -> null); // after the turn that took it in, which would have dispatched to a live consumer
        assertEquals(1, sink.deliveries.size(), "nothing delivered to a cancelled consumer");
        assertEquals(1, q.messageCount());
        assertEquals(List.of("delivered 1", "removed 1"), store.events());
    }

    @Test
    void channelCloseRequeuesUnackedInTheirOriginalOrder() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        Consumer c = consume(q, sink, false, 0);
        offer(q, 3);
        waitFor(() -> sink.deliveries.size() == 3, "3 deliveries");
        // What a closing channel does: cancel its consumers, then return what is unacked.
        onLoop(() -> q.removeConsumer(c));
        for (int i = sink.deliveries.size() - 1; i >= 0; i--) { // any order: positions are kept
            sink.deliveries.get(i).settle(Delivery.Settlement.REQUEUE);
        }
        waitFor(() -> q.unackedCount() == 0 && q.messageCount() == 3, "all back");
        RecordingSink next = new RecordingSink();
        consume(q, next, true, 0);
        waitFor(() -> next.deliveries.size() == 3, "redelivered to the next consumer");
        assertInOrder(next.deliveries, 1, 3);
        for (Delivery d : next.deliveries) {
            assertTrue(d.redelivered());
        }
    }

    // ---- expiry -------------------------------------------------------------------------------

    @Test
    void messageTtlExpiresAtTheHeadAndDeadLetters() throws Exception {
        Queue q = queue(Map.of("x-message-ttl", 50, "x-dead-letter-exchange", "dlx"));
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 3; i++) {
            q.offer(message(i, now, Long.MAX_VALUE));
        }
        waitFor(() -> listener.events.size() == 3, "3 expired");
        onLoop(() -> null); // after the turn that expired them
        assertEquals(List.of("dead-letter 1 expired", "dead-letter 2 expired", "dead-letter 3 expired"),
                listener.events);
        assertTrue(System.currentTimeMillis() - now >= 50, "not before the TTL");
        assertEquals(0, q.messageCount());
        assertEquals(List.of("removed 1", "removed 2", "removed 3"), store.events());
    }

    @Test
    void aMessagesOwnExpirationCountsAndBasicGetNeverSeesItExpired() throws Exception {
        Queue q = queue(Map.of());
        long now = System.currentTimeMillis();
        q.offer(message(1, now, now + 40));
        q.offer(message(2, now, Long.MAX_VALUE));
        waitFor(() -> q.messageCount() == 1, "message 1 expired on its own");
        Delivery d = onLoop(() -> q.get(true));
        assertEquals(2, d.message().id());
        assertNull(onLoop(() -> q.get(true)));
    }

    @Test
    void ttlZeroIsDeliveredToAReadyConsumerAndDroppedOtherwise() throws Exception {
        Queue q = queue(Map.of("x-message-ttl", 0, "x-dead-letter-exchange", "dlx"));
        long now = System.currentTimeMillis();
        q.offer(message(1, now, Long.MAX_VALUE));
        waitFor(() -> listener.events.size() == 1, "dropped without a consumer");
        assertEquals("dead-letter 1 expired", listener.events.get(0));
        RecordingSink sink = new RecordingSink();
        consume(q, sink, true, 0);
        q.offer(message(2, now, Long.MAX_VALUE)); // however late its turn comes: TTL 0 is spared for a ready consumer
        waitFor(() -> sink.deliveries.size() == 1, "message 2 delivered");
        assertEquals(2, sink.deliveries.get(0).message().id());
        assertEquals(1, listener.events.size(), "message 2 not expired");
    }

    @Test
    void anUnusedQueueExpires() throws Exception {
        long start = System.currentTimeMillis();
        queue(Map.of("x-expires", 60));
        waitFor(() -> listener.events.contains("expire"), "x-expires fired");
        assertTrue(System.currentTimeMillis() - start >= 60, "not before x-expires");
    }

    @Test
    void aQueueWithAConsumerDoesNotExpire() throws Exception {
        Queue q = queue(Map.of("x-expires", 30));
        consume(q, new RecordingSink(), true, 0);
        Queue probe = queue(Map.of("x-expires", 90)); // same loop, longer: expires after q would have
        waitFor(() -> listener.events.contains("expire"), "the probe queue expired");
        assertEquals(List.of("expire"), listener.events, "only the probe: the consumed queue stays");
        assertFalse(q.deleted());
        assertTrue(probe != q);
    }

    // ---- deletion -----------------------------------------------------------------------------

    @Test
    void deleteCancelsConsumersDropsReadyAndUnackedComeBackToNothing() throws Exception {
        Queue q = queue(Map.of());
        RecordingSink sink = new RecordingSink();
        consume(q, sink, false, 1);
        offer(q, 3);
        waitFor(() -> sink.deliveries.size() == 1, "one delivery (prefetch 1)");
        int dropped = onLoop(q::delete);
        assertEquals(2, dropped, "ready messages dropped");
        assertTrue(q.deleted());
        assertEquals(1, sink.cancelled.size(), "consumer told of the delete");
        assertEquals(0, q.consumerCount());
        sink.deliveries.get(0).settle(Delivery.Settlement.REQUEUE);
        Message late = message(9);
        q.offer(late);
        waitFor(() -> q.unackedCount() == 0 && q.messageCount() == 0, "requeue and late offer dropped");
        onLoop(() -> null);
        assertEquals(List.of("delivered 1", "removed 2", "removed 3", "removed 1", "removed 9"), store.events());
        assertEquals(0, late.refCnt(), "late message released");
        assertEquals(0, sink.deliveries.get(0).message().refCnt());
        assertNull(onLoop(() -> q.get(true)));
        assertTrue(listener.events.isEmpty(), "nothing dead-lettered from a deleted queue");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Queue queue(Map<String, Object> args) {
        Queue q = new Queue(new QueueDefinition("/", "q", true, false, false, args), loop, null, listener);
        q.store(store);
        return q;
    }

    private Consumer consume(Queue q, RecordingSink sink, boolean noAck, int prefetch) throws Exception {
        Consumer c = new Consumer("c" + System.nanoTime(), q, sink, noAck, false, prefetch, 0, Map.of());
        assertNull(onLoop(() -> q.addConsumer(c)));
        return c;
    }

    private static void offer(Queue q, int n) {
        for (int i = 1; i <= n; i++) {
            q.offer(message(i));
        }
    }

    private static Message message(long id) {
        return message(id, System.currentTimeMillis(), Long.MAX_VALUE);
    }

    private static Message message(long id, long arrival, long expiresAt) {
        BasicProperties props = new BasicProperties(null, null, null, 2, null, null, null, null, null,
                null, null, null, null, null);
        return new Message(id, "", "q", ContentHeader.of(60, props, 1), Unpooled.wrappedBuffer(new byte[1]),
                arrival, expiresAt);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private static void assertInOrder(List<Delivery> deliveries, long first, long last) {
        List<Long> ids = new ArrayList<>();
        for (Delivery d : deliveries) {
            ids.add(d.message().id());
        }
        List<Long> expected = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            expected.add(i);
        }
        assertEquals(expected, ids);
    }

    /** Bounded, so that a failed assertion before the count-down cannot hang the loop's shutdown. */
    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
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
            Thread.sleep(2);
        }
    }

    /** The channel's side, recorded: always writable, no channel-wide prefetch. */
    private static final class RecordingSink implements ConsumerSink {
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final List<Consumer> cancelled = new CopyOnWriteArrayList<>();

        @Override public void deliver(Delivery delivery) { deliveries.add(delivery); }
        @Override public void writeDelivery(Delivery delivery) { deliveries.add(delivery); }
        @Override public boolean writable() { return true; }
        @Override public boolean tryAcquireChannelCredit() { return true; }
        @Override public boolean channelCreditAvailable() { return true; }
        @Override public void cancelledByQueue(Consumer consumer) { cancelled.add(consumer); }
    }

    /** The vhost's side: dead-letters and expiry, recorded. */
    private static final class RecordingListener implements QueueListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override public void autoDelete(Queue queue) { events.add("auto-delete"); }
        @Override public void expire(Queue queue) { events.add("expire"); }
        @Override public void deadLetter(Queue queue, Message message, String reason) {
            events.add("dead-letter " + message.id() + " " + reason);
        }
    }

    /** The queue's store handle, recorded (as a durable queue's would write). */
    private static final class RecordingStore implements QueueStore {
        private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

        List<String> events() {
            return new ArrayList<>(events);
        }

        @Override public boolean durable() { return true; }
        @Override public String key() { return "q"; }
        @Override public List<String> keyList() { return List.of("q"); }
        @Override public void removed(Message message) { events.add("removed " + message.id()); }
        @Override public void delivered(Message message) { events.add("delivered " + message.id()); }
        @Override public void deleteQueue() { events.add("delete"); }
    }
}
