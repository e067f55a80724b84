package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import java.io.EOFException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every reply code a client can provoke, and its scope: 403, 404, 405 and 406 close the channel
 * only (the connection and its other channels go on); 501-505, 530 and 540 close the connection.
 * Codes 502 SYNTAX_ERROR, 506 RESOURCE_ERROR and 541 INTERNAL_ERROR have no client-side trigger
 * in RabbitMQ 3.10 (a malformed SASL response, the only 502 source, drops the socket during the
 * handshake), so they are not here.
 */
class ErrorCodesTest extends CompatTest {

    // ---- Soft errors: the channel closes, the connection stays -------------------------------

    /** Runs {@code failing} on a fresh channel and checks a sibling channel is untouched. */
    private ShutdownSignalException channelErrorLeavesTheConnectionUsable(int code, ChannelCall failing)
            throws Exception {
        Connection c = connect();
        Channel sibling = c.createChannel();
        String q = sibling.queueDeclare().getQueue();
        Channel ch = c.createChannel();
        ShutdownSignalException sse = assertChannelError(code, () -> failing.run(ch));
        assertTrue(c.isOpen());
        publishConfirmed(sibling, "", q, "still working");
        assertEquals("still working", text(get(sibling, q, true).getBody()));
        assertTrue(c.createChannel().isOpen());
        return sse;
    }

    @FunctionalInterface
    private interface ChannelCall {
        void run(Channel ch) throws Exception;
    }

    @Test
    void accessRefused403() throws Exception {
        ShutdownSignalException sse = channelErrorLeavesTheConnectionUsable(AMQP.ACCESS_REFUSED,
                ch -> ch.queueDeclare("amq.reserved", false, false, false, null));
        assertReplyText("ACCESS_REFUSED - queue name 'amq.reserved' contains reserved prefix 'amq.*'", sse);
    }

    @Test
    void notFound404() throws Exception {
        ShutdownSignalException sse = channelErrorLeavesTheConnectionUsable(AMQP.NOT_FOUND,
                ch -> ch.queueDeclarePassive("compat-no-such-queue"));
        assertReplyText("NOT_FOUND - no queue 'compat-no-such-queue' in vhost '/'", sse);
        assertEquals(50, ((AMQP.Channel.Close) sse.getReason()).getClassId());
        assertEquals(10, ((AMQP.Channel.Close) sse.getReason()).getMethodId());
    }

    @Test
    void resourceLocked405() throws Exception {
        String q = channel().queueDeclare(name("locked"), false, true, false, null).getQueue();
        ShutdownSignalException sse = channelErrorLeavesTheConnectionUsable(AMQP.RESOURCE_LOCKED,
                ch -> ch.queuePurge(q));
        assertTrue(replyText(sse).startsWith("RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '"
                + q + "'"), replyText(sse));
    }

    @Test
    void preconditionFailed406() throws Exception {
        ShutdownSignalException sse = channelErrorLeavesTheConnectionUsable(AMQP.PRECONDITION_FAILED, ch -> {
            ch.basicAck(99, false);
            ch.queueDeclare();
        });
        assertReplyText("PRECONDITION_FAILED - unknown delivery tag 99", sse);
        assertEquals(60, ((AMQP.Channel.Close) sse.getReason()).getClassId());
        assertEquals(80, ((AMQP.Channel.Close) sse.getReason()).getMethodId());
    }

