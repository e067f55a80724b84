package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A connection's open and close are logged as RabbitMQ logs them (peer -> local, user, vhost, name). */
class ConnectionLogTest {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLog.class);
    private Level levelBefore;
    private Broker broker;

    @BeforeEach
    void capture() throws Exception {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        captured.start();
        logger.addAppender(captured);
        broker = Broker.start(BrokerConfig.builder().ephemeral().build());
    }

    @AfterEach
    void release() {
        broker.close();
        logger.detachAppender(captured);
        logger.setLevel(levelBefore);
    }

    @Test
    void aClientsOpenAndCloseAreLoggedWithPeerUserVhostAndName() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(broker.amqpPort());
        String peer;
        try (Connection c = f.newConnection("orders-service")) {
            peer = broker.connections().all().iterator().next().name();
            assertTrue(peer.matches("127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + broker.amqpPort()), peer);
        }
        ILoggingEvent closing = await(e -> e.getFormattedMessage().startsWith("closing AMQP connection"));
        assertEquals(List.of(
                        "INFO accepting AMQP connection (" + peer + ")",
                        "INFO connection (" + peer + ") has a client-provided name: orders-service",
                        "INFO connection (" + peer + " - orders-service): user 'guest' authenticated and granted"
                                + " access to vhost '/'",
                        "INFO closing AMQP connection (" + peer + " - orders-service, vhost: '/', user: 'guest')"),
                lines(), "closing: " + closing);
    }

    @Test
    void aSocketDroppedWithoutConnectionCloseIsLoggedAsUnexpected() throws Exception {
        String peer;
        try (Socket s = new Socket("127.0.0.1", broker.amqpPort())) {
            peer = "127.0.0.1:" + s.getLocalPort() + " -> 127.0.0.1:" + broker.amqpPort();
            OutputStream out = s.getOutputStream();
            out.write("AMQP".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 9, 1});
            out.flush();
            InputStream in = s.getInputStream();
            assertTrue(in.read() >= 0, "no connection.start");
        }
        await(e -> e.getFormattedMessage().startsWith("closing AMQP connection"));
        assertEquals(List.of(
                        "INFO accepting AMQP connection (" + peer + ")",
                        "WARN closing AMQP connection (" + peer + "): client unexpectedly closed TCP connection"),
                lines());
    }

    @Test
    void aSocketThatNeverSentTheProtocolHeaderIsNotLogged() throws Exception {
        try (Socket s = new Socket("127.0.0.1", broker.amqpPort())) {
            assertTrue(s.isConnected());
        }
        // then a real connection, whose lines must be the first ones
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(broker.amqpPort());
        f.newConnection().close();
        await(e -> e.getFormattedMessage().startsWith("closing AMQP connection"));
        assertTrue(lines().get(0).startsWith("INFO accepting AMQP connection"), lines().toString());
        assertEquals(3, lines().size(), lines().toString());
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        synchronized (captured) {
            for (ILoggingEvent e : captured.list) {
                out.add(e.getLevel() + " " + e.getFormattedMessage());
            }
        }
        return out;
    }

    private ILoggingEvent await(Predicate<ILoggingEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (captured) {
                for (ILoggingEvent e : captured.list) {
                    if (wanted.test(e)) {
                        return e;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not logged; got " + lines());
    }
}
