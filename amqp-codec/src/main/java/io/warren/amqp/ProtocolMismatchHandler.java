package io.warren.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * What {@link AmqpProtocolHeaderDecoder} does with a protocol header that is not
 * {@code AMQP 0 0 9 1}: the seam where an AMQP 1.0 front will plug in.
 *
 * <p>It runs on the event loop with the decoder's context. To take the connection over, an
 * implementation replaces the decoder in the pipeline ({@code ctx.pipeline().replace(ctx.name(),
 * ...)}): the header is given to it, and the bytes the client sent after the header flow on to
 * the handler that takes the decoder's place. If it leaves the decoder in place, the decoder
 * drops all further input.
 */
@FunctionalInterface
public interface ProtocolMismatchHandler {

    /**
     * The spec's answer (section 4.2.2): send the header we support, then close the socket. Also
     * used for bytes that are not an AMQP header at all.
     */
    ProtocolMismatchHandler REFUSE = (ctx, received) -> {
        ByteBuf reply = ctx.alloc().buffer(ProtocolHeader.LENGTH);
        ProtocolHeader.AMQP_0_9_1.writeTo(reply);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    };

    void onMismatch(ChannelHandlerContext ctx, ProtocolHeader received);
}