    @Test
    void closedChannelNumberCanBeOpenedAgain() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Queue.Declare(0, "compat-no-such-queue", true, false, false, false, false, null));
            AMQP.Channel.Close close = raw.awaitChannelClose(1);
            assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            raw.expect(AMQP.Queue.DeclareOk.class);
        }
    }

    @Test
    void methodsAfterAChannelErrorAreIgnoredUntilCloseOk() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.openChannel(2);
            raw.send(1, new AMQImpl.Queue.Declare(0, "compat-no-such-queue", true, false, false, false, false, null));
            // Sent before the client has seen the channel.close: dropped, not answered.
            raw.send(1, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            Method m = raw.readMethod();
            AMQP.Channel.Close close = assertInstanceOf(AMQP.Channel.Close.class, m);
            assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
            raw.send(1, new AMQImpl.Channel.CloseOk());
            raw.send(2, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            raw.expect(AMQP.Queue.DeclareOk.class);
        }
    }

    /**
     * The broker closes a channel (404) while the client's own channel.close is on its way: the
     * broker answers that close, ignores the channel's other methods, and forgets the channel
     * only at the close-ok to its own close, which the client sends once it has seen it. The
     * connection and its other channels go on.
     */
    @Test
    void crossingChannelClosesLeaveTheConnectionOpen() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.openChannel(2);
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            burst.write(RawConnection.frameBytes(1, new AMQImpl.Basic.Publish(0, name("no-such-exchange"), "k",
                    false, false)));
            burst.write(RawConnection.frameBytes(new AMQP.BasicProperties().toFrame(1, 0)));
            burst.write(RawConnection.frameBytes(1, new AMQImpl.Channel.Close(200, "bye", 0, 0)));
            raw.sendBytes(burst.toByteArray());
            assertEquals(AMQP.NOT_FOUND, raw.expect(AMQP.Channel.Close.class).getReplyCode());
            raw.expect(AMQP.Channel.CloseOk.class);
            // Still closing: ignored.
            raw.send(1, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            raw.send(1, new AMQImpl.Channel.CloseOk());
            raw.send(2, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            raw.expect(AMQP.Queue.DeclareOk.class);
            raw.openChannel(1);
        }
    }

    /** The same crossing with the Java client: a publish to a missing exchange, then close(). */
    @Test
    void javaClientClosingAChannelTheBrokerClosesKeepsTheConnection() throws Exception {
        Connection c = connect();
        Channel sibling = c.createChannel();
        for (int i = 0; i < 5; i++) {
            Channel ch = c.createChannel();
            ch.basicPublish(name("no-such-exchange"), "k", null, new byte[] {1});
            try {
                ch.close();
            } catch (ShutdownSignalException expected) {
                // The broker's 404 reached the client before (or instead of) its close-ok.
            }
            // Answered after the broker has read the client's close-ok to its channel.close.
            assertTrue(sibling.queueDeclare().getQueue().startsWith("amq.gen-"));
        }
        assertTrue(c.isOpen());
    }

    // ---- Hard errors: connection.close ------------------------------------------------------

    private static AMQP.Connection.Close rawConnectionError(RawOp op) throws Exception {
        try (RawConnection raw = RawConnection.open(0, 4096, 0)) {
            raw.openChannel(1);
            op.run(raw);
            // (After a frame error neither broker can read our close-ok: both drop the socket a few
            // seconds later; ConnectionTest checks the close handshake itself.)
            return raw.awaitConnectionClose();
        }
    }

    @FunctionalInterface
    private interface RawOp {
        void run(RawConnection raw) throws Exception;
    }

    @Test
    void frameError501ForABadFrameEnd() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw ->
                raw.sendBytes(new byte[] {1, 0, 1, 0, 0, 0, 4, 0, 60, 0, 80, 0}));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertEquals("FRAME_ERROR - type 1, all octets = <<0,60,0,80>>: {invalid_frame_end_marker,0}",
                close.getReplyText());
    }

    @Test
    void frameError501ForAFrameOverFrameMax() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw ->
                raw.sendBytes(new byte[] {3, 0, 1, 0, 0, 0x13, (byte) 0x88}));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertEquals("FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,5000,4088}", close.getReplyText());
    }

    @Test
    void frameError501ForAnUnknownFrameType() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.sendFrame(9, 1, new byte[0]));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertEquals("FRAME_ERROR - type 9, all octets = <<>>: unknown_frame", close.getReplyText());
    }

    @Test
    void frameError501ForAMethodThatCannotBeDecoded() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.sendFrame(1, 1, new byte[] {0, 60, 0, 10, 0}));
        assertEquals(AMQP.FRAME_ERROR, close.getReplyCode());
        assertTrue(close.getReplyText().startsWith("FRAME_ERROR - cannot decode"), close.getReplyText());
        assertEquals(60, close.getClassId());
        assertEquals(10, close.getMethodId());
    }

    @Test
    void commandInvalid503ForAServerMethodFromTheClient() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw ->
                raw.send(1, new AMQImpl.Channel.OpenOk(LongStringHelper.asLongString(""))));
        assertEquals(AMQP.COMMAND_INVALID, close.getReplyCode());
        assertEquals("COMMAND_INVALID - unimplemented method", close.getReplyText());
    }

    @Test
    void commandInvalid503ForAnUnknownExchangeType() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertConnectionError(AMQP.COMMAND_INVALID,
                () -> ch.exchangeDeclare(name("x"), "no-such-type"));
        assertReplyText("COMMAND_INVALID - unknown exchange type 'no-such-type'", sse);
    }

    @Test
    void channelError504ForAMethodOnAChannelNeverOpened() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.send(2, new AMQImpl.Basic.Qos(0, 1, false)));
        assertEquals(AMQP.CHANNEL_ERROR, close.getReplyCode());
        assertEquals("CHANNEL_ERROR - expected 'channel.open'", close.getReplyText());
    }

    @Test
    void channelError504ForASecondChannelOpen() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.send(1, new AMQImpl.Channel.Open("")));
        assertEquals(AMQP.CHANNEL_ERROR, close.getReplyCode());
        assertEquals("CHANNEL_ERROR - second 'channel.open' seen", close.getReplyText());
    }

    @Test
    void channelError504ForAHandshakeMethodOnceOpen() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.send(0, new AMQImpl.Connection.TuneOk(0, 4096, 0)));
        assertEquals(AMQP.CHANNEL_ERROR, close.getReplyCode());
        assertEquals("CHANNEL_ERROR - unexpected method in connection state running", close.getReplyText());
    }

    @Test
    void unexpectedFrame505ForAContentHeaderWithoutItsMethod() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw ->
                raw.sendFrame(new AMQP.BasicProperties().toFrame(1, 10)));
        assertEquals(AMQP.UNEXPECTED_FRAME, close.getReplyCode());
        assertEquals("UNEXPECTED_FRAME - expected method frame, got non method frame instead", close.getReplyText());
    }

    @Test
    void unexpectedFrame505ForAMethodInsteadOfContent() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> {
            raw.send(1, new AMQImpl.Basic.Publish(0, "", "q", false, false));
            raw.send(1, new AMQImpl.Basic.Qos(0, 1, false));
        });
        assertEquals(AMQP.UNEXPECTED_FRAME, close.getReplyCode());
        assertEquals("UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead",
                close.getReplyText());
    }

    @Test
    void unexpectedFrame505ForAHeartbeatOnAChannel() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.sendFrame(8, 1, new byte[0]));
        assertEquals(AMQP.UNEXPECTED_FRAME, close.getReplyCode());
        assertEquals("UNEXPECTED_FRAME - type 8, all octets = <<>>", close.getReplyText());
    }

    /** Raw: the Java client refuses to send a tag it already uses. */
    @Test
    void notAllowed530ForAReusedConsumerTag() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> {
            raw.send(1, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
            String q = raw.expect(AMQP.Queue.DeclareOk.class).getQueue();
            raw.send(1, new AMQImpl.Basic.Consume(0, q, "dup", false, true, false, false, null));
            raw.expect(AMQP.Basic.ConsumeOk.class);
            raw.send(1, new AMQImpl.Basic.Consume(0, q, "dup", false, true, false, false, null));
        });
        assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
        assertEquals("NOT_ALLOWED - attempt to reuse consumer tag 'dup'", close.getReplyText());
        assertEquals(60, close.getClassId());
        assertEquals(20, close.getMethodId());
    }

    @Test
    void notImplemented540ForPrefetchSize() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertConnectionError(AMQP.NOT_IMPLEMENTED, () -> ch.basicQos(4096, 10, false));
        assertReplyText("NOT_IMPLEMENTED - prefetch_size!=0 (4096)", sse);
    }

    @Test
    void notImplemented540ForRecoverWithoutRequeue() throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertConnectionError(AMQP.NOT_IMPLEMENTED, () -> ch.basicRecover(false));
        assertReplyText("NOT_IMPLEMENTED - requeue=false", sse);
    }

    /** A client cannot pause the broker's deliveries: RabbitMQ refuses channel.flow(active=false). */
    @Test
    void notImplemented540ForChannelFlowActiveFalse() throws Exception {
        AMQP.Connection.Close close = rawConnectionError(raw -> raw.send(1, new AMQImpl.Channel.Flow(false)));
        assertEquals(AMQP.NOT_IMPLEMENTED, close.getReplyCode());
        assertEquals("NOT_IMPLEMENTED - active=false", close.getReplyText());
        assertEquals(20, close.getClassId());
        assertEquals(20, close.getMethodId());
    }

    /** RabbitMQ drops the socket (after a delay) on a malformed PLAIN response; Warren refuses the login. */
    @Test
    void malformedSaslResponseNeverOpensTheConnection() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.send(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                    LongStringHelper.asLongString("no-separators"), "en_US"));
            raw.setReadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
            try {
                Method m = raw.readMethod();
                AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, m);
                assertTrue(close.getReplyCode() == AMQP.ACCESS_REFUSED || close.getReplyCode() == AMQP.SYNTAX_ERROR,
                        close::toString);
            } catch (EOFException | SocketException dropped) {
                // RabbitMQ's way.
            }
        }
    }

    /** RabbitMQ's reader crashes on an unknown method (the socket drops); Warren answers 503. */
    @Test
    void unknownMethodEndsTheConnection() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.sendFrame(1, 1, new byte[] {0, 60, 0, 99});
            raw.setReadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
            try {
                AMQP.Connection.Close close = raw.awaitConnectionClose();
                assertEquals(AMQP.COMMAND_INVALID, close.getReplyCode());
            } catch (EOFException | SocketException dropped) {
                // RabbitMQ's way.
            }
        }
    }
}
