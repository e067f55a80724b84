package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.compat.CollectingConsumer.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** basic.ack, nack, reject and recover: what is settled, what comes back, with which flag, where. */
class AckTest extends CompatTest {

    private Connection connection;
    private Channel ch;
    private String q;

    @BeforeEach
    void queueWithFiveMessages() throws Exception {
        connection = connect();
        ch = connection.createChannel();
        q = ch.queueDeclare(name("ack"), false, true, false, null).getQueue();
        publishConfirmed(connection.createChannel(), "", q, "1", "2", "3", "4", "5");
    }

    /** What is left in the queue, drained with basic.get: "body" or "body*" when redelivered. */
    private List<String> remaining() throws IOException {
        Channel other = connection.createChannel();
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = other.basicGet(q, true)) != null) {
            out.add(text(r.getBody()) + (r.getEnvelope().isRedeliver() ? "*" : ""));
        }
        return out;
    }

    private List<Received> consumeAll() throws Exception {
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        return c.next(5);
    }

    @Test
    void ackedMessagesAreGoneAndTheOthersComeBackRedeliveredWhenTheChannelCloses() throws Exception {
        List<Received> got = consumeAll();
        ch.basicAck(got.get(1).tag(), false);
        ch.basicAck(got.get(3).tag(), false);
        ch.close();
        assertEquals(List.of("1*", "3*", "5*"), remaining());
    }

    @Test
    void multipleAckSettlesEverythingUpToTheTag() throws Exception {
        List<Received> got = consumeAll();
        ch.basicAck(got.get(2).tag(), true);
        ch.close();
        assertEquals(List.of("4*", "5*"), remaining());
    }

    @Test
    void multipleAckOfTagZeroSettlesEverything() throws Exception {
        consumeAll();
        ch.basicAck(0, true);
        ch.close();
        assertEquals(List.of(), remaining());
    }

    @Test
    void nackWithRequeueRedeliversInTheOriginalOrder() throws Exception {
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        List<Received> got = c.next(5);
        ch.basicNack(got.get(2).tag(), true, true);
        List<Received> again = c.next(3);
        assertEquals(List.of("1", "2", "3"), again.stream().map(Received::text).toList());
        for (Received r : again) {
            assertTrue(r.redelivered(), r.text());
        }
        assertFalse(got.get(4).redelivered());
    }

    @Test
    void requeuedMessagesReturnToTheirOriginalPosition() throws Exception {
        List<GetResponse> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(get(ch, q, false));
        }
        ch.basicReject(got.get(2).getEnvelope().getDeliveryTag(), true);
        ch.basicReject(got.get(0).getEnvelope().getDeliveryTag(), true);
        // 1 and 3 are back ahead of 4 and 5; 2 is still unacked.
        assertEquals(List.of("1*", "3*", "4", "5"), remaining());
    }

    @Test
    void rejectOrNackWithoutRequeueDropsTheMessage() throws Exception {
        GetResponse one = get(ch, q, false);
        GetResponse two = get(ch, q, false);
        ch.basicReject(one.getEnvelope().getDeliveryTag(), false);
        ch.basicNack(two.getEnvelope().getDeliveryTag(), false, false);
        ch.close();
        assertEquals(List.of("3", "4", "5"), remaining());
    }

    @Test
    void nackMultipleWithoutRequeueDropsEverythingUpToTheTag() throws Exception {
        List<Received> got = consumeAll();
        ch.basicNack(got.get(3).tag(), true, false);
        ch.close();
        assertEquals(List.of("5*"), remaining());
    }

    @Test
    void recoverRedeliversEveryUnackedMessage() throws Exception {
        CollectingConsumer c = new CollectingConsumer(ch);
        ch.basicConsume(q, false, c);
        List<Received> got = c.next(5);
        ch.basicAck(got.get(0).tag(), false);
        ch.basicRecover(true);
        List<Received> again = c.next(4);
        assertEquals(List.of("2", "3", "4", "5"), again.stream().map(Received::text).toList());
        for (Received r : again) {
            assertTrue(r.redelivered());
            // New deliveries, new tags.
            assertTrue(r.tag() > got.get(4).tag());
        }
        // The old tags are gone.
        ch.basicAck(again.get(3).tag(), true);
        ch.close();
        assertEquals(List.of(), remaining());
    }

    @Test
    void secondAckOfATagIs406UnknownDeliveryTag() throws Exception {
        GetResponse r = get(ch, q, false);
        long tag = r.getEnvelope().getDeliveryTag();
        ch.basicAck(tag, false);
        ch.basicAck(tag, false);
        ShutdownSignalException sse = awaitClose(ch);
        assertEquals(AMQP.PRECONDITION_FAILED, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
        assertReplyText("PRECONDITION_FAILED - unknown delivery tag " + tag, sse);
        assertTrue(connection.isOpen());
        // Closing the channel requeued the rest; the acked one stays acked.
        assertEquals(List.of("2", "3", "4", "5"), remaining());
    }

    @Test
    void tagsBelongToTheirChannel() throws Exception {
        GetResponse r = get(ch, q, false);
        Channel other = connection.createChannel();
        other.basicAck(r.getEnvelope().getDeliveryTag(), false);
        ShutdownSignalException sse = awaitClose(other);
        assertReplyText("PRECONDITION_FAILED - unknown delivery tag " + r.getEnvelope().getDeliveryTag(), sse);
        assertTrue(ch.isOpen());
        ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        assertEquals(4, ch.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void rejectOfAnUnknownTagIs406() throws Exception {
        ch.basicReject(42, true);
        ShutdownSignalException sse = awaitClose(ch);
        assertReplyText("PRECONDITION_FAILED - unknown delivery tag 42", sse);
    }

    @Test
    void redeliveredFlagStaysSetAfterTheFirstReturn() throws Exception {
        GetResponse first = get(ch, q, false);
        ch.basicReject(first.getEnvelope().getDeliveryTag(), true);
        GetResponse second = get(ch, q, false);
        assertTrue(second.getEnvelope().isRedeliver());
        ch.basicReject(second.getEnvelope().getDeliveryTag(), true);
        GetResponse third = get(ch, q, true);
        assertEquals("1", text(third.getBody()));
        assertTrue(third.getEnvelope().isRedeliver());
        GetResponse next = get(ch, q, true);
        assertEquals("2", text(next.getBody()));
        assertFalse(next.getEnvelope().isRedeliver());
    }

    /**
     * Messages given back count as ready again. Warren answers the same channel's declare-ok
     * after the requeue (at once); RabbitMQ 3.10 usually does too, but not always (seen once in
     * CI-like runs: 0 right after the reject), so against RabbitMQ the count may take a moment.
     */
    @Test
    void requeuedMessagesAreCountedAsReady() throws Exception {
        for (int i = 0; i < 5; i++) {
            get(ch, q, false);
        }
        ch.basicReject(1, true);
        assertEquals(1, readyCount(1));
        ch.basicNack(0, true, true);
        assertEquals(5, readyCount(5));
    }

    /**
     * Ready messages right after a requeue on {@code ch}: at once on Warren; on RabbitMQ 3.10,
     * whose count can lag a requeue (seen in CI-like runs after reject and after nack of tag 0),
     * polled for up to 2 s until it reaches {@code expected}.
     */
    private int readyCount(int expected) throws Exception {
        int count = ch.queueDeclarePassive(q).getMessageCount();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!BrokerUnderTest.isWarren() && count != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = ch.queueDeclarePassive(q).getMessageCount();
        }
        return count;
    }

    @Test
    void nackOfTagZeroWithMultipleRequeuesEverything() throws Exception {
        for (int i = 0; i < 3; i++) {
            get(ch, q, false);
        }
        ch.basicNack(0, true, true);
        assertEquals(5, readyCount(5));
        assertEquals(List.of("1*", "2*", "3*", "4", "5"), remaining());
    }
}
