package io.warren.broker.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writing the answer to one request, keep-alive aware. Holds what it needs of the request (not
 * the request itself, released when the handler returns), so it may answer later from another
 * thread: a queue's loop, the store's thread. Netty hands the write to the channel's loop.
 */
final class HttpResponses {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    /** The request's {@code columns=} parameter, or null: it shapes every 200 answer (see Listing). */
    private final String columns;

    HttpResponses(ChannelHandlerContext ctx, FullHttpRequest req) {
        this.ctx = ctx;
        this.keepAlive = HttpUtil.isKeepAlive(req);
        java.util.List<String> c = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters()
                .get("columns");
        this.columns = c == null || c.isEmpty() ? null : c.get(0);
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String contentType,
                     String body) {
        new HttpResponses(ctx, req).send(status, contentType, body, Map.of());
    }

    static void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String reason) {
        new HttpResponses(ctx, req).json(status, errorBody(status.reasonPhrase().toLowerCase().replace(' ', '_'),
                reason));
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    void json(HttpResponseStatus status, Object body) {
        Object shown = columns != null && status.equals(HttpResponseStatus.OK) ? Listing.projectAnswer(body, columns)
                : body;
        send(status, "application/json", Json.write(shown), Map.of());
    }

    /** A 201 or 204 (or other) answer without a body. */
    void empty(HttpResponseStatus status) {
        send(status, null, "", Map.of());
    }

    void error(ApiError e) {
        if (e.allow != null) {
            send(e.status, null, "", Map.of(HttpHeaderNames.ALLOW.toString(), e.allow));
        } else if (e.status.equals(HttpResponseStatus.UNAUTHORIZED)) {
            Map<String, String> challenge = Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(),
                    "Basic realm=\"RabbitMQ Management\"");
            if (e.error == null) {
                send(e.status, null, "", challenge);
            } else {
                send(e.status, "application/json", Json.write(errorBody(e.error, e.reason)), challenge);
            }
        } else {
            json(e.status, errorBody(e.error, e.reason));
        }
    }

    /** RabbitMQ's error object, its two fields in its order. */
    static Map<String, Object> errorBody(String error, Object reason) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("error", error);
        m.put("reason", reason);
        return m;
    }

    void send(HttpResponseStatus status, String contentType, String body, Map<String, String> headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        if (contentType != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        headers.forEach((k, v) -> res.headers().set(k, v));
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
