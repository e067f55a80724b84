package io.warren.broker.routing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RabbitMQ's direct reply-to: a client consumes from the pseudo-queue
 * {@code amq.rabbitmq.reply-to} (no-ack), publishes requests with that name as reply-to, and the
 * broker rewrites it to {@code amq.rabbitmq.reply-to.<token>}; a reply published to the default
 * exchange with that routing key goes straight to the requesting channel's consumer, with no
 * queue in between. This is the token → channel directory.
 *
 * <p>Concurrency: a concurrent map; registration on the consumer's loop, lookups on publishers'.
 */
public final class DirectReplyTo {

    public static final String QUEUE = "amq.rabbitmq.reply-to";
    public static final String PREFIX = QUEUE + ".";

    /**
     * The channel side of a reply consumer, called on any thread: takes a reply (retaining it
     * for itself), or answers false when it cannot take more now (its requester does not read).
     */
    public interface ReplyConsumer {
        boolean offer(io.warren.broker.message.Message message);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, ReplyConsumer> consumers = new ConcurrentHashMap<>();

    /** Registers a reply consumer; answers the token its requests' reply-to will carry. */
    public String register(ReplyConsumer consumer) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        consumers.put(token, consumer);
        return token;
    }

    public void unregister(String token) {
        consumers.remove(token);
    }

    public boolean exists(String routingKey) {
        return routingKey.startsWith(PREFIX) && consumers.containsKey(routingKey.substring(PREFIX.length()));
    }

    /**
     * Hands a reply to the consumer its routing key names; false when there is none (the
     * requester went away) or it refused the reply (its requester is not reading): the reply is
     * unroutable.
     */
    public boolean deliver(String routingKey, io.warren.broker.message.Message message) {
        ReplyConsumer c = consumers.get(routingKey.substring(PREFIX.length()));
        return c != null && c.offer(message);
    }
}
