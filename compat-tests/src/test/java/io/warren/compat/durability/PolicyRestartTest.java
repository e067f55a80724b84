package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.http.Json;
import io.warren.compat.WarrenOnly;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies, operator policies and global parameters set through the HTTP API survive a SIGKILL
 * right after the API answered, and act again on the recovered queues and exchanges; a cleared
 * policy stays cleared.
 */
@WarrenOnly
class PolicyRestartTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private record Reply(int status, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) Json.parse(body);
        }
    }

    private static Reply call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static void expect(int status, int port, String method, String path, String body) throws Exception {
        Reply r = call(port, method, path, body);
        assertEquals(status, r.status(), () -> method + " " + path + ": " + r);
    }

    private WarrenProcess start(int httpPort) throws Exception {
        return WarrenProcess.startWith(List.of("--amqp-port", "0", "--data-dir", dataDir.toString(),
                "--http-port", String.valueOf(httpPort), "--metrics-port", "-1"));
    }

    @Test
    void policiesSurviveASigkillAndActOnRecoveredObjects() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (WarrenProcess warren = start(port)) {
            try (Connection c = warren.factory().newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("dq", true, false, false, null);
                ch.exchangeDeclare("dx", "direct", true);
                ch.exchangeDeclare("dae", "fanout", true);
                ch.queueDeclare("caught", true, false, false, null);
                ch.queueBind("caught", "dae", "");
            }
            expect(201, port, "PUT", "/api/policies/%2F/cap", "{\"pattern\":\"^dq$\",\"apply-to\":\"queues\","
                    + "\"definition\":{\"max-length\":3,\"message-ttl\":600000}}");
            expect(201, port, "PUT", "/api/operator-policies/%2F/op", "{\"pattern\":\"^dq$\",\"apply-to\":\"queues\","
                    + "\"definition\":{\"max-length\":2}}");
            expect(201, port, "PUT", "/api/policies/%2F/ae", "{\"pattern\":\"^dx$\",\"apply-to\":\"exchanges\","
                    + "\"definition\":{\"alternate-exchange\":\"dae\"}}");
            expect(201, port, "PUT", "/api/policies/%2F/gone", "{\"pattern\":\"^nothing$\",\"definition\":{\"expires\":5000}}");
            expect(204, port, "DELETE", "/api/policies/%2F/gone", null);
            expect(201, port, "PUT", "/api/global-parameters/cluster_name", "{\"value\":\"restarted\"}");
            warren.kill();
        }

        try (WarrenProcess warren = start(port)) {
            assertEquals(404, call(port, "GET", "/api/policies/%2F/gone", null).status());
            assertEquals("restarted", call(port, "GET", "/api/global-parameters/cluster_name", null).object().get("value"));
            Map<String, Object> dq = call(port, "GET", "/api/queues/%2F/dq", null).object();
            assertEquals("cap", dq.get("policy"));
            assertEquals("op", dq.get("operator_policy"));
            assertEquals(Map.of("max-length", 2L, "message-ttl", 600000L), dq.get("effective_policy_definition"));
            assertEquals("ae", call(port, "GET", "/api/exchanges/%2F/dx", null).object().get("policy"));
            try (Connection c = warren.factory().newConnection()) {
                Channel ch = c.createChannel();
                ch.confirmSelect();
                for (String body : List.of("1", "2", "3")) {
                    ch.basicPublish("", "dq", MessageProperties.PERSISTENT_TEXT_PLAIN, body.getBytes());
                }
                ch.basicPublish("dx", "unbound", MessageProperties.PERSISTENT_TEXT_PLAIN, "stray".getBytes());
                ch.waitForConfirmsOrDie(10_000);
                assertEquals(2, ch.queueDeclarePassive("dq").getMessageCount(), "the operator policy's max-length");
                assertEquals(1, ch.queueDeclarePassive("caught").getMessageCount(), "the policy's alternate exchange");
            }
        }
    }
}
