package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.broker.http.Json;
import io.warren.compat.WarrenOnly;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Users, vhosts, permissions, topic permissions and limits set through the HTTP API survive a
 * restart, also a SIGKILL right after the API answered; so do the deletions of a user and of a
 * vhost (whose durable queue and persistent messages stay gone).
 */
@WarrenOnly
class AccessRestartTest {

    enum Stop { SIGTERM, SIGKILL }

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
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static void expect(int status, int port, String method, String path, String body) throws Exception {
        Reply r = call(port, method, path, body);
        assertEquals(status, r.status(), () -> method + " " + path + ": " + r);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private WarrenProcess start(int httpPort) throws Exception {
        return WarrenProcess.startWith(List.of("--amqp-port", "0", "--data-dir", dataDir.toString(),
                "--http-port", String.valueOf(httpPort), "--metrics-port", "-1"));
    }

    private static ConnectionFactory as(WarrenProcess w, String user, String password, String vhost) {
        ConnectionFactory f = w.factory();
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(vhost);
        return f;
    }

    private static String sha512(String password) throws Exception {
        byte[] salt = {1, 2, 3, 4};
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(salt);
        md.update(password.getBytes(StandardCharsets.UTF_8));
        byte[] digest = md.digest();
        byte[] out = new byte[4 + digest.length];
        System.arraycopy(salt, 0, out, 0, 4);
        System.arraycopy(digest, 0, out, 4, digest.length);
        return Base64.getEncoder().encodeToString(out);
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void accessSurvivesARestart(Stop how) throws Exception {
        int port = freePort();
        String hash = sha512("bob-pw");
        try (WarrenProcess warren = start(port)) {
            expect(201, port, "PUT", "/api/vhosts/apps", "{\"description\":\"the apps\",\"tags\":\"prod\"}");
            expect(201, port, "PUT", "/api/users/alice", "{\"password\":\"alice-pw\",\"tags\":\"management\"}");
            expect(201, port, "PUT", "/api/users/bob", "{\"password_hash\":\"" + hash
                    + "\",\"hashing_algorithm\":\"rabbit_password_hashing_sha512\",\"tags\":[\"monitoring\"]}");
            expect(201, port, "PUT", "/api/users/cert-only", "{\"tags\":\"\"}");
            expect(201, port, "PUT", "/api/users/gone", "{\"password\":\"gone-pw\",\"tags\":\"\"}");
            expect(201, port, "PUT", "/api/permissions/apps/alice", "{\"configure\":\"^a-\",\"write\":\".*\",\"read\":\".*\"}");
            expect(201, port, "PUT", "/api/permissions/apps/bob", "{\"configure\":\"\",\"write\":\"\",\"read\":\".*\"}");
            expect(201, port, "PUT", "/api/topic-permissions/apps/alice",
                    "{\"exchange\":\"amq.topic\",\"write\":\"^{username}\\\\.\",\"read\":\".*\"}");
            expect(204, port, "PUT", "/api/vhost-limits/apps/max-queues", "{\"value\":5}");
            expect(204, port, "PUT", "/api/user-limits/alice/max-connections", "{\"value\":3}");
            expect(201, port, "PUT", "/api/vhosts/doomed", null);
            try (Connection c = as(warren, "guest", "guest", "doomed").newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("doomed-q", true, false, false, null);
                ch.confirmSelect();
                ch.basicPublish("", "doomed-q", MessageProperties.PERSISTENT_TEXT_PLAIN, "x".getBytes());
                ch.waitForConfirmsOrDie(10_000);
            }
            expect(204, port, "DELETE", "/api/vhosts/doomed", null);
            expect(204, port, "DELETE", "/api/users/gone", null);
            if (how == Stop.SIGTERM) {
                warren.stop();
            } else {
                warren.kill();
            }
        }

        try (WarrenProcess warren = start(port)) {
            Map<String, Object> alice = call(port, "GET", "/api/users/alice", null).object();
            Map<String, Object> bob = call(port, "GET", "/api/users/bob", null).object();
            assertEquals(List.of("management"), alice.get("tags"));
            assertEquals(Map.of("max-connections", 3L), alice.get("limits"));
            assertEquals(hash, bob.get("password_hash"));
            assertEquals("rabbit_password_hashing_sha512", bob.get("hashing_algorithm"));
            assertEquals("", call(port, "GET", "/api/users/cert-only", null).object().get("password_hash"));
            assertEquals(404, call(port, "GET", "/api/users/gone", null).status());
            assertEquals(404, call(port, "GET", "/api/vhosts/doomed", null).status());
            Map<String, Object> apps = call(port, "GET", "/api/vhosts/apps", null).object();
            assertEquals("the apps", apps.get("description"));
            assertEquals(List.of("prod"), apps.get("tags"));
            assertEquals("[{\"vhost\":\"apps\",\"value\":{\"max-queues\":5}}]",
                    call(port, "GET", "/api/vhost-limits/apps", null).body());
            assertEquals("{\"user\":\"alice\",\"vhost\":\"apps\",\"configure\":\"^a-\",\"write\":\".*\",\"read\":\".*\"}",
                    call(port, "GET", "/api/permissions/apps/alice", null).body());

            try (Connection c = as(warren, "alice", "alice-pw", "apps").newConnection();
                 Connection b = as(warren, "bob", "bob-pw", "apps").newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("a-q", false, false, false, null);
                ShutdownSignalException refused = assertThrows(IOException.class,
                        () -> c.createChannel().queueDeclare("b-q", false, false, false, null))
                        .getCause() instanceof ShutdownSignalException s ? s : null;
                assertEquals(403, ((AMQP.Channel.Close) refused.getReason()).getReplyCode());
                Channel topic = c.createChannel();
                topic.basicPublish("amq.topic", "bob.x", null, "not alice's".getBytes());
                CompatWaits.awaitClosed(topic);
                assertTrue(topic.getCloseReason().getMessage().contains("access to topic 'bob.x'"),
                        topic.getCloseReason()::toString);
                assertTrue(b.isOpen());
            }
            assertThrows(AuthenticationFailureException.class,
                    () -> as(warren, "gone", "gone-pw", "/").newConnection());
            assertThrows(AuthenticationFailureException.class,
                    () -> as(warren, "cert-only", "", "/").newConnection());
            // the deleted vhost's queue does not come back with a vhost of the same name
            expect(201, port, "PUT", "/api/vhosts/doomed", null);
            try (Connection c = as(warren, "guest", "guest", "doomed").newConnection()) {
                Channel ch = c.createChannel();
                IOException e = assertThrows(IOException.class, () -> ch.queueDeclarePassive("doomed-q"));
                assertEquals(404, ((AMQP.Channel.Close) ((ShutdownSignalException) e.getCause()).getReason())
                        .getReplyCode());
            }
        }
    }

    /** Polling for a channel the broker closes after an asynchronous refusal. */
    private static final class CompatWaits {
        static void awaitClosed(Channel ch) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (ch.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(!ch.isOpen(), "the broker did not close the channel");
        }
    }
}
