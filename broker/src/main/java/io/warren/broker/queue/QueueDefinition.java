package io.warren.broker.queue;

import java.util.Map;

/**
 * A queue as declared: what queue.declare equivalence is checked against and what the store
 * keeps for durable queues.
 */
public record QueueDefinition(
        String vhost,
        String name,
        boolean durable,
        boolean exclusive,
        boolean autoDelete,
        Map<String, Object> arguments) {

    public QueueDefinition {
        arguments = arguments == null ? Map.of() : arguments;
    }
}
