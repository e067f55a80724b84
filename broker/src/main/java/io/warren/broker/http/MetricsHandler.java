package io.warren.broker.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.metrics.BrokerMetrics;

/** {@code GET /metrics}: the Prometheus text exposition (RabbitMQ's rabbitmq_prometheus path). */
@ChannelHandler.Sharable
public final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final BrokerMetrics metrics;

    public MetricsHandler(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = req.uri().split("\\?", 2)[0];
        if (path.equals("/metrics")) {
            HttpResponses.send(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape());
        } else {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "try /metrics");
        }
    }
}
