package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

/**
 * A basic.get that uncovers a message due to expire lets it expire on time: the queue sets the
 * new head's timer even when nothing else happens to it afterwards.
 */
class ExpiryAfterGetTest extends CompatTest {

    @Test
    void theHeadABasicGetUncoversExpiresWithoutFurtherTraffic() throws Exception {
        Channel ch = channel();
        String q = queueName("expiry-after-get");
        ch.queueDeclare(q, false, false, false, null);
        ch.confirmSelect();
        ch.basicPublish("", q, null, bytes("lasting"));
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("100").build(), bytes("short-lived"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);

        assertEquals("lasting", text(get(ch, q, true).getBody()));

        eventually("the uncovered message expired", () -> messageCount(q) == 0);
    }
}
