package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * basic.get is counted under RabbitMQ's Prometheus names by acknowledgement mode:
 * {@code rabbitmq_global_messages_delivered_get_auto_ack_total} for no-ack gets,
 * {@code ..._get_manual_ack_total} for the others. Warren-only: the reference RabbitMQ runs
 * without its Prometheus plugin.
 */
@WarrenOnly
class BasicGetMetricsTest extends CompatTest {

    private static double metric(int port, String name) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(resp.body());
        assertTrue(m.find(), () -> name + " in\n" + resp.body());
        return Double.parseDouble(m.group(2));
    }

    @Test
    void getsAreCountedByAcknowledgementMode() throws Exception {
        Broker own = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().metricsPort(0));
        try {
            ConnectionFactory f = factory();
            f.setPort(own.amqpPort());
            try (Connection c = f.newConnection()) {
                Channel ch = c.createChannel();
                String q = ch.queueDeclare().getQueue();
                publishConfirmed(ch, "", q, "1", "2", "3");
                get(ch, q, true);
                get(ch, q, true);
                get(ch, q, false);
            }
            int port = own.metricsPort();
            assertEquals(2.0, metric(port, "rabbitmq_global_messages_delivered_get_auto_ack_total"));
            assertEquals(1.0, metric(port, "rabbitmq_global_messages_delivered_get_manual_ack_total"));
        } finally {
            own.close();
        }
    }
}
