package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The broker's management HTTP API, as a script would call it: real HTTP requests with basic
 * auth ({@link java.net.http.HttpClient}), and {@code rabbitmqadmin} run as a child process.
 */
final class ManagementApi {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    private ManagementApi(String base) {
        this.base = base;
    }

    /** The broker under test's API; skips the test on a RabbitMQ whose API was not named. */
    static ManagementApi underTest() {
        String base = BrokerUnderTest.httpBase();
        Assumptions.assumeTrue(base != null, "skipped: no management API given for this broker ("
                + BrokerUnderTest.HTTP_PROPERTY + ")");
        return new ManagementApi(base);
    }

    /** The API at {@code base}, e.g. a Warren a test started itself. */
    static ManagementApi at(String base) {
        return new ManagementApi(base);
    }

    int port() {
        return URI.create(base).getPort();
    }

    /** A path segment as RabbitMQ's API spells it ("/" is %2F). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    record Response(int status, String body, HttpHeaders headers) {
        Object json() {
            return Json.parse(body);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) json();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list() {
            return (List<Map<String, Object>>) json();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, "guest", "guest");
    }

    Response call(String method, String path, String body, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(CompatTest.TIMEOUT_SECONDS))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    Response get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    /** What rabbitmqadmin printed and how it exited. */
    record Admin(int exit, String output) {}

    /**
     * Runs {@code rabbitmqadmin} against this API as guest, as an operator would. Skips the test
     * when it is not installed, unless CI requires external clients ({@link ExternalClient#assumeInstalled}).
     */
    Admin rabbitmqadmin(String... args) throws IOException, InterruptedException {
        ExternalClient.assumeInstalled(ExternalClient.succeeds("rabbitmqadmin", "--version"),
                "rabbitmqadmin is not installed (apt-get install rabbitmq-server)");
        List<String> command = new ArrayList<>(List.of("rabbitmqadmin", "-H", URI.create(base).getHost(),
                "-P", String.valueOf(port()), "-u", "guest", "-p", "guest"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "rabbitmqadmin did not finish: " + out);
        return new Admin(p.exitValue(), out);
    }
}
