package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RabbitMQ's direct reply-to: RPC replies straight to the requesting channel, no reply queue. */
class DirectReplyToTest extends CompatTest {

    private static final String REPLY_TO = "amq.rabbitmq.reply-to";

    @Test
    void replyReachesTheRequestingChannelsConsumer() throws Exception {
        Channel server = channel();
        String requests = server.queueDeclare("", false, true, true, null).getQueue();
        Channel client = channel();
        BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
        client.basicConsume(REPLY_TO, true, new DefaultConsumer(client) {
            @Override
            public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                replies.add(props.getCorrelationId() + ":" + new String(body, StandardCharsets.UTF_8));
            }
        });
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .replyTo(REPLY_TO).correlationId("42").build();
        client.basicPublish("", requests, props, "ping".getBytes(StandardCharsets.UTF_8));

        GetResponse request = poll(server, requests);
        String replyTo = request.getProps().getReplyTo();
        assertTrue(replyTo.startsWith(REPLY_TO + "."), "reply-to rewritten to a per-channel address: " + replyTo);
        server.basicPublish("", replyTo, new AMQP.BasicProperties.Builder()
                .correlationId(request.getProps().getCorrelationId()).build(), "pong".getBytes(StandardCharsets.UTF_8));

        assertEquals("42:pong", replies.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void publishingWithReplyToNeedsAReplyConsumerFirst() throws Exception {
        Channel client = channel();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(REPLY_TO).build();
        client.basicPublish("", "anything", props, new byte[0]);
        // The channel close may arrive before or while the next method is sent.
        assertThrows(Exception.class, () -> client.queueDeclare("", false, true, true, null));
        ShutdownSignalException cause = client.getCloseReason();
        assertTrue(cause.getMessage().contains("406"), cause.getMessage());
        assertTrue(cause.getMessage().contains("fast reply consumer does not exist"), cause.getMessage());
    }

    @Test
    void replyConsumerMustBeNoAck() throws Exception {
        Channel client = channel();
        IOException e = assertThrows(IOException.class,
                () -> client.basicConsume(REPLY_TO, false, new DefaultConsumer(client)));
        assertTrue(e.getCause().getMessage().contains("reply consumer cannot acknowledge"), e.getCause().getMessage());
    }

    private static GetResponse poll(Channel ch, String queue) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            GetResponse r = ch.basicGet(queue, true);
            if (r != null) {
                return r;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no request arrived in " + queue);
    }
}
