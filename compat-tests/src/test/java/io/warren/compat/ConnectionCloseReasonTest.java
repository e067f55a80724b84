package io.warren.compat;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Closing a connection through the API ({@code DELETE /api/connections/NAME}, as the web console's
 * "force close" does): the client hears 320 CONNECTION_FORCED with the reason given in the
 * {@code X-Reason} header, or RabbitMQ's "Closed via management plugin" without one.
 */
class ConnectionCloseReasonTest extends CompatTest {

    private final ManagementApi api = ManagementApi.underTest();

    @Test
    void theClientHearsTheReasonGivenInXReason() throws Exception {
        assertReplyText("CONNECTION_FORCED - maintenance window", closeThroughApi("maintenance window"));
    }

    @Test
    void withoutAReasonTheClientHearsRabbitMqsDefault() throws Exception {
        assertReplyText("CONNECTION_FORCED - Closed via management plugin", closeThroughApi(null));
    }

    private com.rabbitmq.client.ShutdownSignalException closeThroughApi(String reason) throws Exception {
        String label = name("close-reason");
        ConnectionFactory f = factory();
        f.setClientProperties(new HashMap<>(Map.of("connection_name", label)));
        Connection c = track(f.newConnection());
        String path = "/api/connections/" + ManagementApi.encode(awaitListed(label));
        ManagementApi.Response closed = reason == null ? api.call("DELETE", path, null)
                : api.call("DELETE", path, null, Map.of("X-Reason", reason));
        org.junit.jupiter.api.Assertions.assertEquals(204, closed.status(), closed::toString);
        return awaitClose(c);
    }

    /** The API's name of the connection labelled {@code label} (RabbitMQ lists it with a delay). */
    private String awaitListed(String label) throws Exception {
        String[] found = new String[1];
        eventually("connection " + label + " listed", () -> {
            for (Map<String, Object> c : api.get("/api/connections").list()) {
                if (c.get("client_properties") instanceof Map<?, ?> m && label.equals(m.get("connection_name"))) {
                    found[0] = (String) c.get("name");
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
