package io.warren.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts a connection's bytes as its socket sees them (TLS records included), first in the
 * pipeline: RabbitMQ's recv_oct and send_oct, its rabbitmq_connection_incoming_bytes_total and
 * outgoing_bytes_total. One addition per socket read and per buffer written, nothing allocated.
 *
 * <p>Concurrency: written on the connection's event loop only; read from the metrics thread with
 * opaque reads, which see each count whole (a long), as of a moment ago.
 */
public final class ByteCounter extends ChannelDuplexHandler {

    private static final VarHandle RECEIVED;
    private static final VarHandle SENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RECEIVED = lookup.findVarHandle(ByteCounter.class, "received", long.class);
            SENT = lookup.findVarHandle(ByteCounter.class, "sent", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long received;
    private long sent;

    public long received() {
        return (long) RECEIVED.getOpaque(this);
    }

    public long sent() {
        return (long) SENT.getOpaque(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RECEIVED.setOpaque(this, received + size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        SENT.setOpaque(this, sent + size(msg));
        ctx.write(msg, promise);
    }

    private static int size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
    }
}
