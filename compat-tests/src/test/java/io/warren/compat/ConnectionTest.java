package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.SaslConfig;
import com.rabbitmq.client.SaslMechanism;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handshake and the close protocol, as the RabbitMQ Java client and a raw socket see them. */
class ConnectionTest extends CompatTest {

    @Test
    void handshakeNegotiatesRabbitMqDefaults() throws Exception {
        Connection c = connect();
        assertTrue(c.isOpen());
        assertEquals(2047, c.getChannelMax());
        assertEquals(131072, c.getFrameMax());
        assertEquals(60, c.getHeartbeat());
    }

    @Test
    void serverPropertiesAnnounceRabbitMqCapabilities() throws Exception {
        Map<String, Object> props = connect().getServerProperties();
        assertEquals("RabbitMQ", props.get("product").toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) props.get("capabilities");
        for (String cap : new String[] {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "authentication_failure_close", "per_consumer_qos"}) {
            assertEquals(Boolean.TRUE, caps.get(cap), cap);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithAccessRefused() {
        ConnectionFactory f = factory();
        f.setPassword("not-the-password");
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"),
                e.getMessage());
    }

    @Test
    void unknownUserIsRefusedLikeAWrongPassword() {
        ConnectionFactory f = factory();
        f.setUsername("nobody-" + System.nanoTime());
        assertThrows(AuthenticationFailureException.class, f::newConnection);
    }

    /** Without the authentication_failure_close capability the broker just drops the socket. */
    @Test
    void refusedLoginWithoutTheCapabilityIsASilentClose() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.send(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                    LongStringHelper.asLongString("\0guest\0wrong"), "en_US"));
            // RabbitMQ waits a moment, then drops the socket (end of stream or reset): no frame.
            assertSilentClose(raw, "no frame expected");
        }
    }

    @Test
    void amqplainLoginIsAccepted() throws Exception {
        ConnectionFactory f = factory();
        f.setSaslConfig(new AmqPlain());
        Connection c = track(f.newConnection());
        Channel ch = c.createChannel();
        assertTrue(ch.queueDeclare().getQueue().startsWith("amq.gen-"));
    }

    @Test
    void amqplainWithAWrongPasswordIsRefused() {
        ConnectionFactory f = factory();
        f.setSaslConfig(new AmqPlain());
        f.setPassword("not-the-password");
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().contains("AMQPLAIN"), e.getMessage());
    }

    @Test
    void unknownMechanismIsNotOffered() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            AMQP.Connection.Start start = raw.expect(AMQP.Connection.Start.class);
            String mechanisms = start.getMechanisms().toString();
            assertTrue(mechanisms.contains("PLAIN") && mechanisms.contains("AMQPLAIN"), mechanisms);
            assertEquals(0, start.getVersionMajor());
            assertEquals(9, start.getVersionMinor());
        }
    }

    @Test
    void clientLowersFrameMaxAndChannelMax() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(8192);
        f.setRequestedChannelMax(10);
        f.setRequestedHeartbeat(5);
        Connection c = track(f.newConnection());
        assertEquals(8192, c.getFrameMax());
        assertEquals(10, c.getChannelMax());
        assertEquals(5, c.getHeartbeat());
    }

    @Test
    void unknownVhostIsRefused() {
        ConnectionFactory f = factory();
        f.setVirtualHost("no-such-vhost");
        IOException e = assertThrows(IOException.class, f::newConnection);
        ShutdownSignalException sse = assertInstanceOf(ShutdownSignalException.class, e.getCause());
        AMQP.Connection.Close close = (AMQP.Connection.Close) sse.getReason();
        assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
        assertTrue(close.getReplyText().startsWith("NOT_ALLOWED - ") && close.getReplyText().contains("no-such-vhost"),
                close.getReplyText());
    }

    /** RabbitMQ counts open channels against channel_max: 530 when one more is opened. */
    @Test
    void channelMaxIsEnforcedOnTheNumberOfOpenChannels() throws Exception {
        try (RawConnection raw = RawConnection.open(2, 131072, 0)) {
            raw.openChannel(1);
            raw.openChannel(2);
            // Closing one frees its place.
            raw.send(2, new AMQImpl.Channel.Close(200, "bye", 0, 0));
            raw.expect(AMQP.Channel.CloseOk.class);
            raw.openChannel(3);
            raw.send(4, new AMQImpl.Channel.Open(""));
            AMQP.Connection.Close close = raw.awaitConnectionClose();
            assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
            assertEquals("NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)",
                    close.getReplyText());
        }
    }

    @Test
    void tuneOkAboveTheServersChannelMaxIsRefused() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.send(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                    LongStringHelper.asLongString("\0guest\0guest"), "en_US"));
            AMQP.Connection.Tune tune = raw.expect(AMQP.Connection.Tune.class);
            raw.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax() + 1, 131072, 0));
            raw.setReadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
            // RabbitMQ 3.10 drops the socket; later versions (and Warren) send a 530 first.
            try {
                Method m = raw.readMethod();
                AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, m);
                assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
                assertEquals("NOT_ALLOWED - negotiated channel_max = " + (tune.getChannelMax() + 1)
                        + " is higher than the maximum allowed value (" + tune.getChannelMax() + ")",
                        close.getReplyText());
            } catch (EOFException | SocketException dropped) {
                // The other accepted answer.
            }
        }
    }

    @Test
    void clientCloseIsAnsweredWithCloseOk() throws Exception {
        Connection c = factory().newConnection();
        Channel ch = c.createChannel();
        ch.queueDeclare();
        c.close(AMQP.REPLY_SUCCESS, "done", TIMEOUT_SECONDS * 1000);
        assertFalse(c.isOpen());
        assertTrue(c.getCloseReason().isInitiatedByApplication());
    }

    /** The client closes; by close-ok the broker has dropped the connection's exclusive queues. */
    @Test
    void rawCloseIsAnsweredWithCloseOkAfterCleanUp() throws Exception {
        String queue = name("raw-exclusive");
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            raw.send(1, new AMQImpl.Queue.Declare(0, queue, false, false, true, false, false, null));
            raw.expect(AMQP.Queue.DeclareOk.class);
            raw.send(0, new AMQImpl.Connection.Close(200, "bye", 0, 0));
            raw.expect(AMQP.Connection.CloseOk.class);
            assertFalse(queueExists(queue), "exclusive queue survived its connection's close-ok");
        }
    }

    /**
     * A connection error: the broker sends connection.close, ignores everything but close and
     * close-ok from then on (spec 2.2.4), and drops the socket once the client answers.
     */
    @Test
    void serverCloseIgnoresChannelTrafficUntilCloseOk() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            // 540: prefetch_size is not implemented (RabbitMQ closes the connection).
            raw.send(1, new AMQImpl.Basic.Qos(1024, 0, false));
            Method m = raw.readMethod();
            AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, m);
            assertEquals(AMQP.NOT_IMPLEMENTED, close.getReplyCode());
            assertEquals(60, close.getClassId());
            assertEquals(10, close.getMethodId());
            // Not answered: the connection is closing.
            raw.send(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, null));
            raw.send(0, new AMQImpl.Connection.CloseOk());
            assertNotNull(raw.awaitEof(Duration.ofSeconds(TIMEOUT_SECONDS)), "socket still open after close-ok");
        }
    }

    /**
     * The client closes with frames still in flight behind its connection.close: the broker
     * answers close-ok, discards the rest and leaves the socket to the client; dropping it first
     * would reset the connection under the client (lost close-ok, EPIPE on its writes).
     */
    @Test
    void clientCloseWithFramesInFlightIsNotReset() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            byte[] publish = publishFrames(1, 1000);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(RawConnection.frameBytes(0, new AMQImpl.Connection.Close(200, "bye", 0, 0)));
            for (int i = 0; i < 100; i++) {
                burst.write(publish);
            }
            raw.sendBytes(burst.toByteArray());
            raw.expect(AMQP.Connection.CloseOk.class);
            // Later still: these too are read and dropped.
            for (int i = 0; i < 10; i++) {
                raw.sendBytes(publish);
            }
            assertNull(raw.awaitEof(Duration.ofMillis(500)), "the broker dropped the socket under the client");
        }
    }

    /** A client that keeps the socket open after close-ok is dropped a little later. */
    @Test
    @WarrenOnly
    void socketKeptOpenAfterCloseOkIsDroppedAfterATimeout() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.send(0, new AMQImpl.Connection.Close(200, "bye", 0, 0));
            raw.expect(AMQP.Connection.CloseOk.class);
            Duration after = raw.awaitEof(Duration.ofSeconds(TIMEOUT_SECONDS));
            assertNotNull(after, "socket still open");
            assertTrue(after.toMillis() >= 1000, "dropped after " + after.toMillis() + " ms");
        }
    }

    /**
     * Crossing closes: the broker closes the connection (540) while the client's own
     * connection.close is on its way. The broker answers that close and still waits for the
     * close-ok to its own before it ends the socket, cleanly. (RabbitMQ 3.10 leaves the client's
     * close unanswered and resets the socket when the close-ok arrives.)
     */
    @Test
    @WarrenOnly
    void crossingConnectionClosesEndCleanly() throws Exception {
        try (RawConnection raw = RawConnection.open()) {
            raw.openChannel(1);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(RawConnection.frameBytes(1, new AMQImpl.Basic.Qos(1024, 0, false)));
            burst.write(RawConnection.frameBytes(0, new AMQImpl.Connection.Close(200, "bye", 0, 0)));
            raw.sendBytes(burst.toByteArray());
            assertEquals(AMQP.NOT_IMPLEMENTED, raw.expect(AMQP.Connection.Close.class).getReplyCode());
            raw.expect(AMQP.Connection.CloseOk.class);
            assertNull(raw.awaitEof(Duration.ofMillis(300)), "socket dropped before our close-ok");
            raw.send(0, new AMQImpl.Connection.CloseOk());
            // An end of stream, not a reset (which readFrame reports as a SocketException).
            assertThrows(EOFException.class, raw::readFrame);
        }
    }

    private static byte[] publishFrames(int channel, int bodySize) throws IOException {
        byte[] body = new byte[bodySize];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        new AMQImpl.Basic.Publish(0, "", "no-such-queue", false, false).toFrame(channel).writeTo(out);
        new AMQP.BasicProperties().toFrame(channel, body.length).writeTo(out);
        out.write(RawConnection.frameBytes(AMQP.FRAME_BODY, channel, body));
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Until tune-ok the frame_max is 4,096 bytes: a larger start-ok (big client properties) is
     * refused as RabbitMQ refuses it, without connection.close and after a delay; one of exactly
     * 4,096 bytes of payload is accepted.
     */
    @Test
    void startOkOverThePreTuneFrameMaxIsRefused() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.sendBytes(startOkWithPayload(4097));
            assertSilentClose(raw, "no tune expected");
        }
    }

    @Test
    void startOkOfExactlyThePreTuneFrameMaxIsAccepted() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.sendBytes(startOkWithPayload(4096));
            raw.expect(AMQP.Connection.Tune.class);
        }
    }

    /** The broker drops the socket (end of stream or reset) within the timeout, sending no frame. */
    private static void assertSilentClose(RawConnection raw, String message) throws IOException {
        raw.setReadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
        IOException e = assertThrows(IOException.class, raw::readFrame, message);
        assertTrue(e instanceof EOFException || e instanceof SocketException, e::toString);
    }

    /** A start-ok frame (guest's login) whose payload is exactly {@code payload} bytes. */
    private static byte[] startOkWithPayload(int payload) throws IOException {
        int bare = RawConnection.frameBytes(0, startOk("")).length - 8;
        byte[] frame = RawConnection.frameBytes(0, startOk("x".repeat(payload - bare)));
        assertEquals(payload + 8, frame.length);
        return frame;
    }

    private static Method startOk(String padding) {
        Map<String, Object> properties = Map.of("padding", LongStringHelper.asLongString(padding));
        return new AMQImpl.Connection.StartOk(properties, "PLAIN",
                LongStringHelper.asLongString("\0guest\0guest"), "en_US");
    }

    /** Another error before tune-ok: a method out of order ends the connection the same way. */
    @Test
    void methodOutOfOrderBeforeTuneOkIsASilentClose() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.send(0, new AMQImpl.Connection.TuneOk(0, 131072, 0));
            assertSilentClose(raw, "no connection.close expected");
        }
    }

    /**
     * After tune-ok the peer is trusted with a close frame, whatever the error (seen on RabbitMQ
     * 3.10.8 for methods out of order and frame errors alike), and a method other than
     * connection.open is RabbitMQ's "unexpected method" channel error.
     */
    @Test
    void methodOutOfOrderAfterTuneOkIsAConnectionClose() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
            raw.send(0, startOk(""));
            AMQP.Connection.Tune tune = raw.expect(AMQP.Connection.Tune.class);
            raw.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), 131072, 0));
            raw.send(0, new AMQImpl.Basic.Qos(0, 10, false));
            AMQP.Connection.Close close = raw.awaitConnectionClose();
            assertEquals(AMQP.CHANNEL_ERROR, close.getReplyCode());
            assertEquals("CHANNEL_ERROR - unexpected method in connection state opening", close.getReplyText());
            assertEquals(60, close.getClassId());
            assertEquals(10, close.getMethodId());
        }
    }

    @Test
    void serverCloseIsSeenByTheJavaClient() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        ShutdownSignalException sse = assertConnectionError(AMQP.NOT_IMPLEMENTED, () -> ch.basicQos(1024, 1, false));
        assertReplyText("NOT_IMPLEMENTED - prefetch_size!=0 (1024)", sse);
        assertFalse(sse.isInitiatedByApplication());
        awaitClose(c);
        assertFalse(c.isOpen());
    }

    @Test
    void closingTheSocketMidHandshakeLeavesTheBrokerServing() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(RawConnection.PROTOCOL_HEADER);
            raw.expect(AMQP.Connection.Start.class);
        }
        assertTrue(connect().createChannel().isOpen());
    }

    @Test
    void wrongProtocolHeaderIsAnsweredWithTheSupportedOne() throws Exception {
        try (RawConnection raw = RawConnection.connect()) {
            raw.sendBytes(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 8, 0});
            raw.setReadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
            byte[] answer = new byte[8];
            java.io.DataInputStream in = new java.io.DataInputStream(rawInput(raw));
            in.readFully(answer);
            assertEquals("AMQP\u0000\u0000\u0009\u0001", new String(answer, StandardCharsets.ISO_8859_1));
            assertNotNull(raw.awaitEof(Duration.ofSeconds(TIMEOUT_SECONDS)));
        } catch (SocketException e) {
            throw new AssertionError("expected the protocol header back before the close", e);
        }
    }

    private static java.io.InputStream rawInput(RawConnection raw) {
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                return raw.readByte();
            }
        };
    }

    /** AMQPLAIN: RabbitMQ's own mechanism, a field table of LOGIN and PASSWORD without its length. */
    private static final class AmqPlain implements SaslConfig, SaslMechanism {
        @Override
        public SaslMechanism getSaslMechanism(String[] mechanisms) {
            return this;
        }

        @Override
        public String getName() {
            return "AMQPLAIN";
        }

        @Override
        public LongString handleChallenge(LongString challenge, String username, String password) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                field(out, "LOGIN", username);
                field(out, "PASSWORD", password);
                return LongStringHelper.asLongString(bytes.toByteArray());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void field(DataOutputStream out, String name, String value) throws IOException {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.writeByte(n.length);
            out.write(n);
            out.writeByte('S');
            out.writeInt(v.length);
            out.write(v);
        }
    }
}
