package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.Test;

/**
 * Queue and exchange names with carriage returns and line feeds. RabbitMQ removes both from the
 * names of queue.declare, bind, unbind, delete and exchange.declare, delete, bind, unbind; it
 * takes the names of basic.publish, get, consume and queue.purge as they are.
 */
class LineBreakNamesTest extends CompatTest {

    @Test
    void declareBindUnbindAndDeleteDropLineBreaksFromNames() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("crlf");
        String x = exchangeName("crlf");
        String x2 = exchangeName("crlf-dest");

        assertEquals(q, ch.queueDeclare(q.substring(0, 6) + "\r\n" + q.substring(6) + "\n", false, false, false,
                null).getQueue());
        assertEquals(q, ch.queueDeclarePassive("\r" + q).getQueue());
        ch.exchangeDeclare(x + "\r\n", "fanout");
        ch.exchangeDeclare("\n" + x2, "fanout");
        ch.exchangeDeclarePassive(x + "\n");
        assertTrue(exchangeExists(x) && exchangeExists(x2));

        ch.queueBind(q + "\n", "\r" + x2, "");
        ch.exchangeBind(x2 + "\r\n", x + "\n", "");
        publishConfirmed(ch, x, "", "through both");
        assertEquals("through both", text(get(ch, q, true).getBody()));

        ch.exchangeUnbind("\n" + x2, x + "\r", "");
        publishConfirmed(ch, x, "", "nowhere");
        ch.queueUnbind(q + "\r\n", x2 + "\n", "");
        publishConfirmed(ch, x2, "", "nowhere either");
        assertNull(ch.basicGet(q, true));

        ch.exchangeDelete(x + "\r\n");
        ch.exchangeDelete("\r\n" + x2);
        ch.queueDelete(q + "\n");
        assertFalse(exchangeExists(x));
        assertFalse(exchangeExists(x2));
        assertFalse(queueExists(q));
        assertTrue(c.isOpen());
    }

    @Test
    void serverNamedQueueForANameOfLineBreaksOnly() throws Exception {
        Channel ch = channel();
        String q = ch.queueDeclare("\r\n", false, true, true, null).getQueue();
        assertTrue(q.startsWith("amq.gen-"), q);
    }

    @Test
    void publishGetConsumeAndPurgeTakeNamesAsTheyAre() throws Exception {
        Channel setup = channel();
        String q = queueName("crlf-kept");
        String x = exchangeName("crlf-kept");
        setup.queueDeclare(q, false, false, false, null);
        setup.exchangeDeclare(x, "fanout");

        assertNotFound("NOT_FOUND - no exchange '" + x + "\n' in vhost '/'", ch -> {
            ch.basicPublish(x + "\n", "", null, bytes("lost"));
            ch.queueDeclarePassive(q);
        });
        assertNotFound("NOT_FOUND - no queue '" + q + "\r\n' in vhost '/'", ch -> ch.basicGet(q + "\r\n", true));
        assertNotFound("NOT_FOUND - no queue '" + q + "\n' in vhost '/'",
                ch -> ch.basicConsume(q + "\n", true, new CollectingConsumer(ch)));
        assertNotFound("NOT_FOUND - no queue '\r" + q + "' in vhost '/'", ch -> ch.queuePurge("\r" + q));
    }

    private void assertNotFound(String text, ChannelCall call) throws Exception {
        Channel ch = channel();
        ShutdownSignalException sse = assertChannelError(AMQP.NOT_FOUND, () -> call.run(ch));
        assertReplyText(text, sse);
    }

    @FunctionalInterface
    private interface ChannelCall {
        void run(Channel ch) throws Exception;
    }
}
