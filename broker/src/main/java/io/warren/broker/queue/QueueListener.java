package io.warren.broker.queue;

import io.warren.broker.message.Message;

/**
 * What a queue tells its vhost: a message left it for good (so a durable copy can be dropped),
 * or it wants to be deleted (auto-delete after its last consumer).
 *
 * <p>Concurrency: called on the queue's loop.
 */
public interface QueueListener {

    void removed(Queue queue, Message message);

    /** The message was handed out and awaits an ack (a restart would mark it redelivered). */
    void delivered(Queue queue, Message message);

    void autoDelete(Queue queue);

    /** x-expires: the queue went unused for its expiry time. */
    void expire(Queue queue);

    /**
     * The message leaves the queue unacked (rejected, expired, over the length limit) and the
     * queue has a dead-letter exchange: republish a copy there. The queue keeps its own reference.
     */
    void deadLetter(Queue queue, Message message, String reason);
}
