package io.warren.broker;

import io.netty.channel.EventLoopGroup;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.connection.Connections;
import io.warren.broker.net.AmqpServer;
import io.warren.broker.net.Transport;
import io.warren.broker.vhost.VirtualHostListener;
import io.warren.broker.vhost.VirtualHosts;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running Warren: its configuration, users, virtual hosts, event loops and listeners. One per
 * process normally; tests start several side by side on free ports.
 */
public final class Broker implements AutoCloseable {

    private final BrokerConfig config;
    private final UserRegistry users = new UserRegistry();
    private final VirtualHosts vhosts;
    private final Connections connections = new Connections();
    private final AtomicLong messageIds = new AtomicLong();
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private AmqpServer amqp;

    private Broker(BrokerConfig config) {
        this.config = config;
        this.vhosts = new VirtualHosts(VirtualHostListener.NONE);
        this.transport = Transport.best();
        this.boss = transport.newGroup(1, "warren-accept");
        this.workers = transport.newGroup(config.ioThreads(), "warren-io");
    }

    /** Starts a broker and returns once it listens. */
    public static Broker start(BrokerConfig config) throws InterruptedException {
        Broker broker = new Broker(config);
        try {
            broker.boot();
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void boot() throws InterruptedException {
        vhosts.create(config.defaultVhost());
        users.ensureDefaultUser(config.defaultUser(), config.defaultPassword(), config.defaultVhost());
        if (config.amqpPort() >= 0) {
            amqp = new AmqpServer(this, transport, boss, workers, config.bindAddress(), config.amqpPort());
        }
    }

    public BrokerConfig config() {
        return config;
    }

    public UserRegistry users() {
        return users;
    }

    public VirtualHosts vhosts() {
        return vhosts;
    }

    public Connections connections() {
        return connections;
    }

    public String transportName() {
        return transport.name();
    }

    /** The port the AMQP listener bound (the real one when configured as 0). */
    public int amqpPort() {
        return amqp == null ? -1 : amqp.port();
    }

    /** Broker-wide increasing message id: publication order, queue position, store key. */
    public long nextMessageId() {
        return messageIds.incrementAndGet();
    }

    @Override
    public void close() {
        if (amqp != null) {
            amqp.close();
        }
        for (var c : connections.all()) {
            c.forceClose();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
