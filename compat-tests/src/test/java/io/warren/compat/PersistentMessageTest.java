package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Persistent messages (delivery-mode 2) to durable queues, published the way most RabbitMQ
 * users publish them: without publisher confirms (RabbitMQ's tutorial 2, "work queues"), in a
 * transaction, with confirms, mandatory, fanned out, dead-lettered. On Warren the suite's broker
 * keeps a store on disk (see {@link BrokerUnderTest}), so each of these goes through it.
 */
class PersistentMessageTest extends CompatTest {

    private static final AMQP.BasicProperties PERSISTENT = MessageProperties.PERSISTENT_TEXT_PLAIN;

    /** RabbitMQ tutorial 2: durable task_queue, persistent message, no confirms. */
    @Test
    void persistentMessageWithoutConfirmsReachesADurableQueue() throws Exception {
        Channel ch = channel();
        String q = queueName("task-queue");
        ch.queueDeclare(q, true, false, false, null);
        ch.basicPublish("", q, PERSISTENT, bytes("hello"));
        ch.basicPublish("", q, PERSISTENT, bytes("world"));
        // RabbitMQ counts a queue's messages asynchronously to the publish: poll.
        eventually("2 messages in " + q, () -> messageCount(q) == 2);
        assertTrue(ch.isOpen());
        assertPersistent("hello", get(ch, q, true));
        assertPersistent("world", get(ch, q, true));
    }

    @Test
    void aConsumerAcksPersistentMessagesPublishedWithoutConfirms() throws Exception {
        Channel ch = channel();
        String q = queueName("worker");
        ch.queueDeclare(q, true, false, false, null);
        ch.basicQos(1);
        CollectingConsumer worker = new CollectingConsumer(ch);
        ch.basicConsume(q, false, worker);
        Channel publisher = channel();
        for (int i = 0; i < 20; i++) {
            publisher.basicPublish("", q, PERSISTENT, bytes("task " + i));
        }
        for (int i = 0; i < 20; i++) {
            CollectingConsumer.Received r = worker.next();
            assertEquals("task " + i, r.text());
            ch.basicAck(r.tag(), false);
        }
        eventually("every task acked", () -> messageCount(q) == 0
                && ch.queueDeclarePassive(q).getConsumerCount() == 1);
        assertTrue(publisher.isOpen());
    }

    @Test
    void mandatoryPersistentPublishesWithoutConfirms() throws Exception {
        Channel ch = channel();
        String q = queueName("mandatory");
        ch.queueDeclare(q, true, false, false, null);
        CompletableFuture<String> returned = new CompletableFuture<>();
        ch.addReturnListener(r -> returned.complete(r.getReplyText() + " " + r.getRoutingKey()
                + " " + text(r.getBody())));
        ch.basicPublish("", q, true, PERSISTENT, bytes("routed"));
        ch.basicPublish("", q + "-nowhere", true, PERSISTENT, bytes("unroutable"));
        assertEquals("NO_ROUTE " + q + "-nowhere unroutable",
                returned.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertPersistent("routed", get(ch, q, true));
    }

    @Test
    void fanoutToSeveralDurableQueuesAndATransientOne() throws Exception {
        Channel ch = channel();
        String x = exchangeName("fanout");
        ch.exchangeDeclare(x, BuiltinExchangeType.FANOUT, true);
        String[] durable = {queueName("fan-d1"), queueName("fan-d2"), queueName("fan-d3")};
        String transientQ = queueName("fan-t");
        for (String q : durable) {
            ch.queueDeclare(q, true, false, false, null);
            ch.queueBind(q, x, "");
        }
        ch.queueDeclare(transientQ, false, false, false, null);
        ch.queueBind(transientQ, x, "");
        for (int i = 0; i < 5; i++) {
            ch.basicPublish(x, "", PERSISTENT, bytes("fan " + i));
        }
        for (String q : new String[] {durable[0], durable[1], durable[2], transientQ}) {
            eventually("5 messages in " + q, () -> messageCount(q) == 5);
        }
        // Acked in one queue, the others keep their copy.
        for (int i = 0; i < 5; i++) {
            assertPersistent("fan " + i, get(ch, durable[0], true));
        }
        for (int i = 0; i < 5; i++) {
            assertPersistent("fan " + i, get(ch, transientQ, true));
        }
        for (String q : new String[] {durable[1], durable[2]}) {
            for (int i = 0; i < 5; i++) {
                assertPersistent("fan " + i, get(ch, q, true));
            }
            assertNull(ch.basicGet(q, true));
        }
    }

    @Test
    void persistentPublishesInATransaction() throws Exception {
        Channel ch = channel();
        String q = queueName("tx");
        ch.queueDeclare(q, true, false, false, null);
        ch.txSelect();
        ch.basicPublish("", q, PERSISTENT, bytes("rolled back"));
        ch.txRollback();
        ch.basicPublish("", q, true, PERSISTENT, bytes("one"));
        ch.basicPublish("", q, PERSISTENT, bytes("two"));
        assertEquals(0, messageCount(q));
        ch.txCommit();
        eventually("2 messages in " + q, () -> messageCount(q) == 2);
        assertPersistent("one", get(ch, q, false));
        GetResponse two = get(ch, q, false);
        assertPersistent("two", two);
        ch.basicAck(two.getEnvelope().getDeliveryTag(), true);
        ch.txCommit();
        assertEquals(0, messageCount(q));
    }

    @Test
    void persistentPublishesWithConfirms() throws Exception {
        Channel ch = channel();
        String q = queueName("confirmed");
        ch.queueDeclare(q, true, false, false, null);
        ch.confirmSelect();
        for (int i = 0; i < 10; i++) {
            ch.basicPublish("", q, PERSISTENT, bytes("c" + i));
        }
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        assertEquals(10, messageCount(q));
    }

    /** Confirm mode may start after unconfirmed persistent publishes; numbering starts at 1 then. */
    @Test
    void confirmsWorkAfterUnconfirmedPersistentPublishesOnTheSameChannel() throws Exception {
        Channel ch = channel();
        String q = queueName("late-confirms");
        ch.queueDeclare(q, true, false, false, null);
        ch.basicPublish("", q, PERSISTENT, bytes("before"));
        ch.confirmSelect();
        assertEquals(1, ch.getNextPublishSeqNo());
        ch.basicPublish("", q, PERSISTENT, bytes("after"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        eventually("2 messages in " + q, () -> messageCount(q) == 2);
    }

    @Test
    void rejectedPersistentMessageIsDeadLetteredIntoADurableQueue() throws Exception {
        Channel ch = channel();
        String dlx = exchangeName("dlx");
        String dead = queueName("dead");
        String q = queueName("dies");
        ch.exchangeDeclare(dlx, BuiltinExchangeType.FANOUT, true);
        ch.queueDeclare(dead, true, false, false, null);
        ch.queueBind(dead, dlx, "");
        ch.queueDeclare(q, true, false, false, Map.of("x-dead-letter-exchange", dlx));
        ch.basicPublish("", q, PERSISTENT, bytes("doomed"));
        GetResponse r = get(ch, q, false);
        ch.basicReject(r.getEnvelope().getDeliveryTag(), false);
        eventually("dead-lettered", () -> messageCount(dead) == 1);
        assertPersistent("doomed", get(ch, dead, true));
        assertTrue(ch.isOpen());
    }

    /** Debian's amqp-tools (rabbitmq-c): {@code amqp-publish -p} sets delivery-mode 2. */
    @Test
    void amqpPublishPersistentReachesADurableQueue() throws Exception {
        ExternalClient.assumeInstalled(ExternalClient.succeeds("amqp-publish", "--help"),
                "amqp-publish is not installed (apt-get install amqp-tools)");
        Channel ch = channel();
        String q = queueName("amqp-publish");
        ch.queueDeclare(q, true, false, false, null);
        try (ExternalClient publish = ExternalClient.start("amqp-publish", "--url",
                BrokerUnderTest.uri().toString(), "-r", q, "-p", "-b", "from rabbitmq-c")) {
            publish.assertSucceeds();
        }
        eventually("the message in " + q, () -> messageCount(q) == 1);
        assertPersistent("from rabbitmq-c", get(ch, q, true));
    }

    private static void assertPersistent(String body, GetResponse r) {
        assertEquals(body, text(r.getBody()));
        assertEquals(2, r.getProps().getDeliveryMode());
    }
}
