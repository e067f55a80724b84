package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RabbitMQ's sender-selected distribution: CC and BCC headers are extra routing keys. */
class SenderSelectedTest extends CompatTest {

    @Test
    void ccAndBccRouteCopiesOnceEachAndBccIsHidden() throws Exception {
        Channel ch = channel();
        String a = ch.queueDeclare(name("cc-a"), false, false, true, null).getQueue();
        String b = ch.queueDeclare(name("cc-b"), false, false, true, null).getQueue();
        String c = ch.queueDeclare(name("cc-c"), false, false, true, null).getQueue();
        ch.confirmSelect();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .headers(Map.of("CC", List.of(b), "BCC", List.of(c, a), "k", 1)).build();
        ch.basicPublish("", a, props, "m".getBytes());
        ch.waitForConfirmsOrDie(5000);

        for (String q : List.of(a, b, c)) {
            GetResponse r = ch.basicGet(q, true);
            assertNotNull(r, "a copy in " + q);
            Map<String, Object> headers = r.getProps().getHeaders();
            assertTrue(headers.containsKey("CC"), "CC is kept");
            assertFalse(headers.containsKey("BCC"), "BCC is removed before delivery");
            assertNull(ch.basicGet(q, true), "exactly one copy in " + q);
        }
        assertEquals(0, ch.queueDeclarePassive(a).getMessageCount());
    }
}
