package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API and the metrics endpoint run on a loop of their own: a busy AMQP loop does not
 * hold them up (nor, the other way round, does a slow listing hold up AMQP traffic), and the
 * node health check still asks the AMQP loops, not its own.
 */
@WarrenOnly
class HttpLoopTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void apiAndMetricsAnswerWhileTheAmqpLoopIsBusy() throws Exception {
        try (Broker broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral()
                .ioThreads(1).httpPort(0).metricsPort(0))) {
            String api = "http://localhost:" + broker.httpPort();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // The one AMQP loop, stuck in a long task (as in a listing of very many queues).
            broker.ioLoops().execute(() -> {
                running.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                assertTrue(running.await(5, TimeUnit.SECONDS), "the AMQP loop never ran the blocking task");
                CompletableFuture<HttpResponse<String>> health =
                        CLIENT.sendAsync(get(api + "/api/healthchecks/node", 15), HttpResponse.BodyHandlers.ofString());

                HttpResponse<String> whoami = CLIENT.send(get(api + "/api/whoami", 3),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, whoami.statusCode(), whoami.body());
                assertTrue(whoami.body().contains("\"name\":\"guest\""), whoami.body());

                HttpResponse<String> metrics = CLIENT.send(get("http://localhost:" + broker.metricsPort()
                        + "/metrics", 3), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode(), metrics.body());

                // The health check asks the AMQP loop, which does not answer in its 5 s.
                HttpResponse<String> stuck = health.get(15, TimeUnit.SECONDS);
                assertEquals(200, stuck.statusCode(), stuck.body());
                assertTrue(stuck.body().contains("\"status\":\"failed\"")
                        && stuck.body().contains("1 of 1 event loops did not answer"), stuck.body());
            } finally {
                release.countDown();
            }
            HttpResponse<String> ok = CLIENT.send(get(api + "/api/healthchecks/node", 10),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"status\":\"ok\"}", ok.body());
        }
    }

    private static HttpRequest get(String url, int timeoutSeconds) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
                .GET().build();
    }
}
