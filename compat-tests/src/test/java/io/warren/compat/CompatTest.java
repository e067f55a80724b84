package io.warren.compat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the Java-client compatibility tests: connections and channels opened through it are
 * closed after each test, and queues and exchanges declared with {@link #name} get unique names
 * so tests never see each other's leftovers, even on a shared RabbitMQ.
 */
public abstract class CompatTest {

    private final List<Connection> connections = new ArrayList<>();

    protected ConnectionFactory factory() {
        return BrokerUnderTest.factory();
    }

    protected Connection connect() throws IOException, TimeoutException {
        return track(factory().newConnection());
    }

    protected Connection track(Connection c) {
        connections.add(c);
        return c;
    }

    /** A fresh channel on a fresh connection. */
    protected Channel channel() throws IOException, TimeoutException {
        return connect().createChannel();
    }

    /** A name no other test uses. */
    protected static String name(String prefix) {
        return "compat-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeConnections() {
        for (Connection c : connections) {
            try {
                if (c.isOpen()) {
                    c.abort(2000);
                }
            } catch (RuntimeException ignored) {
                // Best effort: the test already reported what matters.
            }
        }
        connections.clear();
    }
}
