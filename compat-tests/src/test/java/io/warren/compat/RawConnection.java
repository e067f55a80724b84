package io.warren.compat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.Method;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A bare AMQP 0-9-1 peer on a plain socket, for what a well-behaved client never sends: broken
 * frames, methods out of order, silence instead of heartbeats. Frames are encoded and decoded
 * with the RabbitMQ Java client's own codec ({@link Frame}, {@link AMQImpl}), so the bytes are a
 * real client's bytes, not Warren's.
 */
final class RawConnection implements AutoCloseable {

    static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int frameMax = 131072;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        socket.setSoTimeout(5000);
    }

    /** A TCP connection to the broker under test; nothing sent yet. */
    static RawConnection connect() throws IOException {
        return new RawConnection(new Socket(BrokerUnderTest.uri().getHost(), BrokerUnderTest.port()));
    }

    /** A TCP connection to a broker of the test's own on {@code port} (localhost); nothing sent yet. */
    static RawConnection connect(int port) throws IOException {
        return new RawConnection(new Socket("localhost", port));
    }

    /** Connects and completes the handshake as guest with these tune-ok values, up to open-ok. */
    static RawConnection open(int channelMax, int frameMax, int heartbeat) throws IOException {
        RawConnection c = connect();
        c.handshake(channelMax, frameMax, heartbeat);
        return c;
    }

    static RawConnection open() throws IOException {
        return open(0, 131072, 0);
    }

    void handshake(int channelMax, int frameMax, int heartbeat) throws IOException {
        sendBytes(PROTOCOL_HEADER);
        expect(AMQP.Connection.Start.class);
        String user = userInfo()[0];
        String password = userInfo()[1];
        send(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                LongStringHelper.asLongString("\0" + user + "\0" + password), "en_US"));
        AMQP.Connection.Tune tune = expect(AMQP.Connection.Tune.class);
        int cm = channelMax == 0 ? tune.getChannelMax() : channelMax;
        send(0, new AMQImpl.Connection.TuneOk(cm, frameMax, heartbeat));
        this.frameMax = frameMax;
        send(0, new AMQImpl.Connection.Open(vhost(), "", false));
        expect(AMQP.Connection.OpenOk.class);
    }

    private static String[] userInfo() {
        String info = BrokerUnderTest.uri().getUserInfo();
        if (info == null) {
            return new String[] {"guest", "guest"};
        }
        String[] parts = info.split(":", 2);
        return new String[] {parts[0], parts.length > 1 ? parts[1] : ""};
    }

    private static String vhost() {
        String path = BrokerUnderTest.uri().getPath();
        return path == null || path.length() <= 1 ? "/" : java.net.URLDecoder.decode(path.substring(1),
                StandardCharsets.UTF_8);
    }

    /** Opens channel {@code n} and waits for open-ok. */
    void openChannel(int n) throws IOException {
        send(n, new AMQImpl.Channel.Open(""));
        expect(AMQP.Channel.OpenOk.class);
    }

    void send(int channel, Method method) throws IOException {
        method.toFrame(channel).writeTo(out);
        out.flush();
    }

    /** A method with content: method, header, and the body in frames of at most frame_max. */
    void sendContent(int channel, Method method, AMQP.BasicProperties props, byte[] body) throws IOException {
        method.toFrame(channel).writeTo(out);
        props.toFrame(channel, body.length).writeTo(out);
        int max = frameMax - 8;
        for (int off = 0; off < body.length; off += max) {
            int len = Math.min(max, body.length - off);
            out.write(frameBytes(AMQP.FRAME_BODY, channel, java.util.Arrays.copyOfRange(body, off, off + len)));
        }
        out.flush();
    }

    /** A method's frame as bytes, to send several frames in one write. */
    static byte[] frameBytes(int channel, Method method) throws IOException {
        return frameBytes(method.toFrame(channel));
    }

    static byte[] frameBytes(Frame frame) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        frame.writeTo(data);
        data.flush();
        return bytes.toByteArray();
    }

    /** A frame of any type and payload, well formed (the payload may be anything). */
    void sendFrame(int type, int channel, byte[] payload) throws IOException {
        sendBytes(frameBytes(type, channel, payload));
    }

    static byte[] frameBytes(int type, int channel, byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).putShort((short) channel).putInt(payload.length).put(payload).put((byte) AMQP.FRAME_END);
        return b.array();
    }

    void sendFrame(Frame frame) throws IOException {
        frame.writeTo(out);
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One byte as read, -1 at the end of the stream (for answers that are not frames). */
    int readByte() throws IOException {
        return in.read();
    }

    /** The next frame, heartbeats included; throws on timeout or end of stream. */
    Frame readFrame() throws IOException {
        // The client's reader answers null when the socket timed out before a frame began.
        Frame f = Frame.readFrom(in, () -> Integer.MAX_VALUE);
        if (f == null) {
            throw new SocketTimeoutException("no frame from the broker within the read timeout");
        }
        return f;
    }

    /** The next method, skipping heartbeats and content frames. */
    Method readMethod() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.getType() == AMQP.FRAME_METHOD) {
                return AMQImpl.readMethodFrom(f.getInputStream());
            }
        }
    }

    <T> T expect(Class<T> type) throws IOException {
        Method m = readMethod();
        if (!type.isInstance(m)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
        }
        return type.cast(m);
    }

    /**
     * Reads until the broker's connection.close, answers close-ok, and returns the close;
     * fails if the socket ends or times out first.
     */
    AMQP.Connection.Close awaitConnectionClose() throws IOException {
        while (true) {
            Method m = readMethod();
            if (m instanceof AMQP.Connection.Close close) {
                try {
                    send(0, new AMQImpl.Connection.CloseOk());
                } catch (SocketException ignored) {
                    // The broker may already have dropped the socket; the close is what counts.
                }
                return close;
            }
        }
    }

    /** Reads until the broker's channel.close on {@code channel}; answers close-ok. */
    AMQP.Channel.Close awaitChannelClose(int channel) throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.getType() != AMQP.FRAME_METHOD) {
                continue;
            }
            Method m = AMQImpl.readMethodFrom(f.getInputStream());
            if (m instanceof AMQP.Channel.Close close && f.getChannel() == channel) {
                send(channel, new AMQImpl.Channel.CloseOk());
                return close;
            }
            if (m instanceof AMQP.Connection.Close close) {
                throw new AssertionError("expected channel.close, got " + close);
            }
        }
    }

    /**
     * Waits up to {@code limit} for the broker to close the socket, discarding what it sends;
     * answers how long that took, or null if the socket stayed open.
     */
    Duration awaitEof(Duration limit) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        byte[] sink = new byte[4096];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (socket.getInputStream().read(sink) < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        return null;
    }

    void setReadTimeout(Duration d) throws IOException {
        socket.setSoTimeout((int) d.toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
