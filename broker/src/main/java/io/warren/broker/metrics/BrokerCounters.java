package io.warren.broker.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The broker-wide message counters behind RabbitMQ's {@code rabbitmq_global_messages_*_total}
 * metrics. LongAdders: each event loop increments its own cell, so counting costs no contention
 * on the hot path; the sum is taken only when metrics are scraped.
 */
public final class BrokerCounters {

    public final LongAdder received = new LongAdder();
    /** Messages received on channels in confirm mode (RabbitMQ's received_confirm). */
    public final LongAdder receivedConfirm = new LongAdder();
    /**
     * Messages put into queues: a message routed to three queues counts three (RabbitMQ's
     * rabbitmq_queue_messages_published_total, summed over queues).
     */
    public final LongAdder queuePublished = new LongAdder();
    public final LongAdder routed = new LongAdder();
    public final LongAdder unroutableReturned = new LongAdder();
    public final LongAdder unroutableDropped = new LongAdder();
    public final LongAdder confirmed = new LongAdder();
    /**
     * A gauge kept as an adder: publishes on confirm-mode channels not yet acked or nacked (up
     * per publish, down per confirm told and by what a closing channel leaves untold).
     */
    public final LongAdder unconfirmed = new LongAdder();
    /** A gauge kept as an adder: open channels that have published (RabbitMQ's publishers). */
    public final LongAdder publishers = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    /** The deliveries to basic.consume consumers, by acknowledgement mode (both part of delivered). */
    public final LongAdder deliveredConsumeAutoAck = new LongAdder();
    public final LongAdder deliveredConsumeManualAck = new LongAdder();
    /** basic.get answered with a message, acknowledgement required. */
    public final LongAdder deliveredGet = new LongAdder();
    /** basic.get answered with a message, no-ack. */
    public final LongAdder deliveredGetAutoAck = new LongAdder();
    public final LongAdder getEmpty = new LongAdder();
    public final LongAdder redelivered = new LongAdder();
    public final LongAdder acknowledged = new LongAdder();
    public final LongAdder deadLettered = new LongAdder();
    /** Dead-lettered messages by RabbitMQ's reason (each also counted in deadLettered). */
    public final LongAdder deadLetteredExpired = new LongAdder();
    public final LongAdder deadLetteredMaxlen = new LongAdder();
    public final LongAdder deadLetteredRejected = new LongAdder();
    public final LongAdder deadLetteredDeliveryLimit = new LongAdder();
    /** queue.declare answered with declare-ok (not passive); queues created and deleted by any path. */
    public final LongAdder queuesDeclared = new LongAdder();
    public final LongAdder queuesCreated = new LongAdder();
    public final LongAdder queuesDeleted = new LongAdder();
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    public final LongAdder channelsOpened = new LongAdder();
    public final LongAdder channelsClosed = new LongAdder();
    /** AMQP logins tried (connection.start-ok with a mechanism offered), and how they ended. */
    public final LongAdder authAttempts = new LongAdder();
    public final LongAdder authSucceeded = new LongAdder();
    public final LongAdder authFailed = new LongAdder();
}
