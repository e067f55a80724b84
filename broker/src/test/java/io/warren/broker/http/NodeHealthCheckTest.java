package io.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node health check leaves nothing behind on the loop once it has answered. */
class NodeHealthCheckTest {

    @Test
    void anAnsweredCheckCancelsItsTimeout() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().amqpPort(-1).build())) {
            // The check asks the broker's AMQP loops, which answer from their own threads: the
            // answer (and the timeout's cancellation) reach the embedded loop as tasks to run.
            EmbeddedChannel ch = new EmbeddedChannel(new ApiHandler(broker.apiContext()));
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    "/api/healthchecks/node");
            req.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic "
                    + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)));

            ch.writeInbound(req);
            FullHttpResponse res = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    res == null && System.nanoTime() < deadline; ) {
                ch.runPendingTasks();
                res = ch.readOutbound();
                if (res == null) {
                    Thread.onSpinWait();
                }
            }
            ch.runPendingTasks();
            assertNotNull(res, "no answer");
            try {
                assertEquals(200, res.status().code());
                assertEquals("{\"status\":\"ok\"}", res.content().toString(StandardCharsets.UTF_8));
            } finally {
                res.release();
            }
            assertEquals(-1, ch.runScheduledPendingTasks(), "the 5 s timeout is still scheduled after the answer");
            ch.finishAndReleaseAll();
        }
    }
}
