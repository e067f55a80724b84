package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.compat.BrokerUnderTest;
import io.warren.compat.WarrenOnly;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that stops tells its clients why before it goes, as RabbitMQ does: connection.close
 * 320 CONNECTION_FORCED "broker forced connection closure with reason 'shutdown'" (seen from a
 * RabbitMQ 3.10.8 stopped by SIGTERM), not a bare end of stream. Clients log it and reconnect
 * knowing the broker went away on purpose.
 */
@WarrenOnly
class ShutdownTest {

    private static final String SHUTDOWN_TEXT =
            "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'";

    @TempDir
    Path dataDir;

    @Test
    void sigtermClosesClientConnectionsWithConnectionForced() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            Connection c = warren.factory().newConnection();
            c.createChannel();
            CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
            c.addShutdownListener(closed::complete);
            warren.stop();
            assertClosedForShutdown(closed.get(10, TimeUnit.SECONDS));
            assertTrue(warren.stdout().contains("Warren stopping: closing 1 client connection "),
                    "the shutdown is not logged:\n" + warren.stdout() + "\nstderr:\n" + warren.stderr());
            assertTrue(warren.stdout().contains("Warren stopped"), warren.stdout());
        }
    }

    @Test
    void closingAnInProcessBrokerClosesClientConnectionsWithConnectionForced() throws Exception {
        Broker broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral());
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setHost("localhost");
        f.setPort(broker.amqpPort());
        List<CompletableFuture<ShutdownSignalException>> closed = List.of(new CompletableFuture<>(),
                new CompletableFuture<>());
        try {
            for (CompletableFuture<ShutdownSignalException> each : closed) {
                Connection c = f.newConnection();
                c.createChannel().queueDeclare("", false, true, true, null);
                c.addShutdownListener(each::complete);
            }
        } finally {
            broker.close();
        }
        for (CompletableFuture<ShutdownSignalException> each : closed) {
            assertClosedForShutdown(each.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, broker.connections().count(), "connections left after close");
    }

    /** A client that never answers connection.close is dropped after the wait, with a warning in the log. */
    @Test
    void sigtermReportsDroppedConnections() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(dataDir);
             Socket silent = openedAsGuest(warren.port())) {
            warren.stop();
            assertTrue(warren.stderr().lines().anyMatch(l -> l.contains("[WARN]") && l.endsWith(
                            "1 client connection did not answer connection.close in 2000 ms; dropped it")),
                    "the dropped connection is not reported:\n" + warren.stdout() + "\nstderr:\n" + warren.stderr());
            assertTrue(warren.stdout().contains("Warren stopped"), warren.stdout());
        }
    }

    /**
     * A connection still in its handshake has nobody to tell why: shutdown closes its socket at
     * once instead of waiting for it (it took the whole wait, and then counted as dropped).
     */
    @Test
    void shutdownClosesAConnectionInItsHandshakeAtOnce() throws Exception {
        Broker broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral());
        Broker.Stopped stopped;
        try (Socket handshaking = new Socket("localhost", broker.amqpPort())) {
            handshaking.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(handshaking.getInputStream());
            handshaking.getOutputStream().write(PROTOCOL_HEADER);
            expect(in, AMQP.Connection.Start.class);
            stopped = broker.shutdown();
            assertEquals(-1, in.read(), "the socket is still open");
        }
        assertEquals(0, stopped.droppedConnections(), "shutdown waited for the handshaking connection");
        assertEquals(0, broker.connections().count(), "connections left after close");
    }

    private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    /** A socket through connection.open-ok as guest that will never answer anything again. */
    private static Socket openedAsGuest(int port) throws IOException {
        Socket s = new Socket("localhost", port);
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.write(PROTOCOL_HEADER);
        expect(in, AMQP.Connection.Start.class);
        send(out, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                LongStringHelper.asLongString("\0guest\0guest"), "en_US"));
        AMQP.Connection.Tune tune = expect(in, AMQP.Connection.Tune.class);
        send(out, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), tune.getFrameMax(), 0));
        send(out, new AMQImpl.Connection.Open("/", "", false));
        expect(in, AMQP.Connection.OpenOk.class);
        return s;
    }

    private static void send(DataOutputStream out, Method m) throws IOException {
        m.toFrame(0).writeTo(out);
        out.flush();
    }

    private static <T> T expect(DataInputStream in, Class<T> type) throws IOException {
        Frame f = Frame.readFrom(in, () -> Integer.MAX_VALUE);
        assertNotNull(f, "no frame from the broker");
        Method m = AMQImpl.readMethodFrom(f.getInputStream());
        return assertInstanceOf(type, m);
    }

    private static void assertClosedForShutdown(ShutdownSignalException s) {
        assertFalse(s.isInitiatedByApplication(), "the client closed it: " + s);
        assertTrue(s.isHardError(), "not a connection error: " + s);
        AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, s.getReason(),
                "no connection.close from the broker (a bare end of stream?): " + s);
        assertEquals(320, close.getReplyCode(), s.toString());
        assertEquals(SHUTDOWN_TEXT, close.getReplyText());
    }
}
