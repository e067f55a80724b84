package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What keeps one client from exhausting the broker's connections: the handshake timeout
 * (RabbitMQ's handshake_timeout), the cap on sockets still in the handshake, and the global
 * connection limit (RabbitMQ's connection_max, refused at connection.open with RabbitMQ's text).
 * Each on a broker of its own with small limits.
 */
@WarrenOnly
class ConnectionGuardTest {

    private static Broker start(BrokerConfig.Builder config) {
        return BrokerUnderTest.startWarren(config.heartbeatSeconds(60));
    }

    private static ConnectionFactory factory(Broker broker) {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setHost("localhost");
        f.setPort(broker.amqpPort());
        return f;
    }

    @Test
    void aSocketThatSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral();
        config.handshakeTimeoutMillis = 300;
        try (Broker broker = start(config); RawConnection silent = RawConnection.connect(broker.amqpPort())) {
            Duration closedAfter = silent.awaitEof(Duration.ofSeconds(5));
            assertNotNull(closedAfter, "a socket that sent nothing was still open after 5 s");
            assertTrue(closedAfter.toMillis() >= 200, "closed after " + closedAfter);
        }
    }

    @Test
    void aClientThatStopsAfterConnectionStartIsClosedAfterTheHandshakeTimeout() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral();
        config.handshakeTimeoutMillis = 300;
        try (Broker broker = start(config); RawConnection stalled = RawConnection.connect(broker.amqpPort())) {
            stalled.sendBytes(RawConnection.PROTOCOL_HEADER);
            stalled.expect(AMQP.Connection.Start.class);
            assertNotNull(stalled.awaitEof(Duration.ofSeconds(5)), "a client silent after connection.start"
                    + " was still connected after 5 s");
        }
    }

    @Test
    void anOpenConnectionOutlivesTheHandshakeTimeout() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral();
        config.handshakeTimeoutMillis = 1500; // room for a slow handshake on a loaded machine
        try (Broker broker = start(config); RawConnection open = RawConnection.connect(broker.amqpPort())) {
            open.handshake(0, 131072, 0);
            assertNull(open.awaitEof(Duration.ofMillis(2000)), "an open connection was closed");
        }
    }

    @Test
    void socketsBeyondTheUnauthenticatedCapAreClosedAtOnce() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral();
        config.maxUnauthenticatedConnections = 3;
        List<RawConnection> pending = new ArrayList<>();
        try (Broker broker = start(config)) {
            ConnectionFactory f = factory(broker);
            // open connections are past the handshake: they do not count
            List<Connection> open = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                open.add(f.newConnection());
            }
            try {
                for (int i = 0; i < 3; i++) {
                    RawConnection raw = RawConnection.connect(broker.amqpPort());
                    pending.add(raw);
                    raw.sendBytes(RawConnection.PROTOCOL_HEADER);
                    raw.expect(AMQP.Connection.Start.class); // the broker has it, counted
                }
                try (RawConnection refused = RawConnection.connect(broker.amqpPort())) {
                    assertEquals(-1, refused.readByte(), "a socket over the cap got an answer");
                }
                assertThrows(IOException.class, f::newConnection, "a client was let in over the cap");
                assertTrue(open.stream().allMatch(Connection::isOpen), "open connections were touched");

                pending.remove(0).close();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (true) {
                    try (Connection again = f.newConnection()) {
                        assertTrue(again.isOpen());
                        break;
                    } catch (IOException stillFull) {
                        assertTrue(System.nanoTime() < deadline, "a slot freed by a closed socket was not reused");
                        Thread.sleep(20);
                    }
                }
            } finally {
                for (Connection c : open) {
                    c.abort();
                }
            }
        } finally {
            for (RawConnection raw : pending) {
                raw.close();
            }
        }
    }

    @Test
    void connectionOpenBeyondConnectionMaxIsRefused() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral();
        config.connectionMax = 2;
        try (Broker broker = start(config)) {
            ConnectionFactory f = factory(broker);
            Connection first = f.newConnection();
            try (Connection second = f.newConnection()) {
                IOException refused = assertThrows(IOException.class, f::newConnection);
                ShutdownSignalException sse = (ShutdownSignalException) refused.getCause();
                AMQP.Connection.Close close = (AMQP.Connection.Close) sse.getReason();
                assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
                assertEquals("NOT_ALLOWED - connection refused: node connection limit (2) is reached",
                        close.getReplyText());
                assertTrue(first.isOpen() && second.isOpen());

                first.close();
                // the slot is given back when the socket closes
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (true) {
                    try (Connection third = f.newConnection()) {
                        assertTrue(third.isOpen());
                        break;
                    } catch (IOException stillFull) {
                        assertTrue(System.nanoTime() < deadline, "a closed connection's slot was not given back");
                        Thread.sleep(20);
                    }
                }
            }
        }
    }
}
