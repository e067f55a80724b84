package io.warren.broker.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.warren.amqp.AmqpDecoder;
import io.warren.amqp.AmqpEncoder;
import io.warren.amqp.AmqpProtocolHeaderDecoder;
import io.warren.broker.Broker;
import io.warren.broker.connection.AmqpConnection;
import java.net.InetSocketAddress;

/**
 * The AMQP listener: one boss thread accepting, the broker's worker loops serving connections.
 * Each connection's pipeline is: protocol header → frame decoder → encoder → connection.
 */
public final class AmqpServer implements AutoCloseable {

    /** Above this many bytes queued for a socket it turns unwritable and queues stop feeding it. */
    private static final int HIGH_WATER_MARK = 1024 * 1024;
    private static final int LOW_WATER_MARK = 512 * 1024;

    private final Channel serverChannel;

    public AmqpServer(Broker broker, Transport transport, EventLoopGroup boss, EventLoopGroup workers,
                      String bindAddress, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(pipeline(broker));
        this.serverChannel = Listener.bind(bootstrap, "AMQP", "--amqp-port", bindAddress, port);
    }

    /**
     * The pipeline of one AMQP connection: protocol header, frame decoder, encoder, connection.
     * Package-private so that unit tests build the very same pipeline on an EmbeddedChannel.
     */
    static ChannelInitializer<Channel> pipeline(Broker broker) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                AmqpDecoder decoder = new AmqpDecoder();
                // Until tune-ok, RabbitMQ accepts frames up to frame_min (4,096 bytes) only.
                decoder.setMaxFrameSize(AmqpDecoder.MIN_FRAME_SIZE);
                decoder.setMaxBodySize(broker.config().maxMessageSize());
                AmqpEncoder encoder = new AmqpEncoder();
                encoder.setMaxFrameSize(broker.config().frameMax());
                ch.pipeline().addLast("protocol-header", new AmqpProtocolHeaderDecoder());
                ch.pipeline().addLast("decoder", decoder);
                ch.pipeline().addLast("encoder", encoder);
                ch.pipeline().addLast("connection", new AmqpConnection(broker, decoder, encoder));
            }
        };
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
