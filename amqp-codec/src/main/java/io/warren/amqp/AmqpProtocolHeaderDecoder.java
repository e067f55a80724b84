package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The first handler of a connection: reads the 8-octet protocol header.
 *
 * <p>On {@code AMQP 0 0 9 1} it fires the user event {@link ProtocolHeader#AMQP_0_9_1} (the
 * broker answers with {@code connection.start}) and removes itself, so any bytes that came after
 * the header go on to the next handler, normally {@link AmqpDecoder}. Any other header goes to
 * the {@link ProtocolMismatchHandler} given at construction, by default
 * {@link ProtocolMismatchHandler#REFUSE}.
 */
public final class AmqpProtocolHeaderDecoder extends ByteToMessageDecoder {
    private final ProtocolMismatchHandler mismatchHandler;
    private boolean done;

    public AmqpProtocolHeaderDecoder() {
        this(ProtocolMismatchHandler.REFUSE);
    }

    public AmqpProtocolHeaderDecoder(ProtocolMismatchHandler mismatchHandler) {
        this.mismatchHandler = mismatchHandler;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < ProtocolHeader.LENGTH) {
            return;
        }
        ProtocolHeader header = ProtocolHeader.read(in);
        done = true;
        if (header.equals(ProtocolHeader.AMQP_0_9_1)) {
            ctx.fireUserEventTriggered(ProtocolHeader.AMQP_0_9_1);
            ctx.pipeline().remove(this);
        } else {
            mismatchHandler.onMismatch(ctx, header);
        }
    }
}
