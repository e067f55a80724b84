package io.warren.broker.routing;

import io.warren.broker.message.Message;
import io.warren.broker.metrics.BrokerCounters;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrokerEvents.class);

    private final VirtualHostListener disk;
    private final DeadLetters deadLetters;
    private final BrokerCounters counters;

    public BrokerEvents(VirtualHostListener disk, BrokerCounters counters, DeadLetters deadLetters) {
        this.disk = disk;
        this.counters = counters;
        this.deadLetters = deadLetters;
    }

    @Override
    public void queueCreated(VirtualHost vhost, Queue queue) {
        counters.queuesCreated.increment();
        disk.queueCreated(vhost, queue);
    }

    @Override
    public void queueDeleted(VirtualHost vhost, Queue queue) {
        counters.queuesDeleted.increment();
        LOG.debug("queue '{}' in vhost '{}' deleted", queue.name(), vhost.name());
        disk.queueDeleted(vhost, queue);
    }

    @Override
    public void exchangeDeclared(VirtualHost vhost, Exchange exchange) {
        vhost.policies().applyTo(exchange);
        disk.exchangeDeclared(vhost, exchange);
    }

    @Override
    public void exchangeDeleted(VirtualHost vhost, String exchange) {
        LOG.debug("exchange '{}' in vhost '{}' deleted", exchange, vhost.name());
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
