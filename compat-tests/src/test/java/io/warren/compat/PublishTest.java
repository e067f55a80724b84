package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publisher confirms, transactions and mandatory returns. */
class PublishTest extends CompatTest {

    /** Records confirms and returns in the order the client saw them, and checks each tag is confirmed once. */
    private static final class Events implements ConfirmListener {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final BitSet confirmed = new BitSet();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        volatile long highest;
        final CompletableFuture<Void> all = new CompletableFuture<>();
        final long expected;

        Events(long expected) {
            this.expected = expected;
        }

        @Override
        public synchronized void handleAck(long tag, boolean multiple) {
            log.add("ack " + tag + (multiple ? "+" : ""));
            settle(tag, multiple);
        }

        @Override
        public synchronized void handleNack(long tag, boolean multiple) {
            log.add("nack " + tag);
            problems.add("nack for " + tag);
            settle(tag, multiple);
        }

        private void settle(long tag, boolean multiple) {
            if (tag <= highest && multiple) {
                problems.add("multiple confirm " + tag + " does not go beyond " + highest);
            }
            long from = multiple ? 1 : tag;
            for (long t = from; t <= tag; t++) {
                if (!multiple && confirmed.get((int) t)) {
                    problems.add("tag " + t + " confirmed twice");
                }
                confirmed.set((int) t);
            }
            highest = Math.max(highest, tag);
            if (confirmed.cardinality() == expected && !confirmed.get(0)) {
                all.complete(null);
            }
        }
    }

