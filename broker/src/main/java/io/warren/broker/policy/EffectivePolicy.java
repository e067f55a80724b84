package io.warren.broker.policy;

import io.warren.broker.queue.QueueArguments;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a policy, an operator policy and a queue's own x-arguments combine, by RabbitMQ's rules
 * (rabbit_policy's merge of operator policies, rabbit_amqqueue_process' and rabbit_quorum_queue's
 * per-key resolution):
 * <ul>
 *   <li>limits ({@code message-ttl}, {@code expires}, {@code max-length},
 *       {@code max-length-bytes}, {@code delivery-limit}): the lowest of the three wins;</li>
 *   <li>everything else ({@code dead-letter-exchange}, {@code dead-letter-routing-key},
 *       {@code overflow}, {@code queue-mode}): the queue's argument wins over the policy;</li>
 *   <li>on exchanges, an {@code alternate-exchange} argument wins over the policy's.</li>
 * </ul>
 */
final class EffectivePolicy {

    /** Keys where the lowest value wins (and which an operator policy may set). */
    private static final Set<String> LOWEST_WINS = Set.of("message-ttl", "expires", "max-length",
            "max-length-bytes", "delivery-limit");
    /** Queue keys read from x-arguments; the others of a definition (alternate-exchange) are for exchanges. */
    private static final Set<String> QUEUE_KEYS = Set.of("message-ttl", "expires", "max-length", "max-length-bytes",
            "delivery-limit", "dead-letter-exchange", "dead-letter-routing-key", "overflow", "queue-mode");

    private EffectivePolicy() {}

    /**
     * The definition a policy and an operator policy (either may be null) make together, as
     * RabbitMQ shows it ({@code effective_policy_definition}, keys in order).
     */
    static Map<String, Object> definition(Policy policy, Policy operator) {
        Map<String, Object> def = new TreeMap<>();
        if (policy != null) {
            def.putAll(policy.definition());
        }
        if (operator != null) {
            operator.definition().forEach((k, v) -> def.merge(k, v, EffectivePolicy::lower));
        }
        return def;
    }

    /**
     * The x-arguments a queue behaves by: its own, with the definition's keys merged in (see the
     * class comment).
     */
    static Map<String, Object> queueArguments(Map<String, Object> arguments, Map<String, Object> definition) {
        Map<String, Object> args = new HashMap<>(arguments);
        definition.forEach((key, value) -> {
            if (!QUEUE_KEYS.contains(key)) {
                return;
            }
            String arg = "x-" + key;
            Object own = args.get(arg);
            if (own == null) {
                args.put(arg, value);
            } else if (LOWEST_WINS.contains(key)) {
                args.put(arg, lower(own, value));
            }
        });
        return args;
    }

    /** The lower of two integers; an argument that is no integer leaves the policy's value in force. */
    private static Object lower(Object a, Object b) {
        if (!QueueArguments.isInteger(a)) {
            return b;
        }
        if (!QueueArguments.isInteger(b)) {
            return a;
        }
        return QueueArguments.asLong(a) <= QueueArguments.asLong(b) ? a : b;
    }
}
