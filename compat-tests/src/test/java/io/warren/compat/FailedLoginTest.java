package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Failed logins are counted under RabbitMQ's Prometheus names (rabbitmq_prometheus's
 * {@code rabbitmq_auth_attempts_total}, {@code _succeeded_total}, {@code _failed_total}, label
 * {@code protocol="amqp091"}) and logged with the peer's address and the user name, never the
 * password. Warren-only: the reference broker runs without its Prometheus plugin.
 */
@WarrenOnly
class FailedLoginTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void failedLoginsAreCountedAndLoggedWithoutThePassword() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("io.warren.broker.connection.ConnectionLog");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        String password = "pw-" + System.nanoTime();
        String stranger = "stranger-" + System.nanoTime();
        try (Broker broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().metricsPort(0))) {
            assertEquals(0, metric(broker, "rabbitmq_auth_attempts_failed_total"));
            ConnectionFactory f = BrokerUnderTest.factory();
            f.setPort(broker.amqpPort());
            f.setPassword(password);
            assertThrows(AuthenticationFailureException.class, f::newConnection);
            f.setUsername(stranger);
            assertThrows(AuthenticationFailureException.class, f::newConnection);
            f.setUsername("guest");
            f.setPassword("guest");
            try (Connection ok = f.newConnection()) {
                assertTrue(ok.isOpen());
            }
            assertEquals(2, metric(broker, "rabbitmq_auth_attempts_failed_total"));
            assertEquals(1, metric(broker, "rabbitmq_auth_attempts_succeeded_total"));
            assertEquals(3, metric(broker, "rabbitmq_auth_attempts_total"));
        } finally {
            log.detachAppender(logged);
        }
        List<String> refusals = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("login refused")).toList();
        String guestRefused = refusals.stream().filter(m -> m.contains("user 'guest'")).findFirst().orElseThrow();
        assertTrue(guestRefused.matches("Error on AMQP connection \\(127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:\\d+, state: starting\\):"
                + " PLAIN login refused: user 'guest' - invalid credentials"), guestRefused);
        assertTrue(refusals.stream().anyMatch(m -> m.contains("user '" + stranger + "' - invalid credentials")), refusals::toString);
        assertFalse(refusals.stream().anyMatch(m -> m.contains(password)), refusals::toString);
    }

    /** A counter's value, labelled protocol="amqp091", from the broker's Prometheus endpoint. */
    private static long metric(Broker broker, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + broker.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{protocol=\"amqp091\"} ([0-9.eE+]+)$").matcher(body);
        assertTrue(m.find(), () -> name + " not in " + body);
        return (long) Double.parseDouble(m.group(1));
    }
}
