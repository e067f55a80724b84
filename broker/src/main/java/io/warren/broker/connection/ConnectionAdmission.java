package io.warren.broker.connection;

import io.warren.amqp.AmqpException;
import io.warren.amqp.ReplyCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sockets may become connections: at most {@code maxUnauthenticated} at a time still in
 * the handshake (a new socket beyond that is closed at once, before a byte is read), and at most
 * {@code connectionMax} open connections (RabbitMQ's connection_max: connection.open beyond it
 * is refused with 530 NOT_ALLOWED and RabbitMQ's text). Zero means no limit.
 *
 * <p>Concurrency: any thread (connections on every loop share it).
 */
public final class ConnectionAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);
    /** A flood of refused sockets is logged once per interval, with how many, not once per socket. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int maxUnauthenticated;
    private final int connectionMax;
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    public ConnectionAdmission(int maxUnauthenticated, int connectionMax) {
        this.maxUnauthenticated = maxUnauthenticated;
        this.connectionMax = connectionMax;
    }

    /** A new socket takes a handshake slot; false (and logged) when all are taken. */
    boolean admitUnauthenticated(String peer) {
        while (true) {
            int n = unauthenticated.get();
            if (maxUnauthenticated > 0 && n >= maxUnauthenticated) {
                logRefused(peer);
                return false;
            }
            if (unauthenticated.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** The socket left the handshake (opened, or closed): its slot is free. */
    void leftHandshake() {
        unauthenticated.decrementAndGet();
    }

    /**
     * A connection.open: takes an open-connection slot, or throws RabbitMQ's refusal when
     * connection_max are open; {@link #closed} gives the slot back.
     */
    void admitOpen() {
        int now = open.incrementAndGet();
        if (connectionMax > 0 && now > connectionMax) {
            open.decrementAndGet();
            throw new AmqpException(ReplyCode.NOT_ALLOWED,
                    "connection refused: node connection limit (" + connectionMax + ") is reached", 10, 40);
        }
    }

    /** An admitted connection's socket closed. */
    void closed() {
        open.decrementAndGet();
    }

    /** Sockets in the handshake now. */
    public int unauthenticated() {
        return unauthenticated.get();
    }

    private void logRefused(String peer) {
        long refused = refusedSinceLog.incrementAndGet();
        long last = lastLog.get();
        long now = System.nanoTime();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-refused);
            LOG.warn("closing new connection from {}: {} connections are still in the handshake, the limit"
                    + " (--max-unauthenticated-connections); {} refused since the last such message", peer,
                    maxUnauthenticated, refused);
        }
    }
}
