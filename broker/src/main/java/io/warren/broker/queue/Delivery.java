package io.warren.broker.queue;

import io.warren.broker.message.Message;

/**
 * One hand-over of a message from a queue to a consumer (or to basic.get), from the moment the
 * queue picks it until the client settles it. The same object travels queue → connection (to be
 * written and tagged) → back to the queue (as the ack, reject or requeue), so a delivery costs
 * one allocation however it ends.
 *
 * <p>Concurrency: created on the queue's loop; handed to the consumer's connection loop through
 * its outbox and back through the queue's inbox. Each hand-off is a happens-before edge (MPSC
 * queue), and only one side touches the object at a time.
 */
public final class Delivery {

    /** What the queue should do when this delivery comes back through its inbox. */
    public enum Settlement {
        /** Acknowledged: forget the message. */
        ACK,
        /** Rejected or nacked without requeue, or expired: drop (or dead-letter) it. */
        DROP,
        /** Rejected with requeue, or its channel closed: back to its original position, redelivered. */
        REQUEUE,
        /** Never reached the client (consumer gone before the write): back as it was. */
        UNSENT
    }

    private final Queue queue;
    private final Message message;
    private final Consumer consumer;
    private final boolean redelivered;
    private final long position;
    private long deliveryTag;
    private Settlement settlement;

    public Delivery(Queue queue, Message message, Consumer consumer, boolean redelivered) {
        this(queue, message, consumer, redelivered, 0);
    }

    Delivery(Queue queue, Message message, Consumer consumer, boolean redelivered, long position) {
        this.queue = queue;
        this.message = message;
        this.consumer = consumer;
        this.redelivered = redelivered;
        this.position = position;
    }

    /** Where the message stood in its queue (see {@link ReadyList#polledPosition()}): a requeue puts it back there. */
    long position() {
        return position;
    }

    public Queue queue() {
        return queue;
    }

    public Message message() {
        return message;
    }

    /** Null for a basic.get. */
    public Consumer consumer() {
        return consumer;
    }

    public boolean redelivered() {
        return redelivered;
    }

    public long deliveryTag() {
        return deliveryTag;
    }

    public void deliveryTag(long tag) {
        this.deliveryTag = tag;
    }

    public Settlement settlement() {
        return settlement;
    }

    /** Records how it will be settled without handing it back yet (acks inside a transaction). */
    public void settlement(Settlement how) {
        this.settlement = how;
    }

    /** Hands the delivery back to its queue, settled. */
    public void settle(Settlement how) {
        this.settlement = how;
        queue.settle(this);
    }
}
