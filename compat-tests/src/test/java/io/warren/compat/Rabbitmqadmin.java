package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * RabbitMQ's own {@code rabbitmqadmin}, fetched from a RabbitMQ node's management plugin
 * ({@code GET /cli/rabbitmqadmin}, the copy that matches that RabbitMQ's API) and run with
 * {@code /usr/bin/python3} against the broker under test. Where from: {@value #URL_PROPERTY}
 * (.ci/run passes its reference RabbitMQ's), else the broker under test itself when it is a
 * RabbitMQ. Warren does not serve the script, so a run against Warren alone without the property
 * skips the tests that need it, saying why.
 */
final class Rabbitmqadmin {

    static final String URL_PROPERTY = "warren.rabbitmqadmin.url";
    private static final String PYTHON = "/usr/bin/python3";

    /** What rabbitmqadmin printed (stdout and stderr) and how it exited. */
    record Run(int exit, String output) {}

    private final Path script;
    private final URI api;

    private Rabbitmqadmin(Path script, URI api) {
        this.script = script;
        this.api = api;
    }

    /** Fetches the script into {@code dir}, to run against the broker under test's API. */
    static Rabbitmqadmin fetch(Path dir) throws IOException, InterruptedException {
        String base = BrokerUnderTest.httpBase();
        Assumptions.assumeTrue(base != null, "skipped: no management API given for this broker ("
                + BrokerUnderTest.HTTP_PROPERTY + ")");
        String url = System.getProperty(URL_PROPERTY, "");
        if (url.isBlank() && !BrokerUnderTest.isWarren()) {
            url = base + "/cli/rabbitmqadmin";
        }
        Assumptions.assumeTrue(!url.isBlank(), "skipped: Warren does not serve rabbitmqadmin; give a RabbitMQ's with -D"
                + URL_PROPERTY + "=http://rabbitmq:15672/cli/rabbitmqadmin (.ci/run does)");
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(r.statusCode() == 200 && new String(r.body(), StandardCharsets.UTF_8).startsWith("#!"),
                "GET " + url + " answered " + r.statusCode() + ", not the rabbitmqadmin script");
        Path script = dir.resolve("rabbitmqadmin");
        Files.write(script, r.body());
        return new Rabbitmqadmin(script, URI.create(base));
    }

    /** Runs {@code python3 rabbitmqadmin -H host -P port -u guest -p guest args...}. */
    Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "-H", api.getHost(), "-P",
                String.valueOf(api.getPort()), "-u", "guest", "-p", "guest"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(CompatTest.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "rabbitmqadmin did not finish: " + out);
        return new Run(p.exitValue(), out);
    }
}
