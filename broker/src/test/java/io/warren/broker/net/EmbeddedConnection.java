package io.warren.broker.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpDecoder;
import io.warren.amqp.AmqpEncoder;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpHeartbeat;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ChannelMethod;
import io.warren.amqp.ConnectionMethod;
import io.warren.amqp.ContentHeader;
import io.warren.amqp.LongString;
import io.warren.amqp.ProtocolHeader;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One AMQP connection served by the broker's own pipeline ({@link AmqpChannelInitializer}) on an
 * {@link EmbeddedChannel}, with a client side that speaks real frames: what the test sends is
 * encoded by the codec's {@link AmqpEncoder}, what the broker writes is decoded by an
 * {@link AmqpDecoder}.
 *
 * <p>Threads: an EmbeddedChannel's loop is not thread-safe, yet queues hand deliveries to a
 * connection from their own loops. So the broker must run one I/O loop ({@code ioThreads(1)}),
 * and everything done to the embedded channel runs on that loop: queues, wherever the broker
 * places them, then post to the embedded loop from the thread that drains it.
 */
public final class EmbeddedConnection implements AutoCloseable {

    private static final long TIMEOUT_MS = 5_000;

    private final EventExecutor loop;
    private final EmbeddedChannel server;
    /** Client side: the broker's bytes go in, commands come out. Test thread only. */
    private final EmbeddedChannel client = new EmbeddedChannel(new AmqpDecoder(0, AmqpDecoder.DEFAULT_MAX_BODY_SIZE));
    private final AmqpEncoder encoder = new AmqpEncoder();
    private final ArrayDeque<Object> received = new ArrayDeque<>();
    /** Every byte the broker wrote, for the checks the decoder cannot make (the protocol header reply). */
    private final ByteBuf raw = Unpooled.buffer();

    private EmbeddedConnection(Broker broker) {
        if (broker.config().ioThreads() != 1) {
            throw new IllegalArgumentException("the embedded connection needs a broker with ioThreads(1)");
        }
        this.loop = broker.ioLoops().next();
        this.server = onLoop(() -> new EmbeddedChannel(new AmqpChannelInitializer(broker.connectionContext())));
        encoder.setMaxFrameSize(0);
    }

    /**
     * A broker for embedded connections: one I/O loop (see the class comment), no listener,
     * guest allowed from anywhere (an embedded channel has no loopback address), and a memory
     * watermark never reached: the alarm's checks run on the accept thread, and one raised
     * there would call into the embedded connections from that thread.
     */
    public static BrokerConfig brokerConfig() {
        BrokerConfig.Builder b = BrokerConfig.builder().ephemeral().amqpPort(-1).ioThreads(1)
                .loopbackOnlyDefaultUser(false);
        b.memoryHighWatermark = 1.0;
        return b.build();
    }

    /** A connection that has sent nothing yet. */
    public static EmbeddedConnection connect(Broker broker) {
        return new EmbeddedConnection(broker);
    }

    /** A connection through the handshake (guest/guest, vhost "/", no heartbeats). */
    public static EmbeddedConnection open(Broker broker) {
        EmbeddedConnection c = connect(broker);
        c.handshake();
        return c;
    }

    public void handshake() {
        handshake(0, 0);
    }

    /** The handshake with the client's tune-ok: {@code channelMax} 0 takes the broker's. */
    public void handshake(int channelMax, int heartbeatSeconds) {
        handshake(Map.of("product", "embedded test"), channelMax, heartbeatSeconds);
    }

    public void handshake(Map<String, Object> clientProperties, int channelMax, int heartbeatSeconds) {
        sendHeader(ProtocolHeader.AMQP_0_9_1);
        expect(0, ConnectionMethod.Start.class);
        send(0, new ConnectionMethod.StartOk(clientProperties, "PLAIN",
                LongString.of("\0guest\0guest"), "en_US"));
        ConnectionMethod.Tune tune = expect(0, ConnectionMethod.Tune.class);
        send(0, new ConnectionMethod.TuneOk(channelMax == 0 ? tune.channelMax() : channelMax, tune.frameMax(),
                heartbeatSeconds));
        send(0, new ConnectionMethod.Open("/"));
        expect(0, ConnectionMethod.OpenOk.class);
    }

    // ---- Sending ----------------------------------------------------------------------------

    public void sendHeader(ProtocolHeader header) {
        ByteBuf buf = Unpooled.buffer(ProtocolHeader.LENGTH);
        header.writeTo(buf);
        sendBytes(buf);
    }

    public void send(int channel, AmqpMethod method) {
        send(new AmqpCommand(channel, method));
    }

    /** A content method (basic.publish) with a body of UTF-8 text and no properties. */
    public void send(int channel, AmqpMethod method, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        send(new AmqpCommand(channel, method, ContentHeader.of(60, BasicProperties.EMPTY, bytes.length),
                Unpooled.wrappedBuffer(bytes)));
    }

    /** Frames the command as a client would (one frame per body, whatever its size) and writes them. */
    public void send(AmqpCommand command) {
        List<Object> frames = new ArrayList<>();
        encoder.encode(ByteBufAllocator.DEFAULT, command, frames);
        ByteBuf wire = Unpooled.buffer();
        for (Object frame : frames) {
            ByteBuf b = (ByteBuf) frame;
            wire.writeBytes(b);
            b.release();
        }
        sendBytes(wire);
    }

