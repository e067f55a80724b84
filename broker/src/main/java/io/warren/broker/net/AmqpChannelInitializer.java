package io.warren.broker.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.warren.amqp.AmqpDecoder;
import io.warren.amqp.AmqpEncoder;
import io.warren.amqp.AmqpProtocolHeaderDecoder;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.ConnectionContext;

/**
 * The one way from a socket to an {@link AmqpConnection}: protocol header → frame decoder →
 * encoder → connection. The AMQP listener installs it on every accepted socket; a test installs
 * it on a Netty {@code EmbeddedChannel} to drive a connection without a socket.
 */
public final class AmqpChannelInitializer extends ChannelInitializer<Channel> {

    private final ConnectionContext context;

    public AmqpChannelInitializer(ConnectionContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(Channel ch) {
        AmqpDecoder decoder = new AmqpDecoder();
        // Until tune-ok, RabbitMQ accepts frames up to frame_min (4,096 bytes) only.
        decoder.setMaxFrameSize(AmqpDecoder.MIN_FRAME_SIZE);
        decoder.setMaxBodySize(context.config().maxMessageSize());
        AmqpEncoder encoder = new AmqpEncoder();
        encoder.setMaxFrameSize(context.config().frameMax());
        ch.pipeline().addLast("protocol-header", new AmqpProtocolHeaderDecoder());
        ch.pipeline().addLast("decoder", decoder);
        ch.pipeline().addLast("encoder", encoder);
        ch.pipeline().addLast("connection", new AmqpConnection(context, decoder, encoder));
    }
}
