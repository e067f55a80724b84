package io.warren.broker.connection;

import io.warren.broker.metrics.BrokerCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Every live connection, for the HTTP API, metrics and shutdown. */
public final class Connections {

    private final Set<AmqpConnection> live = ConcurrentHashMap.newKeySet();
    private final BrokerCounters counters;

    public Connections(BrokerCounters counters) {
        this.counters = counters;
    }

    void opened(AmqpConnection c) {
        live.add(c);
        counters.connectionsOpened.increment();
    }

    void closed(AmqpConnection c) {
        if (live.remove(c)) {
            counters.connectionsClosed.increment();
        }
    }

    public int count() {
        return live.size();
    }

    public Collection<AmqpConnection> all() {
        return live;
    }

    /**
     * Broker shutdown: tells every client why with connection.close 320 CONNECTION_FORCED (and
     * RabbitMQ's text for {@code reason}), waits up to {@code timeoutMillis} for the sockets to
     * close after the clients' close-ok, then drops what is left. Call it off the event loops:
     * one blocked here cannot close its own connections (they would then wait out the timeout).
     *
     * @return how many connections were still open after the wait (and were dropped)
     */
    public int closeAll(String reason, long timeoutMillis) {
        List<AmqpConnection> open = new ArrayList<>(live);
        CountDownLatch closed = new CountDownLatch(open.size());
        String text = "broker forced connection closure with reason '" + reason + "'";
        for (AmqpConnection c : open) {
            c.handlerContext().channel().closeFuture().addListener(f -> closed.countDown());
            c.closeForced(text);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish closing first; the flag is restored below
            }
        }
        int left = 0;
        for (AmqpConnection c : open) {
            if (c.handlerContext().channel().isOpen()) {
                left++;
                c.forceClose();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return left;
    }
}
