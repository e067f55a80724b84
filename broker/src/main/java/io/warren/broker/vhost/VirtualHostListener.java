package io.warren.broker.vhost;

import io.warren.broker.message.Message;
import io.warren.broker.queue.Queue;
import io.warren.exchange.Binding;
import io.warren.exchange.Exchange;

/**
 * What the rest of the broker learns from a vhost: topology changes (to keep durable ones on
 * disk, to count them) and messages dying in queues (to dead-letter them). A queue's per-message
 * store writes do not come this way: the queue calls its own {@code QueueStore}.
 */
public interface VirtualHostListener {

    void queueCreated(VirtualHost vhost, Queue queue);

    void queueDeleted(VirtualHost vhost, Queue queue);

    void exchangeDeclared(VirtualHost vhost, Exchange exchange);

    void exchangeDeleted(VirtualHost vhost, String exchange);

    void bindingAdded(VirtualHost vhost, Binding binding);

    void bindingRemoved(VirtualHost vhost, Binding binding);

    /**
     * A message dies in a queue with a dead-letter exchange (reason: rejected, expired, maxlen).
     * Called on the queue's loop; the queue keeps (and later releases) its own reference.
     */
    default void deadLetter(VirtualHost vhost, Queue queue, Message message, String reason) {
    }

    VirtualHostListener NONE = new VirtualHostListener() {
        @Override
        public void queueCreated(VirtualHost vhost, Queue queue) {}

        @Override
        public void queueDeleted(VirtualHost vhost, Queue queue) {}

        @Override
        public void exchangeDeclared(VirtualHost vhost, Exchange exchange) {}

        @Override
        public void exchangeDeleted(VirtualHost vhost, String exchange) {}

        @Override
        public void bindingAdded(VirtualHost vhost, Binding binding) {}

        @Override
        public void bindingRemoved(VirtualHost vhost, Binding binding) {}
    };
}
