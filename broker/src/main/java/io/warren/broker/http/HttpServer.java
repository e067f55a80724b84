package io.warren.broker.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.warren.broker.net.Listener;
import io.warren.broker.net.Transport;
import io.warren.broker.tls.ServerTls;
import io.warren.broker.tls.TlsHandshakeLog;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A small HTTP listener (the management API or the metrics endpoint) on the broker's HTTP loop,
 * which both accepts and serves: none of it runs on the AMQP loops.
 */
public final class HttpServer implements AutoCloseable {

    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final Channel serverChannel;

    /**
     * @param what     the listener, as the operator knows it ("HTTP API", "metrics"), for bind errors
     * @param portFlag the option that sets its port, likewise
     */
    public HttpServer(Transport transport, EventLoopGroup loops, String what, String portFlag,
                      String bindAddress, int port, Supplier<ChannelHandler> handler) throws InterruptedException {
        this(transport, loops, what, portFlag, bindAddress, port, handler, null);
    }

    /** With {@code tls}, HTTPS on the same port; without (null), plain HTTP. */
    public HttpServer(Transport transport, EventLoopGroup loops, String what, String portFlag,
                      String bindAddress, int port, Supplier<ChannelHandler> handler, ServerTls tls)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops, loops)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new TlsHandshakeLog("HTTPS " + what));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new OneRequestAtATime(), handler.get());
                    }
                });
        this.serverChannel = Listener.bind(bootstrap, what, portFlag, bindAddress, port);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
