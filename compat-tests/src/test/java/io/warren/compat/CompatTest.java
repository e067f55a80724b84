package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownNotifier;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the Java-client compatibility tests: connections and channels opened through it are
 * closed after each test, and queues and exchanges declared with {@link #name} get unique names
 * so tests never see each other's leftovers, even on a shared RabbitMQ.
 */
public abstract class CompatTest {

    private final List<Connection> connections = new ArrayList<>();
    private final List<String> queuesToDelete = new ArrayList<>();
    private final List<String> exchangesToDelete = new ArrayList<>();

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

    /** A unique queue name, deleted after the test (so a shared RabbitMQ keeps no leftovers). */
    protected String queueName(String prefix) {
        String n = name(prefix);
        queuesToDelete.add(n);
        return n;
    }

    /** A unique exchange name, deleted after the test. */
    protected String exchangeName(String prefix) {
        String n = name(prefix);
        exchangesToDelete.add(n);
        return n;
    }

    private static void bestEffort(AmqpCall call) {
        try {
            call.run();
        } catch (Exception ignored) {
            // Cleanup only.
        }
    }

    /** Seconds any single wait in a test may take before it counts as a failure. */
    protected static final int TIMEOUT_SECONDS = 10;

    /** A failing AMQP call: what the broker closed, and why. */
    @FunctionalInterface
    protected interface AmqpCall {
        void run() throws Exception;
    }

    /**
     * Runs {@code call}, which must fail because the broker closed the channel (not the
     * connection) with {@code code}; answers the close so the caller can check its text.
     */
    protected static ShutdownSignalException assertChannelError(int code, AmqpCall call) {
        ShutdownSignalException sse = shutdownOf(call);
        assertFalse(sse.isHardError(), () -> "expected a channel error, got a connection error: " + sse);
        assertEquals(code, ((AMQP.Channel.Close) sse.getReason()).getReplyCode(), sse::toString);
        return sse;
    }

    /** Like {@link #assertChannelError} for an error that closes the whole connection. */
    protected static ShutdownSignalException assertConnectionError(int code, AmqpCall call) {
        ShutdownSignalException sse = shutdownOf(call);
        assertTrue(sse.isHardError(), () -> "expected a connection error, got a channel error: " + sse);
        assertEquals(code, ((AMQP.Connection.Close) sse.getReason()).getReplyCode(), sse::toString);
        return sse;
    }

    private static ShutdownSignalException shutdownOf(AmqpCall call) {
        try {
            call.run();
        } catch (ShutdownSignalException e) {
            return e;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException sse) {
                return sse;
            }
            throw new AssertionError("expected a close from the broker, got " + e, e);
        } catch (Exception e) {
            throw new AssertionError("expected a close from the broker, got " + e, e);
        }
        throw new AssertionError("expected the broker to close the channel or connection, but the call succeeded");
    }

    /** The reply text of a close (channel or connection). */
    protected static String replyText(ShutdownSignalException sse) {
        if (sse.getReason() instanceof AMQP.Channel.Close c) {
            return c.getReplyText();
        }
        return ((AMQP.Connection.Close) sse.getReason()).getReplyText();
    }

    /** Asserts the reply text is RabbitMQ's: the code's name, " - ", then the explanation. */
    protected static void assertReplyText(String expected, ShutdownSignalException sse) {
        assertEquals(expected, replyText(sse));
    }

    /**
     * Waits for the broker to close {@code notifier} (a channel or connection) by itself, for
     * errors that come back asynchronously (a publish, an ack); answers the close.
     */
    protected static ShutdownSignalException awaitClose(ShutdownNotifier notifier) throws Exception {
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        notifier.addShutdownListener(closed::complete);
        if (!notifier.isOpen()) {
            closed.complete(notifier.getCloseReason());
        }
        try {
            return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the broker did not close " + notifier + " within " + TIMEOUT_SECONDS + "s");
        }
    }

    /**
     * For what the broker does with no reply to wait for (after a socket dies): polls
     * {@code condition} until it holds, failing after the suite's timeout.
     */
    protected static void eventually(String what, CheckedBoolean condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_SECONDS * 1_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT_SECONDS + "s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    protected interface CheckedBoolean {
        boolean get() throws Exception;
    }

    /** Puts the channel in confirm mode, publishes text messages and waits for their confirms. */
    protected static void publishConfirmed(Channel ch, String exchange, String routingKey, String... bodies)
            throws Exception {
        ch.confirmSelect();
        for (String body : bodies) {
            ch.basicPublish(exchange, routingKey, null, body.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
    }

    /** A basic.get that must find a message; answers its body as text. */
    protected static GetResponse get(Channel ch, String queue, boolean autoAck) throws IOException {
        GetResponse r = ch.basicGet(queue, autoAck);
        assertNotNull(r, "expected a message in " + queue);
        return r;
    }

    /** The bodies of the messages now in {@code queue}, in order, taken by basic.get with auto-ack. */
    protected static List<String> drain(Channel ch, String queue) throws IOException {
        List<String> out = new ArrayList<>();
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
            out.add(text(r.getBody()));
        }
        return out;
    }

    protected static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Ready messages in {@code queue}, as a passive queue.declare on a fresh channel reports them. */
    protected int messageCount(String queue) throws IOException, TimeoutException {
        Channel ch = channel();
        try {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } finally {
            ch.close();
        }
    }

    /** Whether {@code queue} exists, by a passive declare on a fresh channel (404 closes only that channel). */
    protected boolean queueExists(String queue) throws IOException, TimeoutException {
        Channel ch = channel();
        try {
            ch.queueDeclarePassive(queue);
            ch.close();
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException sse && !sse.isHardError()
                    && ((AMQP.Channel.Close) sse.getReason()).getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code exchange} exists, by a passive declare on a fresh channel. */
    protected boolean exchangeExists(String exchange) throws IOException, TimeoutException {
        Channel ch = channel();
        try {
            ch.exchangeDeclarePassive(exchange);
            ch.close();
            return true;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException sse && !sse.isHardError()
                    && ((AMQP.Channel.Close) sse.getReason()).getReplyCode() == AMQP.NOT_FOUND) {
                return false;
            }
            throw e;
        }
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
        if (queuesToDelete.isEmpty() && exchangesToDelete.isEmpty()) {
            return;
        }
        try (Connection c = factory().newConnection()) {
            for (String q : queuesToDelete) {
                bestEffort(() -> c.createChannel().queueDelete(q));
            }
            for (String x : exchangesToDelete) {
                bestEffort(() -> c.createChannel().exchangeDelete(x));
            }
        } catch (Exception ignored) {
            // Best effort, as above.
        }
        queuesToDelete.clear();
        exchangesToDelete.clear();
    }
}
