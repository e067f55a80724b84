package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.http.Json;
import io.warren.compat.WarrenOnly;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the broker logs about connections, as RabbitMQ words it: a connection accepted (peer and
 * local address), its user authenticated and granted a vhost, its close, and a refused login;
 * in the text format with levels per category ({@code --log-level warning,connection=info}),
 * and in the JSON format, one parseable object per line. Warren-only: it reads the broker's
 * own output, from a broker in its own process.
 */
@WarrenOnly
class BrokerLogTest {

    private static final List<String> COMMON = List.of("--amqp-port", "0", "--http-port", "-1",
            "--metrics-port", "-1", "--no-persistence");

    @Test
    void connectionOpenCloseAndRefusedLoginAreLoggedInTheConnectionCategory() throws Exception {
        String log;
        try (WarrenProcess warren = WarrenProcess.startWith(with("--log-level", "warning,connection=info"))) {
            traffic(warren.port());
            warren.stop();
            log = warren.stderr();
        }
        String peer = "127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+";
        assertLine(log, "\\[INFO\\] .*accepting AMQP connection \\(" + peer + "\\)");
        assertLine(log, "\\[INFO\\] .*connection \\(" + peer + "\\) has a client-provided name: log-test");
        assertLine(log, "\\[INFO\\] .*connection \\(" + peer + " - log-test\\): user 'guest' authenticated and"
                + " granted access to vhost '/'");
        assertLine(log, "\\[INFO\\] .*closing AMQP connection \\(" + peer + " - log-test, vhost: '/', user: 'guest'\\)");
        assertLine(log, "\\[ERROR\\] .*Error on AMQP connection \\(" + peer + ", state: starting\\): PLAIN login"
                + " refused: user 'guest' - invalid credentials");
        // the default category stays at warning: the broker's info lines are not there
        assertFalse(log.contains("first start: created"), log);
    }

    @Test
    void jsonFormatWritesOneObjectPerLine() throws Exception {
        String log;
        try (WarrenProcess warren = WarrenProcess.startWith(with("--log-format", "json"))) {
            traffic(warren.port());
            warren.stop();
            log = warren.stderr();
        }
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 5, log);
        boolean accepted = false;
        boolean refused = false;
        for (String line : lines) {
            Map<?, ?> record = assertInstanceOf(Map.class, Json.parse(line), line);
            assertTrue(record.containsKey("level") && record.containsKey("loggerName")
                    && record.containsKey("timestamp"), line);
            String message = String.valueOf(record.get("formattedMessage"));
            accepted |= message.startsWith("accepting AMQP connection (127.0.0.1:");
            refused |= record.get("level").equals("ERROR") && message.contains("PLAIN login refused: user 'guest'");
        }
        assertTrue(accepted && refused, log);
    }

    @Test
    void userVhostAndPermissionChangesAreLoggedInRabbitMqsWords() throws Exception {
        String log;
        try (WarrenProcess warren = WarrenProcess.startWith(List.of("--amqp-port", "0", "--http-port", "0",
                "--metrics-port", "-1", "--no-persistence"))) {
            java.util.regex.Matcher m = Pattern.compile("HTTP API on (\\d+)").matcher(warren.stdout());
            assertTrue(m.find(), warren.stdout());
            String api = "http://localhost:" + m.group(1) + "/api";
            http("PUT", api + "/users/log-user", "{\"password\":\"p\",\"tags\":\"\"}");
            http("PUT", api + "/vhosts/log-vhost", "{}");
            http("PUT", api + "/permissions/log-vhost/log-user", "{\"configure\":\"^c\",\"write\":\"^w\",\"read\":\"^r\"}");
            http("DELETE", api + "/permissions/log-vhost/log-user", null);
            http("DELETE", api + "/vhosts/log-vhost", null);
            http("DELETE", api + "/users/log-user", null);
            warren.stop();
            log = warren.stderr();
        }
        assertLine(log, "\\[INFO\\] .*Created user 'log-user'$");
        assertLine(log, "\\[INFO\\] .*Adding vhost 'log-vhost' \\(description: '', tags: \\[\\]\\)$");
        assertLine(log, "\\[INFO\\] .*Successfully set permissions for 'log-user' in virtual host 'log-vhost' to"
                + " '\\^c', '\\^w', '\\^r'$");
        assertLine(log, "\\[INFO\\] .*Successfully cleared permissions for 'log-user' in virtual host 'log-vhost'$");
        assertLine(log, "\\[INFO\\] .*Deleting vhost 'log-vhost'$");
        assertLine(log, "\\[INFO\\] .*Deleted user 'log-user'$");
    }

    private static void http(String method, String url, String json) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "guest:guest".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        int status = java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        assertTrue(status / 100 == 2, method + " " + url + ": " + status);
    }

    /** A named connection opened and closed, then a login with a wrong password. */
    private static void traffic(int port) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(port);
        try (Connection c = f.newConnection("log-test")) {
            c.createChannel().close();
        }
        f.setPassword("wrong");
        assertThrows(AuthenticationFailureException.class, () -> f.newConnection("refused").close());
    }

    private static List<String> with(String... args) {
        List<String> all = new java.util.ArrayList<>(COMMON);
        all.addAll(List.of(args));
        return all;
    }

    private static void assertLine(String log, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue(log.lines().anyMatch(l -> p.matcher(l).find()), () -> "no line matching " + regex + " in:\n" + log);
    }
}
