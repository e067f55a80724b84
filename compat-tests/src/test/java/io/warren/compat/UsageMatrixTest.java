package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.compat.CollectingConsumer.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The everyday combinations, all of them: every kind of queue a RabbitMQ user declares, times
 * persistent or transient messages, times publishing without confirms, with confirms or in a
 * transaction, times every way of taking messages (consume or get, acked or not). Each case
 * publishes {@value #N} messages and checks that the queue counts them, that they come out
 * exactly once, in order, with their delivery mode, and that nothing is left afterwards, ready
 * or unacknowledged.
 *
 * <p>On Warren the matrix runs against its own broker with a disk store ({@link
 * DiskStoreCompatTest}), since persistent messages in durable queues take another path there: a
 * persistent publish without confirms once closed the connection (541) only with a disk store. What survives a restart is {@code durability.PersistentPublishRestartTest}.
 */
class UsageMatrixTest extends DiskStoreCompatTest {

    static final int N = 20;

    enum QueueKind {
        DURABLE(true, false, false),
        TRANSIENT(false, false, false),
        EXCLUSIVE(false, true, false),
        AUTO_DELETE(false, false, true);

        final boolean durable;
        final boolean exclusive;
        final boolean autoDelete;

        QueueKind(boolean durable, boolean exclusive, boolean autoDelete) {
            this.durable = durable;
            this.exclusive = exclusive;
            this.autoDelete = autoDelete;
        }
    }

    enum Message {
        PERSISTENT(MessageProperties.PERSISTENT_TEXT_PLAIN),
        TRANSIENT(MessageProperties.TEXT_PLAIN);

        final AMQP.BasicProperties properties;

        Message(AMQP.BasicProperties properties) {
            this.properties = properties;
        }
    }

    enum Publishing { NO_CONFIRMS, CONFIRMS, TX }

    enum Taking {
        CONSUME_ACK(true, false),
        CONSUME_NO_ACK(true, true),
        GET_ACK(false, false),
        GET_NO_ACK(false, true);

        final boolean consume;
        final boolean autoAck;

        Taking(boolean consume, boolean autoAck) {
            this.consume = consume;
            this.autoAck = autoAck;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (QueueKind q : QueueKind.values()) {
            for (Message m : Message.values()) {
                for (Publishing p : Publishing.values()) {
                    for (Taking t : Taking.values()) {
                        all.add(Arguments.of(q, m, p, t));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} queue, {1} messages, {2}, {3}")
    @MethodSource("cases")
    void everyMessageOnceInOrderAndNothingLeft(QueueKind kind, Message message, Publishing publishing,
            Taking taking) throws Exception {
        Connection connection = connect();
        Channel publisher = connection.createChannel();
        String q = queueName("matrix");
        publisher.queueDeclare(q, kind.durable, kind.exclusive, kind.autoDelete, null);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            bodies.add(q + " #" + i);
        }

        publish(publisher, publishing, q, message.properties, bodies);
        assertEquals(N, readyCount(publisher, q, publishing), "ready after publishing");

        Channel taker = connection.createChannel();
        if (taking.consume) {
            consumeAll(taker, q, taking.autoAck, bodies, message);
        } else {
            getAll(taker, q, taking.autoAck, bodies, message);
        }
        taker.close(); // anything still unacknowledged would go back to the queue now

        if (taking.consume && kind.autoDelete) {
            // its only consumer is gone, and with it the queue
            eventually("auto-delete queue " + q + " deleted", () -> !queueExists(q));
            return;
        }
        AMQP.Queue.DeclareOk after = publisher.queueDeclarePassive(q);
        assertEquals(0, after.getMessageCount(), "messages back in the queue after the taking channel closed");
        assertEquals(0, after.getConsumerCount());
    }

    private static void publish(Channel ch, Publishing publishing, String q, AMQP.BasicProperties props,
            List<String> bodies) throws Exception {
        switch (publishing) {
            case NO_CONFIRMS -> {
                for (String body : bodies) {
                    ch.basicPublish("", q, props, bytes(body));
                }
            }
            case CONFIRMS -> {
                ch.confirmSelect();
                for (String body : bodies) {
                    ch.basicPublish("", q, props, bytes(body));
                }
                ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
            }
            case TX -> {
                ch.txSelect();
                for (String body : bodies) {
                    ch.basicPublish("", q, props, bytes(body));
                }
                ch.txCommit();
            }
        }
    }

    /**
     * The queue's ready count once every publish is in. After a confirm or a commit it is at once;
     * without either, RabbitMQ may answer a passive declare on the publishing channel before its
     * queue has taken the publishes sent ahead of it (the queue process serves the count first),
     * so then the count is polled until it reaches N — and must not pass it.
     */
    private static int readyCount(Channel ch, String q, Publishing publishing) throws Exception {
        int count = ch.queueDeclarePassive(q).getMessageCount();
        if (publishing == Publishing.NO_CONFIRMS) {
            long deadline = System.nanoTime() + TIMEOUT_SECONDS * 1_000_000_000L;
            while (count < N && System.nanoTime() < deadline) {
                Thread.sleep(5);
                count = ch.queueDeclarePassive(q).getMessageCount();
            }
        }
        return count;
    }

    /** Consumes the N messages, acks each one unless auto-ack, then cancels; nothing more comes. */
    private static void consumeAll(Channel ch, String q, boolean autoAck, List<String> bodies, Message message)
            throws Exception {
        CollectingConsumer consumer = new CollectingConsumer(ch);
        String tag = ch.basicConsume(q, autoAck, consumer);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Received r = consumer.next();
            got.add(r.text());
            assertFalse(r.redelivered(), r::text);
            assertEquals(message.properties.getDeliveryMode(), r.properties().getDeliveryMode(), r::text);
            if (!autoAck) {
                ch.basicAck(r.tag(), false);
            }
        }
        assertEquals(bodies, got);
        // a round trip on the channel: an ack the broker refused would have closed it
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount(), "ready after consuming everything");
        ch.basicCancel(tag);
        assertNull(consumer.poll(0), "a delivery after the " + bodies.size() + " published");
    }

    /** Gets the N messages one by one (acking each unless no-ack); then the queue answers get-empty. */
    private static void getAll(Channel ch, String q, boolean autoAck, List<String> bodies, Message message)
            throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            GetResponse r = ch.basicGet(q, autoAck);
            assertNotNull(r, "get-empty after " + i + " of " + bodies.size());
            got.add(text(r.getBody()));
            assertFalse(r.getEnvelope().isRedeliver(), () -> text(r.getBody()));
            assertEquals(bodies.size() - 1 - i, r.getMessageCount(), "get-ok's count of the messages left");
            assertEquals(message.properties.getDeliveryMode(), r.getProps().getDeliveryMode());
            if (!autoAck) {
                ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
        }
        assertEquals(bodies, got);
        assertNull(ch.basicGet(q, autoAck), "a message after the " + bodies.size() + " published");
    }
}
