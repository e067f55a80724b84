package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.warren.compat.CollectingConsumer.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Message TTL and length limits also hold for messages that come back to the queue (nack,
 * reject, recover, channel close), and a message's TTL clock starts when it enters the queue
 * (at tx.commit for a transaction), as in RabbitMQ 3.10 and 3.13.
 */
class TtlAndLengthOnRequeueTest extends CompatTest {

    /** A dead-letter queue reached through the default exchange; answers its name. */
    private String deadLetterQueue(Channel ch) throws IOException {
        String dlq = queueName("dlq");
        ch.queueDeclare(dlq, false, false, false, null);
        return dlq;
    }

    private static Map<String, Object> deadLetterTo(String dlq, Map<String, Object> more) {
        Map<String, Object> args = new java.util.HashMap<>(more);
        args.put("x-dead-letter-exchange", "");
        args.put("x-dead-letter-routing-key", dlq);
        return args;
    }

    @SuppressWarnings("unchecked")
    private static String deathReason(AMQP.BasicProperties props) {
        List<Object> deaths = (List<Object>) props.getHeaders().get("x-death");
        return ((Map<String, Object>) deaths.get(0)).get("reason").toString();
    }

    @Test
    void aZeroTtlMessageNackedWithRequeueExpiresInsteadOfComingBack() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = deadLetterQueue(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        String q = queueName("ttl0-requeue");
        ch.queueDeclare(q, false, false, false, deadLetterTo(dlq, Map.of("x-message-ttl", 0)));
        Channel consumerChannel = c.createChannel();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        consumerChannel.basicConsume(q, false, new DefaultConsumer(consumerChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                seen.add(text(body) + (envelope.isRedeliver() ? " (redelivered)" : ""));
                consumerChannel.basicNack(envelope.getDeliveryTag(), false, true);
            }
        });
        publishConfirmed(ch, "", q, "m");
        Received r = dead.next();
        assertEquals("m", r.text());
        assertEquals("expired", deathReason(r.properties()));
        assertEquals(List.of("m"), seen, "taken once, never redelivered");
    }

    @Test
    void aMessageThatExpiredWhileUnackedIsDeadLetteredWhenItsChannelCloses() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = deadLetterQueue(ch);
        String q = queueName("expired-unacked");
        ch.queueDeclare(q, false, false, false, deadLetterTo(dlq, Map.of()));
        ch.confirmSelect();
        ch.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("100").build(), bytes("m"));
        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
        Channel holder = c.createChannel();
        get(holder, q, false);
        Thread.sleep(200); // let its expiration pass while it is out
        holder.close();
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        Received r = dead.next();
        assertEquals("expired", deathReason(r.properties()));
        assertEquals(0, messageCount(q));
    }

    @Test
    void ttlCountsFromTxCommitNotFromPublish() throws Exception {
        Channel ch = channel();
        String q = queueName("tx-ttl");
        ch.queueDeclare(q, false, false, false, Map.of("x-message-ttl", 1000));
        // Waiting already, the consumer gets them as they enter the queue: no client round trip
        // (a basic.get after the commit) that a loaded machine could stretch past the TTL.
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, true, consumer);
        Channel tx = connect().createChannel();
        tx.txSelect();
        tx.basicPublish("", q, null, bytes("queue-ttl"));
        tx.basicPublish("", q, new AMQP.BasicProperties.Builder().expiration("1000").build(), bytes("own-ttl"));
        Thread.sleep(1200); // longer than both TTLs, before the messages enter the queue
        tx.txCommit();
        assertEquals("queue-ttl", consumer.next().text());
        assertEquals("own-ttl", consumer.next().text());
        assertEquals(0, messageCount(q));
    }

    @Test
    void dropHeadAppliesToARequeuedMessage() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = deadLetterQueue(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        String q = queueName("maxlen-requeue");
        ch.queueDeclare(q, false, false, false, deadLetterTo(dlq, Map.of("x-max-length", 2)));
        publishConfirmed(ch, "", q, "1", "2");
        Channel holder = c.createChannel();
        GetResponse one = get(holder, q, false);
        publishConfirmed(ch, "", q, "3");
        holder.basicReject(one.getEnvelope().getDeliveryTag(), true);
        // Back at the head, over the limit: it is the one dropped.
        Received r = dead.next();
        assertEquals("1", r.text());
        assertEquals("maxlen", deathReason(r.properties()));
        assertEquals(List.of("2", "3"), drain(ch, q));
    }

    @Test
    void maxLengthBytesAppliesToARequeuedMessage() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("maxbytes-requeue");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length-bytes", 8));
        publishConfirmed(ch, "", q, "aaaa", "bbbb");
        Channel holder = c.createChannel();
        GetResponse one = get(holder, q, false);
        publishConfirmed(ch, "", q, "cccc");
        holder.basicNack(one.getEnvelope().getDeliveryTag(), false, true);
        // nack-ok does not exist: a get on the same channel reaches the queue after the nack.
        assertEquals("bbbb", text(get(holder, q, true).getBody()));
        assertEquals(List.of("cccc"), drain(ch, q));
    }

    @Test
    void dropHeadAppliesToMessagesReturnedByAClosingChannel() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String dlq = deadLetterQueue(ch);
        CollectingConsumer dead = new CollectingConsumer(ch);
        ch.basicConsume(dlq, true, dead);
        String q = queueName("maxlen-close");
        ch.queueDeclare(q, false, false, false, deadLetterTo(dlq, Map.of("x-max-length", 2)));
        publishConfirmed(ch, "", q, "1", "2");
        Channel holder = c.createChannel();
        get(holder, q, false);
        get(holder, q, false);
        publishConfirmed(ch, "", q, "3", "4");
        holder.close();
        assertEquals(List.of("1", "2"), dead.next(2).stream().map(Received::text).toList());
        assertEquals(List.of("3", "4"), drain(ch, q));
    }

    @Test
    void dropHeadAppliesToRecoveredMessages() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("maxlen-recover");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1));
        publishConfirmed(ch, "", q, "1");
        Channel holder = c.createChannel();
        get(holder, q, false);
        publishConfirmed(ch, "", q, "2");
        holder.basicRecover(true);
        // recover-ok comes after the message was handed back: the get below reaches the queue later.
        assertEquals(List.of("2"), drain(ch, q));
    }

    @Test
    void rejectPublishLetsRequeuedMessagesExceedTheLimit() throws Exception {
        Connection c = connect();
        Channel ch = c.createChannel();
        String q = queueName("reject-publish-requeue");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
        publishConfirmed(ch, "", q, "1", "2");
        Channel holder = c.createChannel();
        GetResponse one = get(holder, q, false);
        publishConfirmed(ch, "", q, "3");
        holder.basicReject(one.getEnvelope().getDeliveryTag(), true);
        // RabbitMQ answers a passive declare through another process than the reject: poll.
        eventually("the rejected message back, over the limit", () -> messageCount(q) == 3);
        GetResponse first = get(ch, q, true);
        assertEquals("1", text(first.getBody()));
        assertTrue(first.getEnvelope().isRedeliver());
        assertEquals(List.of("2", "3"), drain(ch, q));
    }
}
