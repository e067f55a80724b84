package io.warren.broker.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * HTTP/1.1 answers pipelined requests in their order, but an answer may come later from a
 * queue's loop or the store while the next request would be answered at once. So one request
 * is handed on at a time: the next waits until the answer to the current one is written, and
 * the socket is not read while requests wait (the decoder may still hand over what it has).
 *
 * <p>What one read brings can still be many requests; HttpServerCodec refuses (and closes the
 * connection) past 128 requests waiting for their answers (its maxPipelineDepth), which also
 * bounds what waits here.
 *
 * <p>One per connection; everything here runs on the connection's loop (Netty passes writes
 * from other threads to it).
 */
final class OneRequestAtATime extends ChannelDuplexHandler {

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (answering) {
            waiting.add(req);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        answering = true;
        ctx.fireChannelRead(req);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean answerEnds = msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        if (answerEnds) {
            answering = false;
            FullHttpRequest next = waiting.poll();
            if (next != null) {
                answering = true;
                // After the current call stack: the answer is still being written.
                ctx.executor().execute(() -> ctx.fireChannelRead(next));
            } else if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        for (FullHttpRequest r; (r = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(r);
        }
    }
}