    @Test
    void eachPublishIsConfirmedOnceWithIncreasingTags() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.confirmSelect();
        int n = 2000;
        Events events = new Events(n);
        ch.addConfirmListener(events);
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, ch.getNextPublishSeqNo());
            ch.basicPublish("", q, null, bytes(String.valueOf(i)));
        }
        events.all.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(ch.waitForConfirms(TIMEOUT_SECONDS * 1000L));
        assertEquals(List.of(), events.problems);
        assertEquals(n, events.confirmed.cardinality());
        assertEquals(n, ch.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void unroutableAndFannedOutPublishesAreConfirmedOnceEach() throws Exception {
        Channel ch = channel();
        String q1 = ch.queueDeclare().getQueue();
        String q2 = ch.queueDeclare().getQueue();
        ch.queueBind(q1, "amq.fanout", "");
        ch.queueBind(q2, "amq.fanout", "");
        ch.confirmSelect();
        Events events = new Events(3);
        ch.addConfirmListener(events);
        ch.basicPublish("amq.fanout", "", null, bytes("to two queues"));
        ch.basicPublish("amq.direct", name("nobody"), null, bytes("to no queue"));
        ch.basicPublish("", q1, MessageProperties.PERSISTENT_TEXT_PLAIN, bytes("persistent"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        events.all.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(), events.problems);
        assertEquals(2, ch.queueDeclarePassive(q1).getMessageCount());
        assertEquals(1, ch.queueDeclarePassive(q2).getMessageCount());
    }

    @Test
    void mandatoryUnroutableIsReturnedWithNoRouteBeforeItsConfirm() throws Exception {
        Channel ch = channel();
        ch.confirmSelect();
        Events events = new Events(1);
        CompletableFuture<Return> returned = new CompletableFuture<>();
        ch.addReturnListener(r -> {
            events.log.add("return " + r.getRoutingKey());
            returned.complete(r);
        });
        ch.addConfirmListener(events);
        String key = name("nobody");
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("id-1").build();
        ch.basicPublish("amq.direct", key, true, props, bytes("lost"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        Return r = returned.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(AMQP.NO_ROUTE, r.getReplyCode());
        assertEquals("NO_ROUTE", r.getReplyText());
        assertEquals("amq.direct", r.getExchange());
        assertEquals(key, r.getRoutingKey());
        assertEquals("lost", text(r.getBody()));
        assertEquals("id-1", r.getProperties().getMessageId());
        assertEquals(List.of("return " + key, "ack 1"), events.log);
    }

    @Test
    void mandatoryRoutedMessageIsNotReturned() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.confirmSelect();
        CompletableFuture<Return> returned = new CompletableFuture<>();
        ch.addReturnListener(returned::complete);
        ch.basicPublish("", q, true, null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertTrue(!returned.isDone());
        assertEquals("m", text(get(ch, q, true).getBody()));
    }

    @Test
    void nonMandatoryUnroutableIsDroppedSilently() throws Exception {
        Channel ch = channel();
        ch.confirmSelect();
        CompletableFuture<Return> returned = new CompletableFuture<>();
        ch.addReturnListener(returned::complete);
        ch.basicPublish("amq.direct", name("nobody"), false, null, bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertTrue(!returned.isDone());
    }

    @Test
    void immediateIsNotImplemented() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        ch.basicPublish("amq.direct", "k", false, true, null, bytes("m"));
        ShutdownSignalException sse = awaitClose(c);
        assertEquals(AMQP.NOT_IMPLEMENTED, ((AMQP.Connection.Close) sse.getReason()).getReplyCode());
        assertReplyText("NOT_IMPLEMENTED - immediate=true", sse);
    }

    @Test
    void confirmAndTransactionModesExcludeEachOther() throws Exception {
        Channel ch = channel();
        ch.confirmSelect();
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED, ch::txSelect);
        assertReplyText("PRECONDITION_FAILED - cannot switch from confirm to tx mode", sse);
        Channel tx = channel();
        tx.txSelect();
        sse = assertChannelError(AMQP.PRECONDITION_FAILED, tx::confirmSelect);
        assertReplyText("PRECONDITION_FAILED - cannot switch from tx to confirm mode", sse);
    }

    @Test
    void transactionalPublishesAppearAtCommit() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        Channel observer = c.createChannel();
        ch.txSelect();
        ch.basicPublish("", q, null, bytes("1"));
        ch.basicPublish("", q, null, bytes("2"));
        assertEquals(0, observer.queueDeclarePassive(q).getMessageCount());
        ch.txCommit();
        assertEquals(2, observer.queueDeclarePassive(q).getMessageCount());
        // Still transactional after a commit.
        ch.basicPublish("", q, null, bytes("3"));
        assertEquals(2, observer.queueDeclarePassive(q).getMessageCount());
        ch.txCommit();
        assertEquals(List.of("1", "2", "3"), List.of(text(get(observer, q, true).getBody()),
                text(get(observer, q, true).getBody()), text(get(observer, q, true).getBody())));
    }

    @Test
    void rollbackDiscardsTransactionalPublishes() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare().getQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, bytes("discarded"));
        ch.txRollback();
        ch.basicPublish("", q, null, bytes("kept"));
        ch.txCommit();
        assertEquals("kept", text(get(ch, q, true).getBody()));
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void uncommittedPublishesAreDroppedWhenATransactionalChannelCloses() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.txSelect();
        ch.basicPublish("", q, null, bytes("never committed"));
        ch.close();
        assertEquals(0, c.createChannel().queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void acksInsideARolledBackTransactionNeverHappened() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare(name("tx-ack"), false, true, false, null).getQueue();
        publishConfirmed(c.createChannel(), "", q, "1", "2");
        ch.txSelect();
        GetResponse one = get(ch, q, false);
        GetResponse two = get(ch, q, false);
        ch.basicAck(one.getEnvelope().getDeliveryTag(), false);
        ch.txRollback();
        // Rolled back: both still unacked; acking one of them now works and commits.
        ch.basicAck(two.getEnvelope().getDeliveryTag(), false);
        ch.txCommit();
        ch.close();
        Channel after = c.createChannel();
        GetResponse back = get(after, q, true);
        assertEquals("1", text(back.getBody()));
        assertTrue(back.getEnvelope().isRedeliver());
        assertNull(after.basicGet(q, true));
    }

    @Test
    void acksInsideACommittedTransactionTakeEffectAtCommit() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = ch.queueDeclare(name("tx-ack"), false, true, false, null).getQueue();
        publishConfirmed(c.createChannel(), "", q, "1", "2");
        ch.txSelect();
        GetResponse one = get(ch, q, false);
        get(ch, q, false);
        ch.basicAck(one.getEnvelope().getDeliveryTag(), false);
        ch.basicReject(one.getEnvelope().getDeliveryTag() + 1, true);
        ch.txCommit();
        GetResponse back = get(ch, q, false);
        assertEquals("2", text(back.getBody()));
        assertTrue(back.getEnvelope().isRedeliver());
    }

    @Test
    void mandatoryReturnInATransactionComesBeforeCommitOk() throws Exception {
        Channel ch = channel();
        List<String> returns = Collections.synchronizedList(new ArrayList<>());
        ch.addReturnListener(r -> returns.add(r.getRoutingKey()));
        ch.txSelect();
        String key = name("nobody");
        ch.basicPublish("amq.direct", key, true, null, bytes("m"));
        ch.txCommit();
        assertEquals(List.of(key), returns);
    }

    @Test
    void commitOrRollbackWithoutSelectIs406() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED, ch::txCommit);
        assertReplyText("PRECONDITION_FAILED - channel is not transactional", sse);
        Channel ch2 = channel();
        sse = assertChannelError(AMQP.PRECONDITION_FAILED, ch2::txRollback);
        assertReplyText("PRECONDITION_FAILED - channel is not transactional", sse);
    }

    /** Messages from one channel reach a queue in the order they were published, whatever else publishes. */
    @Test
    void eachChannelsPublishesKeepTheirOrder() throws Exception {
        Channel admin = channel();
        String q = queueName("order");
        admin.queueDeclare(q, false, false, false, null);
        int publishers = 3;
        int each = 500;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < publishers; p++) {
            Channel ch = connect().createChannel();
            int number = p;
            threads.add(new Thread(() -> {
                try {
                    ch.confirmSelect();
                    for (int i = 0; i < each; i++) {
                        ch.basicPublish("", q, null, bytes(number + ":" + i));
                    }
                    ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        CollectingConsumer consumer = new CollectingConsumer(admin);
        admin.basicConsume(q, true, consumer);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        int[] next = new int[publishers];
        for (int k = 0; k < publishers * each; k++) {
            String[] parts = consumer.next().text().split(":");
            int p = Integer.parseInt(parts[0]);
            assertEquals(next[p]++, Integer.parseInt(parts[1]), "publisher " + p + " out of order");
        }
    }
}
