package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handshake as the RabbitMQ Java client sees it. */
class ConnectionTest extends CompatTest {

    @Test
    void handshakeNegotiatesRabbitMqDefaults() throws Exception {
        Connection c = connect();
        assertTrue(c.isOpen());
        assertEquals(2047, c.getChannelMax());
        assertEquals(131072, c.getFrameMax());
        assertEquals(60, c.getHeartbeat());
    }

    @Test
    void serverPropertiesAnnounceRabbitMqCapabilities() throws Exception {
        Map<String, Object> props = connect().getServerProperties();
        assertEquals("RabbitMQ", props.get("product").toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) props.get("capabilities");
        for (String cap : new String[] {"publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "authentication_failure_close", "per_consumer_qos"}) {
            assertEquals(Boolean.TRUE, caps.get(cap), cap);
        }
    }

    @Test
    void wrongPasswordIsRefusedWithAccessRefused() {
        ConnectionFactory f = factory();
        f.setPassword("not-the-password");
        assertThrows(AuthenticationFailureException.class, f::newConnection);
    }

    @Test
    void clientLowersFrameMaxAndChannelMax() throws Exception {
        ConnectionFactory f = factory();
        f.setRequestedFrameMax(8192);
        f.setRequestedChannelMax(10);
        f.setRequestedHeartbeat(5);
        Connection c = track(f.newConnection());
        assertEquals(8192, c.getFrameMax());
        assertEquals(10, c.getChannelMax());
        assertEquals(5, c.getHeartbeat());
    }

    @Test
    void unknownVhostIsRefused() {
        ConnectionFactory f = factory();
        f.setVirtualHost("no-such-vhost");
        assertThrows(java.io.IOException.class, f::newConnection);
    }
}
