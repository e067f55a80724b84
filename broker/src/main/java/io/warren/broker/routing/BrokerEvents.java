package io.warren.broker.routing;

import io.warren.broker.message.Message;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHostListener;
import io.warren.exchange.Binding;
import io.warren.exchange.Exchange;

/**
 * What the broker does when something happens in a vhost: applies the vhost's policies to a new
 * exchange (a new queue gets them from its vhost), keeps durable state on disk (the persistence
 * listener, or nothing) and dead-letters messages that die in queues.
 */
public final class BrokerEvents implements VirtualHostListener {

    private final VirtualHostListener disk;
    private final DeadLetters deadLetters;

    public BrokerEvents(VirtualHostListener disk, DeadLetters deadLetters) {
        this.disk = disk;
        this.deadLetters = deadLetters;
    }

    @Override
    public void queueCreated(VirtualHost vhost, Queue queue) {
        disk.queueCreated(vhost, queue);
    }

    @Override
    public void queueDeleted(VirtualHost vhost, Queue queue) {
        disk.queueDeleted(vhost, queue);
    }

    @Override
    public void exchangeDeclared(VirtualHost vhost, Exchange exchange) {
        vhost.policies().applyTo(exchange);
        disk.exchangeDeclared(vhost, exchange);
    }

    @Override
    public void exchangeDeleted(VirtualHost vhost, String exchange) {
        disk.exchangeDeleted(vhost, exchange);
    }

    @Override
    public void bindingAdded(VirtualHost vhost, Binding binding) {
        disk.bindingAdded(vhost, binding);
    }

    @Override
    public void bindingRemoved(VirtualHost vhost, Binding binding) {
        disk.bindingRemoved(vhost, binding);
    }

    @Override
    public void deadLetter(VirtualHost vhost, Queue queue, Message message, String reason) {
        deadLetters.deadLetter(vhost, queue, message, reason);
    }
}
