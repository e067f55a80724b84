package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A channel's methods act in order: whatever the channel published before a queue.purge,
 * basic.get, queue.delete or passive queue.declare is counted by it, however many messages that
 * is. Checked for queues on the publishing connection's own loop (declared by that connection)
 * and on other loops (declared by other connections; the suite's broker runs two loops).
 */
class ChannelOrderTest extends CompatTest {

    private static final int MESSAGES = 5_000;
    /** Still well over what a queue takes in per turn (256). */
    private static final int FEWER = 1_000;
    private static final byte[] BODY = new byte[64];

    /** Queues declared by the publisher's own connection and by several others. */
    private List<String> queues(Connection publisher) throws Exception {
        List<String> names = new ArrayList<>();
        Channel own = publisher.createChannel();
        names.add(own.queueDeclare(queueName("order-own"), false, false, false, null).getQueue());
        for (int i = 0; i < 2; i++) {
            Channel other = connect().createChannel();
            names.add(other.queueDeclare(queueName("order-other"), false, false, false, null).getQueue());
        }
        own.close();
        return names;
    }

    private static void publish(Channel ch, String queue) throws Exception {
        publish(ch, queue, MESSAGES);
    }

    private static void publish(Channel ch, String queue, int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            ch.basicPublish("", queue, null, BODY);
        }
    }

    @Test
    void purgeCountsEverythingPublishedBeforeItOnTheChannel() throws Exception {
        Connection publisher = connect();
        for (String q : queues(publisher)) {
            Channel ch = publisher.createChannel();
            for (int round = 0; round < 2; round++) {
                publish(ch, q);
                assertEquals(MESSAGES, ch.queuePurge(q).getMessageCount(), "purge-ok of " + q);
                assertEquals(0, ch.queueDeclarePassive(q).getMessageCount(), "left in " + q);
            }
            ch.close();
        }
    }

    @Test
    void getSeesEverythingPublishedBeforeItOnTheChannel() throws Exception {
        Connection publisher = connect();
        for (String q : queues(publisher)) {
            Channel ch = publisher.createChannel();
            publish(ch, q, FEWER);
            GetResponse r = ch.basicGet(q, true);
            assertNotNull(r, "basic.get on " + q);
            assertEquals(FEWER - 1, r.getMessageCount(), "get-ok's message count of " + q);
            assertEquals(FEWER - 1, ch.queueDeclarePassive(q).getMessageCount(), "declare-ok of " + q);
            ch.close();
        }
    }

    @Test
    void deleteCountsEverythingPublishedBeforeItOnTheChannel() throws Exception {
        Connection publisher = connect();
        for (String q : queues(publisher)) {
            Channel ch = publisher.createChannel();
            publish(ch, q, FEWER);
            assertEquals(FEWER, ch.queueDelete(q).getMessageCount(), "delete-ok of " + q);
            ch.close();
        }
    }

    /**
     * RabbitMQ's channel lets its queues know it is going before it sends close-ok (and a
     * consumer before cancel-ok), so a declare right after no longer counts the consumer.
     * Warren's queues may live on other loops than the channel: close-ok waited for nothing
     * there, and a passive declare still saw the consumer (UsageMatrixTest failed once in CI).
     */
    @Test
    void aConsumerIsGoneFromTheCountsOnceItsChannelIsClosed() throws Exception {
        Connection c = connect();
        Channel admin = c.createChannel();
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            queues.add(admin.queueDeclare(queueName("close-count"), false, false, false, null).getQueue());
        }
        for (int round = 0; round < 50; round++) {
            for (String q : queues) {
                Channel consumer = c.createChannel();
                consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { });
                if (round % 2 == 0) {
                    consumer.close();
                } else {
                    consumer.basicCancel(consumer.basicConsume(q, true, (tag, d) -> { }, tag -> { }));
                    consumer.basicCancel(consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { }));
                    // the first consumer stays until the channel closes
                    assertEquals(1, admin.queueDeclarePassive(q).getConsumerCount(), "round " + round + ", " + q);
                    consumer.close();
                }
                assertEquals(0, admin.queueDeclarePassive(q).getConsumerCount(), "round " + round + ", " + q);
            }
        }
        for (String q : queues) {
            admin.queueDelete(q);
        }
    }
}
