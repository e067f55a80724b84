package io.warren.broker.channel;

import io.warren.broker.queue.QueueArguments;
import io.warren.broker.queue.QueueDefinition;
import java.util.Map;

/**
 * The basic.consume arguments RabbitMQ checks, with its 406 explanations (measured on 3.10):
 * x-priority must be an integer of any width; x-cancel-on-ha-failover a boolean, and a quorum
 * queue refuses it whatever its value; x-stream-offset is for stream queues, which Warren does
 * not have, so every queue refuses it. Other arguments are kept and ignored.
 */
final class ConsumerArguments {

    private ConsumerArguments() {}

    /** Null when {@code args} are acceptable for a consumer on {@code queue}; else why not. */
    static String invalid(Map<String, Object> args, QueueDefinition queue) {
        if (args.isEmpty()) {
            return null;
        }
        String prefix = "invalid arg '%s' for queue '" + queue.name() + "' in vhost '" + queue.vhost() + "'";
        if (args.containsKey("x-priority")) {
            Object v = args.get("x-priority");
            if (!QueueArguments.isInteger(v)) {
                return prefix.formatted("x-priority") + ": \"expected integer, got "
                        + QueueArguments.amqpTypeName(v) + "\"";
            }
        }
        boolean quorum = "quorum".equals(QueueArguments.stringArg(queue.arguments(), "x-queue-type"));
        String ofType = " of queue type " + (quorum ? "rabbit_quorum_queue" : "rabbit_classic_queue");
        if (args.containsKey("x-cancel-on-ha-failover")) {
            Object v = args.get("x-cancel-on-ha-failover");
            if (quorum) {
                return prefix.formatted("x-cancel-on-ha-failover") + ofType;
            }
            if (!(v instanceof Boolean)) {
                return prefix.formatted("x-cancel-on-ha-failover") + ": {unacceptable_type,"
                        + QueueArguments.amqpTypeName(v) + "}";
            }
        }
        if (args.containsKey("x-stream-offset")) {
            return prefix.formatted("x-stream-offset") + ofType;
        }
        return null;
    }

    /**
     * x-priority as an int. RabbitMQ takes any integer; one beyond the int range is saturated,
     * so it still ranks above (or below) every int priority, though two such tie.
     */
    static int priority(Map<String, Object> args) {
        long p = QueueArguments.longArg(args, "x-priority", 0);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p));
    }
}
