package io.warren.broker.queue;

import java.util.Map;

/**
 * A subscription of one channel to one queue (basic.consume).
 *
 * <p>Concurrency: the definition is immutable. {@code unacked} is owned by the queue's loop (it
 * counts deliveries not yet settled, against the per-consumer prefetch); {@code cancelled} is set
 * by the channel and read by the queue.
 */
public final class Consumer {

    private final String tag;
    private final Queue queue;
    private final ConsumerSink sink;
    private final boolean noAck;
    private final boolean exclusive;
    private final int prefetch;
    private final int priority;
    private final Map<String, Object> arguments;
    /** Queue loop only: the last try for channel-wide credit was refused. */
    private boolean creditRefused;
    private volatile boolean cancelled;
    int unacked;

    public Consumer(String tag, Queue queue, ConsumerSink sink, boolean noAck, boolean exclusive, int prefetch,
                    int priority, Map<String, Object> arguments) {
        this.tag = tag;
        this.queue = queue;
        this.sink = sink;
        this.noAck = noAck;
        this.exclusive = exclusive;
        this.prefetch = prefetch;
        this.priority = priority;
        this.arguments = arguments;
    }

    public String tag() {
        return tag;
    }

    public Queue queue() {
        return queue;
    }

    public ConsumerSink sink() {
        return sink;
    }

    public boolean noAck() {
        return noAck;
    }

    public boolean exclusive() {
        return exclusive;
    }

    /** Per-consumer prefetch (basic.qos global=false at the time of basic.consume); 0 is unlimited. */
    public int prefetch() {
        return prefetch;
    }

    /** x-priority: higher-priority consumers get messages first while they have credit. */
    public int priority() {
        return priority;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void markCancelled() {
        this.cancelled = true;
    }

    /** Queue loop only: can this consumer take one more message now? Takes channel credit if so. */
    boolean canTake() {
        if (cancelled || !sink.writable()) {
            return false;
        }
        if (noAck) {
            return sink.channelCreditAvailable();
        }
        if (prefetch > 0 && unacked >= prefetch) {
            return false;
        }
        if (creditRefused && !queue.woken()) {
            // Refused channel-wide credit: wait for the channel's wake-up rather than take the
            // credit an ack returns on a turn of our own (the acked delivery's settle). The
            // channel wakes its queues from a random start, as RabbitMQ's limiter notifies its
            // blocked queues, so one queue's acks do not keep its credit for it across loops.
            return false;
        }
        creditRefused = !sink.tryAcquireChannelCredit();
        return !creditRefused;
    }
}
