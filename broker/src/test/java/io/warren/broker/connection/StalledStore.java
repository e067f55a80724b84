package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.Broker;
import io.warren.broker.persistence.Persistence;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A disk that has stopped: the store's writer runs completions on its own thread, and a flush
 * completion that waits holds that thread, so nothing more is written until {@link #release}.
 * Shared by the backpressure tests, with the lookup of a client's connection on the broker.
 */
final class StalledStore {

    private final CountDownLatch release = new CountDownLatch(1);

    private StalledStore() {
    }

    /** Returns once the writer thread is held. */
    static StalledStore stall(Persistence persistence) throws InterruptedException {
        StalledStore stalled = new StalledStore();
        CountDownLatch held = new CountDownLatch(1);
        persistence.flush(failure -> {
            held.countDown();
            try {
                stalled.release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(10, TimeUnit.SECONDS), "the store's writer thread was not held");
        return stalled;
    }

    void release() {
        release.countDown();
    }

    /** The broker's side of the client connection whose local port is {@code clientPort}. */
    static AmqpConnection connectionAt(Broker broker, int clientPort) {
        for (AmqpConnection c : broker.connections().all()) {
            if (c.handlerContext().channel().remoteAddress() instanceof InetSocketAddress a && a.getPort() == clientPort) {
                return c;
            }
        }
        throw new AssertionError("no connection from port " + clientPort);
    }
}
