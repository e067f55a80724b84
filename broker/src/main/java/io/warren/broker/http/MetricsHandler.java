package io.warren.broker.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.warren.broker.metrics.BrokerMetrics;
import java.util.List;
import java.util.Set;

/**
 * The Prometheus text exposition on RabbitMQ's rabbitmq_prometheus paths: {@code /metrics}
 * (aggregated), {@code /metrics/per-object} and {@code /metrics/detailed?family=..&vhost=..}.
 * Other methods than GET are refused with 405 and other paths with 404, as RabbitMQ does.
 */
@ChannelHandler.Sharable
public final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final BrokerMetrics metrics;

    public MetricsHandler(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        boolean known = path.equals("/metrics") || path.equals("/metrics/") || path.equals("/metrics/per-object")
                || path.equals("/metrics/detailed");
        if (!known) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND,
                    "Unknown Registry: try /metrics, /metrics/per-object or /metrics/detailed");
        } else if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            HttpResponses.error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        } else {
            String body = switch (path) {
                case "/metrics/per-object" -> metrics.perObject();
                case "/metrics/detailed" -> metrics.detailed(values(uri, "family"), values(uri, "vhost"));
                default -> metrics.aggregated();
            };
            HttpResponses.send(ctx, req, HttpResponseStatus.OK, CONTENT_TYPE, body);
        }
    }

    private static Set<String> values(QueryStringDecoder uri, String name) {
        return Set.copyOf(uri.parameters().getOrDefault(name, List.of()));
    }
}
