package io.warren.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The broker's management HTTP API (RabbitMQ's paths), called with basic auth. Every call answers
 * a {@link Response}; only a broker that cannot be reached at all is an error here
 * ({@link CliException}, exit 69 as rabbitmqctl's "unable to perform an operation on node").
 */
final class ManagementApi {

    record Response(String method, String path, int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        Object json() {
            return Json.parse(body);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list() {
            return (List<Map<String, Object>>) json();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) json();
        }

        /** The "reason" of an error answer ({"error": ..., "reason": ...}), else the body. */
        String reason() {
            try {
                if (json() instanceof Map<?, ?> m && m.get("reason") != null) {
                    Object r = m.get("reason");
                    return r instanceof String s ? s : Json.write(r);
                }
            } catch (IllegalArgumentException notJson) {
                // fall through: the raw body says what went wrong
            }
            return body.isBlank() ? "HTTP " + status : body;
        }
    }

    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient client;

    ManagementApi(String base, String username, String password, Duration timeout) {
        this.base = base.replaceAll("/+$", "");
        this.authorization = basic(username, password);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    String base() {
        return base;
    }

    Duration timeout() {
        return timeout;
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A path segment as RabbitMQ's API spells it: the vhost "/" is %2F, a space %20. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** "/api/" + the segments, each encoded. */
    static String path(String... segments) {
        StringBuilder sb = new StringBuilder("/api");
        for (String s : segments) {
            sb.append('/').append(segment(s));
        }
        return sb.toString();
    }

    Response get(String path) {
        return send("GET", path, null, authorization);
    }

    /** A GET with other credentials than the CLI's own (authenticate_user). */
    Response getAs(String path, String username, String password) {
        return send("GET", path, null, basic(username, password));
    }

    Response put(String path, Object body) {
        return send("PUT", path, Json.write(body), authorization);
    }

    Response delete(String path) {
        return send("DELETE", path, null, authorization);
    }

    /** A DELETE with a header (close_connection's X-Reason, which the broker tells the client). */
    Response delete(String path, String header, String value) {
        return send("DELETE", path, null, authorization, header, value);
    }

    /** A POST of a JSON text as it is (import_definitions sends the file it was given). */
    Response post(String path, String json) {
        return send("POST", path, json, authorization);
    }

    private Response send(String method, String path, String body, String auth, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", auth);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(method, path, r.statusCode(), r.body());
        } catch (IOException e) {
            throw CliException.unavailable("Error: unable to perform an operation on the management API at " + base
                    + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("Error: interrupted");
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException || (m == null && e.getCause() instanceof java.net.ConnectException)) {
            return "connection refused (is the broker running, and its HTTP API on this port?)";
        }
        return m == null ? kind : kind + ": " + m;
    }
}
