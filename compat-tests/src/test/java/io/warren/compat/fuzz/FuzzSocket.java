package io.warren.compat.fuzz;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQContentHeader;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One hostile client's socket: raw bytes out, frames in, and what the broker did about it.
 * Frames are built with the RabbitMQ Java client's own codec, so valid ones are a real client's
 * bytes.
 */
final class FuzzSocket implements AutoCloseable {

    static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    /** What the broker did with a connection by the deadline. */
    enum Outcome {
        /** connection.close with an error, then the socket closed */
        CONNECTION_ERROR,
        /** channel.close with an error; the connection lives on */
        CHANNEL_ERROR,
        /** the socket closed without a connection.close (silent close, refused, timed out) */
        DROPPED,
        /** nothing: still open */
        OPEN
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    FuzzSocket(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("localhost", port), 10_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Completes the handshake as guest: frame_max 131072, no heartbeats. */
    void handshake() throws IOException {
        send(PROTOCOL_HEADER);
        expectMethod(10, 10);
        send(method(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                LongStringHelper.asLongString("\0guest\0guest"), "en_US")));
        expectMethod(10, 30);
        send(method(0, new AMQImpl.Connection.TuneOk(2047, 131072, 0)));
        send(method(0, new AMQImpl.Connection.Open("/", "", false)));
        expectMethod(10, 41);
    }

    void openChannel(int channel) throws IOException {
        send(method(channel, new AMQImpl.Channel.Open("")));
        expectMethod(20, 11);
    }

    /** Reads frames until the method {@code classId.methodId} (skipping others). */
    byte[] expectMethod(int classId, int methodId) throws IOException {
        while (true) {
            byte[] f = readFrame();
            if (f == null) {
                throw new EOFException("broker closed the socket, waiting for " + classId + "." + methodId);
            }
            if (f[0] == 1 && ((f[7] & 0xff) << 8 | f[8] & 0xff) == classId
                    && ((f[9] & 0xff) << 8 | f[10] & 0xff) == methodId) {
                return f;
            }
            if (f[0] == 1 && isMethod(f, 10, 50)) {
                throw new IOException("connection.close while waiting for " + classId + "." + methodId);
            }
        }
    }

    /** A whole frame (header, payload, end), or null at the end of the stream. */
    byte[] readFrame() throws IOException {
        byte[] header = new byte[7];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return null;
        } catch (SocketException e) {
            return null; // reset by the broker: closed just the same
        }
        if (header[0] == 'A' && header[1] == 'M' && header[2] == 'Q' && header[3] == 'P') {
            in.readFully(new byte[1]); // the broker's protocol header: it refuses us
            return readFrame();
        }
        int size = ByteBuffer.wrap(header, 3, 4).getInt();
        if (size < 0 || size > 16 << 20) {
            throw new IOException("broker sent a frame of " + size + " bytes");
        }
        byte[] frame = new byte[7 + size + 1];
        System.arraycopy(header, 0, frame, 0, 7);
        try {
            in.readFully(frame, 7, size + 1);
        } catch (EOFException | SocketException e) {
            return null;
        }
        return frame;
    }

    private static boolean isMethod(byte[] f, int classId, int methodId) {
        return f.length >= 12 && ((f[7] & 0xff) << 8 | f[8] & 0xff) == classId
                && ((f[9] & 0xff) << 8 | f[10] & 0xff) == methodId;
    }

    /**
     * Reads until the broker ends this connection or complains, up to {@code millis}: answers
     * connection.close or channel.close with its close-ok.
     */
    Outcome awaitOutcome(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return Outcome.OPEN;
            }
            socket.setSoTimeout((int) left);
            byte[] f;
            try {
                f = readFrame();
            } catch (SocketTimeoutException e) {
                return Outcome.OPEN;
            }
            if (f == null) {
                return Outcome.DROPPED;
            }
            if (f[0] == 1 && isMethod(f, 10, 50)) {
                // the error is the answer; whether the broker then reads our close-ok (it does not
                // after a frame error: it has lost sync) only decides when it drops the socket
                trySend(method(0, new AMQImpl.Connection.CloseOk()));
                return Outcome.CONNECTION_ERROR;
            } else if (f[0] == 1 && isMethod(f, 20, 40)) {
                int channel = (f[1] & 0xff) << 8 | f[2] & 0xff;
                trySend(method(channel, new AMQImpl.Channel.CloseOk()));
                return Outcome.CHANNEL_ERROR;
            }
        }
    }

    private void trySend(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException ignored) {
            // the broker may have gone already; what it sent is what counts
        }
    }

    /** Reads and discards whatever has arrived, without waiting. */
    void drain() throws IOException {
        byte[] sink = new byte[65536];
        while (in.available() > 0) {
            if (in.read(sink) < 0) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.setSoLinger(true, 0); // a reset: a hostile client does not say goodbye
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    // ---- frames -----------------------------------------------------------------------------

    static byte[] method(int channel, Method m) {
        try {
            return bytes(m.toFrame(channel));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] header(int channel, AMQP.BasicProperties props, long bodySize) {
        try {
            return bytes(((AMQContentHeader) props).toFrame(channel, bodySize));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] frame(int type, int channel, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).putShort((short) channel).putInt(payload.length).put(payload).put((byte) AMQP.FRAME_END);
        return b.array();
    }

    static byte[] bytes(Frame frame) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(bytes);
            frame.writeTo(data);
            data.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
