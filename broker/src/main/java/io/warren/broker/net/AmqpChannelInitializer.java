package io.warren.broker.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.warren.amqp.AmqpDecoder;
import io.warren.amqp.AmqpEncoder;
import io.warren.amqp.AmqpProtocolHeaderDecoder;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.ConnectionContext;
import io.warren.broker.message.Message;
import io.warren.broker.tls.ServerTls;
import io.warren.broker.tls.TlsHandshakeLog;

/**
 * The one way from a socket to an {@link AmqpConnection}: byte counter → (TLS →) protocol header → frame decoder →
 * encoder → connection. The AMQP listener installs it on every accepted socket; a test installs
 * it on a Netty {@code EmbeddedChannel} to drive a connection without a socket.
 */
public final class AmqpChannelInitializer extends ChannelInitializer<Channel> {

    private final ConnectionContext context;
    /** Null on the plain AMQP listener. */
    private final ServerTls tls;

    public AmqpChannelInitializer(ConnectionContext context) {
        this(context, null);
    }

    /** The AMQPS listener's pipeline: the same, behind TLS. */
    public AmqpChannelInitializer(ConnectionContext context, ServerTls tls) {
        this.context = context;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        AmqpDecoder decoder = new AmqpDecoder();
        // Until tune-ok, RabbitMQ accepts frames up to frame_min (4,096 bytes) only.
        decoder.setMaxFrameSize(AmqpDecoder.MIN_FRAME_SIZE);
        decoder.setMaxBodySize(context.config().maxMessageSize());
        decoder.copyContentUpTo(Message.DETACH_LIMIT);
        AmqpEncoder encoder = new AmqpEncoder();
        encoder.setMaxFrameSize(context.config().frameMax());
        ch.pipeline().addLast("bytes", new ByteCounter()); // the socket's bytes, for the metrics
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
            ch.pipeline().addLast("tls-log", new TlsHandshakeLog("AMQPS"));
        }
        ch.pipeline().addLast("protocol-header", new AmqpProtocolHeaderDecoder());
        ch.pipeline().addLast("decoder", decoder);
        ch.pipeline().addLast("encoder", encoder);
        ch.pipeline().addLast("connection", new AmqpConnection(context, decoder, encoder));
    }
}
