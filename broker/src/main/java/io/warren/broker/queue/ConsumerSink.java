package io.warren.broker.queue;

/**
 * The side of a consumer that lives on its connection: where a queue hands deliveries and
 * notices. Implemented by the AMQP channel; a second protocol implements it again.
 *
 * <p>Concurrency: every method but {@link #writeDelivery} is called on the queue's loop, which is
 * usually not the connection's, so implementations hand work over (the connection's outbox) and
 * read only thread-safe state.
 */
public interface ConsumerSink {

    /** Hands a delivery to the connection, which tags and writes it. */
    void deliver(Delivery delivery);

    /**
     * Connection loop: the delivery handed over by {@link #deliver} has come through the
     * connection's outbox; tag and write it, or give it back to its queue if the consumer has gone.
     */
    void writeDelivery(Delivery delivery);

    /** False while the connection's socket buffer is full: the queue stops delivering to it. */
    boolean writable();

    /**
     * Takes one unit of the channel-wide prefetch credit (basic.qos global=true), or answers false
     * when none is left. Always true without a channel-wide limit.
     */
    boolean tryAcquireChannelCredit();

    /**
     * Whether the channel-wide prefetch has room, without taking any: RabbitMQ's limiter holds
     * back a no-ack consumer while its channel's limit is reached, although its own deliveries
     * never count against it. Always true without a channel-wide limit.
     */
    boolean channelCreditAvailable();

    /** The queue went away under the consumer (deleted): tell the client (basic.cancel). */
    void cancelledByQueue(Consumer consumer);
}
