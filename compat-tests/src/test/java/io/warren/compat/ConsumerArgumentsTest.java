package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The basic.consume arguments RabbitMQ 3.10 checks, and its 406 texts. */
class ConsumerArgumentsTest extends CompatTest {

    @Test
    void xPriorityMustBeAnInteger() throws Exception {
        String q = classicQueue();
        Object[][] cases = {
            {"high", "longstr"},
            {true, "bool"},
            {1.5, "double"},
            {1.5f, "float"},
            {new BigDecimal("1.5"), "decimal"},
            {Map.of("a", 1), "table"},
            {List.of(1), "array"},
            {null, "void"},
        };
        for (Object[] c : cases) {
            Map<String, Object> args = new HashMap<>();
            args.put("x-priority", c[0]);
            assertRefused(q, args, "invalid arg 'x-priority' for queue '" + q + "' in vhost '/': "
                    + "\"expected integer, got " + c[1] + "\"");
        }
    }

    @Test
    void xPriorityOfAnyIntegerWidthIsAccepted() throws Exception {
        String q = classicQueue();
        Channel ch = channel();
        for (Object p : new Object[] {(byte) 3, (short) 3, 3, 3L, 1L << 40, -5}) {
            String tag = ch.basicConsume(q, true, Map.of("x-priority", p), new CollectingConsumer(ch));
            ch.basicCancel(tag);
        }
        assertTrue(ch.isOpen());
    }

    /** Of two consumers with credit, the higher x-priority gets the messages, also one past the int range. */
    @Test
    void aLongXPriorityKeepsItsOrder() throws Exception {
        String q = classicQueue();
        Connection c = connect();
        Channel low = c.createChannel();
        Channel high = c.createChannel();
        CollectingConsumer lowConsumer = new CollectingConsumer(low);
        CollectingConsumer highConsumer = new CollectingConsumer(high);
        low.basicConsume(q, true, Map.of("x-priority", 1), lowConsumer);
        high.basicConsume(q, true, Map.of("x-priority", 1L << 40), highConsumer);
        publishConfirmed(c.createChannel(), "", q, "1", "2", "3");
        highConsumer.next(3);
        assertEquals(0, lowConsumer.pending());
    }

    @Test
    void xCancelOnHaFailoverMustBeABoolean() throws Exception {
        String q = classicQueue();
        assertRefused(q, Map.of("x-cancel-on-ha-failover", "yes"),
                "invalid arg 'x-cancel-on-ha-failover' for queue '" + q + "' in vhost '/': {unacceptable_type,longstr}");
        assertRefused(q, Map.of("x-cancel-on-ha-failover", 1),
                "invalid arg 'x-cancel-on-ha-failover' for queue '" + q + "' in vhost '/': {unacceptable_type,signedint}");
        Channel ch = channel();
        ch.basicConsume(q, true, Map.of("x-cancel-on-ha-failover", true), new CollectingConsumer(ch));
        assertTrue(ch.isOpen());
    }

    @Test
    void xStreamOffsetIsOnlyForStreams() throws Exception {
        String q = classicQueue();
        assertRefused(q, Map.of("x-stream-offset", "first"),
                "invalid arg 'x-stream-offset' for queue '" + q + "' in vhost '/' of queue type rabbit_classic_queue");
    }

    @Test
    void aQuorumQueueRefusesHaAndStreamArguments() throws Exception {
        String q = queueName("consumer-args-quorum");
        channel().queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        assertRefused(q, Map.of("x-cancel-on-ha-failover", true),
                "invalid arg 'x-cancel-on-ha-failover' for queue '" + q + "' in vhost '/' of queue type rabbit_quorum_queue");
        assertRefused(q, Map.of("x-stream-offset", 0),
                "invalid arg 'x-stream-offset' for queue '" + q + "' in vhost '/' of queue type rabbit_quorum_queue");
        assertRefused(q, Map.of("x-priority", "high"),
                "invalid arg 'x-priority' for queue '" + q + "' in vhost '/': \"expected integer, got longstr\"");
    }

    @Test
    void unknownArgumentsAreIgnored() throws Exception {
        String q = classicQueue();
        Channel ch = channel();
        ch.basicConsume(q, true, Map.of("x-whatever", "anything"), new CollectingConsumer(ch));
        assertTrue(ch.isOpen());
    }

    private String classicQueue() throws Exception {
        String q = queueName("consumer-args");
        channel().queueDeclare(q, false, false, false, null);
        return q;
    }

    private void assertRefused(String q, Map<String, Object> args, String explanation) throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertChannelError(AMQP.PRECONDITION_FAILED,
                () -> ch.basicConsume(q, true, args, new CollectingConsumer(ch)));
        assertReplyText("PRECONDITION_FAILED - " + explanation, sse);
        assertEquals(60, ((AMQP.Channel.Close) sse.getReason()).getClassId());
        assertEquals(20, ((AMQP.Channel.Close) sse.getReason()).getMethodId());
    }
}
