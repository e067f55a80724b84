package io.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** POST .../get against a queue deleted between the request's routing and the get on its loop. */
class QueueGetTest {

    @Test
    void aQueueDeletedBeforeTheGetRunsIs404() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().amqpPort(-1).build())) {
            // The queue lives on an AMQP loop; the delete below is queued there before the get,
            // which has already found the queue: the get then runs on a deleted queue.
            EmbeddedChannel ch = new EmbeddedChannel(new ApiHandler(broker.apiContext()));
            FullHttpResponse created = answer(ch, request(HttpMethod.PUT, "/api/queues/%2F/doomed", "{}"));
            assertEquals(201, created.status().code());
            created.release();
            VirtualHost vhost = broker.vhosts().find("/");
            Queue q = vhost.queue("doomed");
            assertNotNull(q);

            q.submit(() -> vhost.deleteQueue(q)); // queued before the get, which still finds the queue
            FullHttpResponse r = answer(ch, request(HttpMethod.POST, "/api/queues/%2F/doomed/get",
                    "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}"));

            assertEquals(404, r.status().code());
            assertEquals("{\"error\":\"not_found\",\"reason\":\"NOT_FOUND - no queue 'doomed' in vhost '/'\"}",
                    r.content().toString(StandardCharsets.UTF_8));
            r.release();
            ch.finishAndReleaseAll();
        }
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        req.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic "
                + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)));
        return req;
    }

    /**
     * Hands the request over and waits for the answer: the queue's loop writes it to the
     * channel, which only takes it in when its own pending tasks run.
     */
    private static FullHttpResponse answer(EmbeddedChannel ch, FullHttpRequest req) throws InterruptedException {
        ch.writeInbound(req);
        long deadline = System.nanoTime() + 10_000_000_000L;
        FullHttpResponse r;
        do {
            ch.runPendingTasks();
            r = ch.readOutbound();
            if (r == null) {
                Thread.sleep(1);
            }
        } while (r == null && System.nanoTime() < deadline);
        assertNotNull(r, "no answer");
        return r;
    }
}
