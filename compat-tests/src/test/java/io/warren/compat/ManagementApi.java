package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.http.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** As guest, with more request headers (RabbitMQ's X-Reason, for one). */
    Response call(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return call(method, path, body, "guest", "guest", headers);
    }

    Response call(String method, String path, String body, String user, String password)
            throws IOException, InterruptedException {
        return call(method, path, body, user, password, Map.of());
    }

    private Response call(String method, String path, String body, String user, String password,
                          Map<String, String> headers) throws IOException, InterruptedException {
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
        headers.forEach(b::header);
        HttpRequest request = b.build();
        HttpResponse<String> r;
        try {
            r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A server may close a kept-alive connection the client is about to reuse (RabbitMQ's
            // does after some answers): an idempotent request is sent again, once, as HTTP allows.
            if (method.equals("POST")) {
                throw e;
            }
            r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    Response get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    /** One request of {@link #pipelined}: method, path, JSON body or null. */
    record Call(String method, String path, String body) {}

    /**
     * Sends the calls as guest on one connection in one write (HTTP/1.1 pipelining, as some
     * clients do) and reads the answers, which HTTP requires in the order of the requests.
     */
    List<Response> pipelined(Call... calls) throws IOException {
        URI uri = URI.create(base);
        String auth = Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (Call c : calls) {
            byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
            out.append(c.method()).append(' ').append(c.path()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Authorization: Basic ").append(auth).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            if (c.body() != null) {
                out.append("Content-Type: application/json\r\n");
            }
            out.append("\r\n").append(c.body() == null ? "" : c.body());
        }
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(CompatTest.TIMEOUT_SECONDS * 1000);
            OutputStream os = socket.getOutputStream();
            os.write(out.toString().getBytes(StandardCharsets.UTF_8));
            os.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Response> answers = new ArrayList<>();
            for (int i = 0; i < calls.length; i++) {
                answers.add(readResponse(in));
            }
            return answers;
        }
    }

    private static Response readResponse(InputStream in) throws IOException {
        String status = line(in);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).get(0));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8),
                HttpHeaders.of(headers, (k, v) -> true));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
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