    public void sendBytes(ByteBuf bytes) {
        onLoop(() -> {
            if (server.isOpen()) {
                server.writeInbound(bytes);
            } else {
                bytes.release();
            }
            return null;
        });
    }

    /** Opens a channel and waits for open-ok. */
    public void openChannel(int channel) {
        send(channel, new ChannelMethod.Open(""));
        expect(channel, ChannelMethod.OpenOk.class);
    }

    // ---- Receiving --------------------------------------------------------------------------

    /** The next command from the broker, waiting for it; it must be {@code type} on {@code channel}. */
    public <T extends AmqpMethod> T expect(int channel, Class<T> type) {
        AmqpCommand command = nextCommand();
        command.release();
        assertEquals(channel, command.channel(), () -> "channel of " + command.method());
        return assertInstanceOf(type, command.method());
    }

    /** The next content command (deliver, get-ok, return); returns its body as UTF-8 text. */
    public <T extends AmqpMethod> Content<T> expectContent(int channel, Class<T> type) {
        AmqpCommand command = nextCommand();
        try {
            assertEquals(channel, command.channel(), () -> "channel of " + command.method());
            return new Content<>(assertInstanceOf(type, command.method()),
                    command.body().toString(StandardCharsets.UTF_8));
        } finally {
            command.release();
        }
    }

    public record Content<T extends AmqpMethod>(T method, String body) {}

    /** The next command from the broker, waiting up to the deadline for it. */
    public AmqpCommand nextCommand() {
        Object next = nextFrame();
        if (next instanceof AmqpCommand c) {
            return c;
        }
        return fail("expected a command, got " + next);
    }

    public void expectHeartbeat() {
        Object next = nextFrame();
        if (next != AmqpHeartbeat.INSTANCE) {
            fail("expected a heartbeat, got " + (next instanceof AmqpCommand c ? c.method() : next));
        }
    }

    public void sendHeartbeat() {
        sendBytes(Unpooled.wrappedBuffer(new byte[] {8, 0, 0, 0, 0, 0, 0, (byte) 0xCE}));
    }

    /** The next command or heartbeat from the broker, waiting up to the deadline for it. */
    private Object nextFrame() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            Object next = received.poll();
            if (next instanceof AmqpException e) {
                fail("the broker wrote something the client cannot decode: " + e);
            }
            if (next != null) {
                return next;
            }
            if (!pump() && System.nanoTime() > deadline) {
                fail("nothing from the broker within " + TIMEOUT_MS + " ms"
                        + (isOpen() ? "" : " (the connection is closed)"));
            }
        }
    }

    /** Nothing more has come from the broker once the embedded loop has run what was pending. */
    public void expectNothing() {
        pump();
        Object next = received.poll();
        if (next != null) {
            fail("unexpected " + (next instanceof AmqpCommand c ? c.method() : next));
        }
    }

    /**
     * Runs the embedded loop's pending tasks on the broker's loop and decodes what came out.
     * True if anything came out.
     */
    private boolean pump() {
        List<ByteBuf> out = onLoop(() -> {
            server.runPendingTasks();
            List<ByteBuf> bufs = new ArrayList<>();
            Object o;
            while ((o = server.readOutbound()) != null) {
                bufs.add((ByteBuf) o);
            }
            return bufs;
        });
        if (out.isEmpty()) {
            LockSupport.parkNanos(200_000); // the broker's loops may still be working on it
            return false;
        }
        for (ByteBuf b : out) {
            raw.writeBytes(b, b.readerIndex(), b.readableBytes());
            client.writeInbound(b);
        }
        Object decoded;
        while ((decoded = client.readInbound()) != null) {
            received.add(decoded);
        }
        return true;
    }

    /** Every byte the broker has written so far. */
    public ByteBuf rawOutput() {
        pump();
        return raw;
    }

    // ---- The socket -------------------------------------------------------------------------

    public boolean isOpen() {
        return onLoop(server::isOpen);
    }

    /** Whether the broker reads from this connection (flow control, memory alarm). */
    public boolean autoRead() {
        return onLoop(() -> server.config().isAutoRead());
    }

    /** Lets the embedded loop's clock run forward (timers: close timeout, handshake timeout). */
    public void advanceTime(long amount, TimeUnit unit) {
        onLoop(() -> {
            server.advanceTimeBy(amount, unit);
            server.runPendingTasks();
            return null;
        });
    }

    /** Sets the socket's writability as a full send buffer would (Netty's user-defined writability bit). */
    public void writable(boolean writable) {
        onLoop(() -> {
            server.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
            server.runPendingTasks();
            return null;
        });
    }

    /**
     * Runs {@code task} where the embedded channel's loop is driven, then what it queued there:
     * the way to call into the connection from a test, as another thread of the broker would.
     */
    public void runOnLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            server.runPendingTasks();
            return null;
        });
    }

    /** The client drops the socket. */
    @Override
    public void close() {
        onLoop(() -> {
            server.finishAndReleaseAll();
            return null;
        });
        client.finishAndReleaseAll();
        AmqpCommand c;
        for (Object o : received) {
            if (o instanceof AmqpCommand command) {
                command.release();
            }
        }
        received.clear();
        raw.release();
    }

    private <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed on the broker's loop", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the broker's loop did not answer in " + TIMEOUT_MS + " ms");
        }
    }
}
