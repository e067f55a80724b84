package io.warren.broker.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.warren.broker.connection.ConnectionContext;
import io.warren.broker.tls.ServerTls;
import java.net.InetSocketAddress;

/**
 * An AMQP listener, plain or TLS (AMQPS): one boss thread accepting, the broker's worker loops
 * serving connections. Each connection's pipeline is {@link AmqpChannelInitializer}'s.
 */
public final class AmqpServer implements AutoCloseable {

    /** Above this many bytes queued for a socket it turns unwritable and queues stop feeding it. */
    private static final int HIGH_WATER_MARK = 1024 * 1024;
    private static final int LOW_WATER_MARK = 512 * 1024;

    private final Channel serverChannel;

    public AmqpServer(ConnectionContext context, Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                      String bindAddress, int port) throws InterruptedException {
        this(context, transport, boss, workers, bindAddress, port, null);
    }

    /** With {@code tls}, the AMQPS listener; without (null), the plain one. */
    public AmqpServer(ConnectionContext context, Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                      String bindAddress, int port, ServerTls tls) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(new AmqpChannelInitializer(context, tls));
        this.serverChannel = tls == null
                ? Listener.bind(bootstrap, "AMQP", "--amqp-port", bindAddress, port)
                : Listener.bind(bootstrap, "AMQPS", "--tls-port", bindAddress, port);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
