package io.warren.broker.queue;

import io.warren.broker.message.Message;

/**
 * What a queue tells its vhost: it wants to be deleted (auto-delete after its last consumer,
 * x-expires), or a message dies and is to be dead-lettered. What the store must learn per message
 * goes straight to the queue's own {@link QueueStore}, not through here.
 *
 * <p>Concurrency: called on the queue's loop.
 */
public interface QueueListener {

    void autoDelete(Queue queue);

    /** x-expires: the queue went unused for its expiry time. */
    void expire(Queue queue);

    /**
     * The message leaves the queue unacked (rejected, expired, over the length limit) and the
     * queue has a dead-letter exchange: republish a copy there. The queue keeps its own reference.
     */
    void deadLetter(Queue queue, Message message, String reason);
}
