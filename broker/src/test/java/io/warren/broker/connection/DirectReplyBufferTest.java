package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.netty.channel.ChannelOutboundBuffer;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/**
 * Direct reply-to with a requester that stops reading: the broker keeps a bounded amount of
 * replies for it (written up to the socket's high-water mark, then held up to a limit), refuses
 * the rest as unroutable (the responder gets them back with mandatory), and the responder's
 * connection keeps working. Once the requester reads again it gets every reply that was taken.
 */
class DirectReplyBufferTest {

    private static final int REPLIES = 400;
    private static final int REPLY_BYTES = 64 * 1024;

    @Test
    void aRequesterThatDoesNotReadGetsABoundedBufferAndTheResponderGoesOn() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().build())) {
            GatedSockets gate = new GatedSockets();
            ConnectionFactory requesterFactory = factory(broker);
            requesterFactory.setSocketFactory(gate);
            Connection requesterConnection = requesterFactory.newConnection();
            Connection responderConnection = factory(broker).newConnection();
            try {
                Channel requester = requesterConnection.createChannel();
                AtomicInteger received = new AtomicInteger();
                requester.basicConsume("amq.rabbitmq.reply-to", true, (tag, d) -> received.incrementAndGet(),
                        tag -> { });
                Channel responder = responderConnection.createChannel();
                String requests = responder.queueDeclare().getQueue();
                requester.basicPublish("", requests,
                        new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
                        "request".getBytes(StandardCharsets.UTF_8));
                GetResponse request = poll(responder, requests);
                String replyTo = request.getProps().getReplyTo();
                AtomicInteger returned = new AtomicInteger();
                responder.addReturnListener(r -> returned.incrementAndGet());
                AmqpConnection requesterOnBroker = StalledStore.connectionAt(broker, gate.socket.getLocalPort());

                gate.closed = true;
                byte[] body = new byte[REPLY_BYTES];
                for (int i = 0; i < REPLIES; i++) {
                    responder.basicPublish("", replyTo, true, null, body);
                }
                // the responder's channel answers after it has handled every reply it published
                responder.queueDeclarePassive(requests);
                // and the requester's loop has taken in every reply handed to it before this
                long buffered = requesterOnBroker.handlerContext().executor().submit(() -> {
                    ChannelOutboundBuffer out = requesterOnBroker.handlerContext().channel().unsafe().outboundBuffer();
                    return out == null ? 0 : out.totalPendingWriteBytes();
                }).get(10, TimeUnit.SECONDS);
                System.out.printf("direct reply-to: %d replies of %d KiB to a requester that does not read:"
                        + " %d KiB in its connection's write buffer%n", REPLIES, REPLY_BYTES / 1024, buffered / 1024);
                assertTrue(buffered < 2L << 20, "buffered for the requester: " + buffered + " bytes");
                await(() -> returned.get() > 0, "no reply was refused while the requester did not read");

                // other traffic of the responder's connection is served meanwhile
                Channel other = responderConnection.createChannel();
                String queue = other.queueDeclare().getQueue();
                other.basicPublish("", queue, null, "other".getBytes(StandardCharsets.UTF_8));
                assertEquals("other", new String(poll(other, queue).getBody(), StandardCharsets.UTF_8));

                gate.open();
                await(() -> received.get() + returned.get() == REPLIES,
                        () -> "received " + received.get() + " + returned " + returned.get() + " != " + REPLIES);
                System.out.printf("direct reply-to: %d delivered once the requester read again, %d returned%n",
                        received.get(), returned.get());
            } finally {
                gate.open(); // before the close, whose close-ok the requester must read
                requesterConnection.close(5000);
                responderConnection.close(5000);
            }
        }
    }

    private static ConnectionFactory factory(Broker broker) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        f.setPort(broker.amqpPort());
        f.setRequestedHeartbeat(0);
        return f;
    }

    private static GetResponse poll(Channel ch, String queue) throws Exception {
        GetResponse[] got = new GetResponse[1];
        await(() -> {
            try {
                got[0] = ch.basicGet(queue, true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return got[0] != null;
        }, "nothing arrived in " + queue);
        assertNotNull(got[0]);
        return got[0];
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        await(condition, () -> failure);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(5);
        }
    }

    /** Sockets whose reads wait while {@link #closed}: a client that stops reading, on demand. */
    private static final class GatedSockets extends SocketFactory {

        volatile boolean closed;
        volatile Socket socket;
        private final Object lock = new Object();

        void open() {
            synchronized (lock) {
                closed = false;
                lock.notifyAll();
            }
        }

        private void awaitOpen() throws IOException {
            synchronized (lock) {
                while (closed) {
                    try {
                        lock.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            }
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket() {
                @Override
                public InputStream getInputStream() throws IOException {
                    return new FilterInputStream(super.getInputStream()) {
                        @Override
                        public int read() throws IOException {
                            awaitOpen();
                            return super.read();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            awaitOpen();
                            return super.read(b, off, len);
                        }
                    };
                }
            };
            s.setReceiveBufferSize(16 * 1024);
            socket = s;
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
