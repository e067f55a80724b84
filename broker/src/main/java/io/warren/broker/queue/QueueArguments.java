package io.warren.broker.queue;

import io.warren.amqp.LongString;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The x-arguments RabbitMQ gives meaning to on queue.declare: which are checked for equivalence
 * on a second declare, how each is validated, and how to read them as numbers and strings.
 * Arguments RabbitMQ does not know are kept and ignored, as RabbitMQ does.
 */
public final class QueueArguments {

    /** Compared on redeclare (RabbitMQ's declare_args). */
    public static final List<String> EQUIVALENCE_KEYS = List.of(
            "x-expires", "x-message-ttl", "x-dead-letter-exchange", "x-dead-letter-routing-key",
            "x-max-length", "x-max-length-bytes", "x-max-priority", "x-overflow", "x-queue-mode",
            "x-single-active-consumer", "x-queue-type", "x-delivery-limit");

    private static final Set<String> OVERFLOW = Set.of("drop-head", "reject-publish", "reject-publish-dlx");
    private static final Set<String> QUEUE_MODES = Set.of("default", "lazy");
    private static final Set<String> QUEUE_TYPES = Set.of("classic", "quorum");
    private static final Set<String> DLX_STRATEGIES = Set.of("at-most-once", "at-least-once");
    /** The x-arguments each queue type of RabbitMQ 3.10 takes (its capabilities' queue_arguments). */
    private static final Set<String> CLASSIC_ARGS = Set.of("x-expires", "x-message-ttl", "x-dead-letter-exchange",
            "x-dead-letter-routing-key", "x-max-length", "x-max-length-bytes", "x-max-priority", "x-overflow",
            "x-queue-mode", "x-single-active-consumer", "x-queue-type", "x-queue-master-locator", "x-queue-version");
    private static final Set<String> QUORUM_ARGS = Set.of("x-expires", "x-message-ttl", "x-dead-letter-exchange",
            "x-dead-letter-routing-key", "x-dead-letter-strategy", "x-max-length", "x-max-length-bytes",
            "x-max-in-memory-length", "x-max-in-memory-bytes", "x-overflow", "x-single-active-consumer",
            "x-queue-type", "x-quorum-initial-group-size", "x-delivery-limit", "x-queue-leader-locator");
    private static final Set<String> STREAM_ARGS = Set.of("x-max-length-bytes", "x-queue-type", "x-max-age",
            "x-stream-max-segment-size-bytes", "x-initial-cluster-size", "x-queue-leader-locator");
    /**
     * Arguments some queue type takes: one of these that the declared type does not take is
     * refused ("invalid arg ... of queue type ..."); any other argument is kept and ignored.
     */
    private static final Set<String> KNOWN_ARGS = union(CLASSIC_ARGS, QUORUM_ARGS, STREAM_ARGS);
    /** RabbitMQ's largest TTL and expiry (rabbit_misc:check_expiry), in milliseconds. */
    private static final long MAX_EXPIRY = 4294967295L;

    private QueueArguments() {}

    /**
     * An unacceptable argument and RabbitMQ's reason as its reply text prints it, e.g.
     * {@code {value_negative,-1}} or {@code "expected integer, got longstr"}; {@code text} is the
     * whole explanation when RabbitMQ words this case differently (null otherwise).
     */
    public record Invalid(String key, String reason, String text) {
        Invalid(String key, String reason) {
            this(key, reason, null);
        }

        /** The explanation for queue {@code queue} in {@code vhost}, as RabbitMQ 3.10 words it. */
        public String explain(String queue, String vhost) {
            if (text != null) {
                return text.replace("{queue}", queue).replace("{vhost}", vhost);
            }
            return "invalid arg '" + key + "' for queue '" + queue + "' in vhost '" + vhost + "': " + reason;
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** Whether the arguments declare a quorum queue. */
    public static boolean isQuorum(Map<String, Object> args) {
        return "quorum".equals(stringArg(args, "x-queue-type"));
    }

    /** The queue type as the HTTP API and RabbitMQ's messages name it: "classic" or "quorum". */
    public static String queueType(Map<String, Object> args) {
        return isQuorum(args) ? "quorum" : "classic";
    }

    /**
     * RabbitMQ's refusal of a server-named (empty name) queue of a type that has none (quorum),
     * or null when the name may be generated.
     */
    public static String serverNamedRefusal(Map<String, Object> args) {
        return isQuorum(args) ? "Cannot declare a server-named queue for type rabbit_quorum_queue" : null;
    }

    /**
     * Null when the arguments of a new queue are acceptable; otherwise the first bad one, with
     * RabbitMQ 3.10's reason (rabbit_amqqueue's check_*_arg functions and rabbit_channel's DLX check).
     */
    public static Invalid validate(Map<String, Object> args) {
        Object dlx = args.get("x-dead-letter-exchange");
        if (dlx != null && !isString(dlx)) {
            // rabbit_channel checks the DLX before the queue's own checks, with its own wording.
            return new Invalid("x-dead-letter-exchange", null, "invalid type '" + amqpTypeName(dlx)
                    + "' for arg 'x-dead-letter-exchange' in queue '{queue}' in vhost '{vhost}'");
        }
        Object type = args.get("x-queue-type");
        if (type == null || isString(type) && QUEUE_TYPES.contains(type.toString())) {
            // RabbitMQ checks which arguments the queue's type takes before their values.
            boolean quorum = isQuorum(args);
            Set<String> takes = quorum ? QUORUM_ARGS : CLASSIC_ARGS;
            for (String key : args.keySet()) {
                if (KNOWN_ARGS.contains(key) && !takes.contains(key)) {
                    return new Invalid(key, null, "invalid arg '" + key + "' for queue '{queue}' in vhost '{vhost}'"
                            + " of queue type " + (quorum ? "rabbit_quorum_queue" : "rabbit_classic_queue"));
                }
            }
        }
        for (Map.Entry<String, Object> e : args.entrySet()) {
            Invalid invalid = validateOne(e.getKey(), e.getValue(), args);
            if (invalid != null) {
                return invalid;
            }
        }
        return null;
    }

    /**
     * As {@link #validate(Map)}, then what the queue's type requires of its properties: a quorum
     * queue is durable, neither exclusive nor auto-delete (RabbitMQ checks in that order:
     * auto-delete, exclusive, durable).
     */
    public static Invalid validate(QueueDefinition q) {
        Invalid invalid = validate(q.arguments());
        if (invalid != null || !isQuorum(q.arguments())) {
            return invalid;
        }
        String property = q.autoDelete() ? "auto-delete" : q.exclusive() ? "exclusive-owner"
                : !q.durable() ? "non-durable" : null;
        return property == null ? null : new Invalid(property, null,
                "invalid property '" + property + "' for queue '{queue}' in vhost '{vhost}'");
    }

    private static Invalid validateOne(String key, Object v, Map<String, Object> all) {
        String reason = switch (key) {
            case "x-expires" -> expiry(v, true);
            case "x-message-ttl" -> expiry(v, false);
            case "x-max-length", "x-max-length-bytes" -> nonNegative(v);
            case "x-max-priority" -> {
                String r = nonNegative(v);
                yield r == null && asLong(v) > 255 ? "{max_value_exceeded," + asLong(v) + "}" : r;
            }
            case "x-dead-letter-routing-key" -> !isString(v) ? unacceptable(v)
                    : all.containsKey("x-dead-letter-exchange") ? null : "routing_key_but_no_dlx_defined";
            case "x-overflow" -> !isString(v) ? unacceptable(v)
                    : OVERFLOW.contains(v.toString()) ? null : "invalid_overflow";
            case "x-queue-mode" -> !isString(v) ? unacceptable(v)
                    : QUEUE_MODES.contains(v.toString()) ? null : "\"unsupported queue mode '" + v + "'\"";
            case "x-queue-type" -> !isString(v) ? unacceptable(v)
                    : QUEUE_TYPES.contains(v.toString()) ? null : "\"unsupported queue type '" + v + "'\"";
            case "x-single-active-consumer" -> v instanceof Boolean ? null : unacceptable(v);
            case "x-max-in-memory-length", "x-max-in-memory-bytes" -> nonNegative(v);
            case "x-dead-letter-strategy" -> !isString(v) ? unacceptable(v)
                    : DLX_STRATEGIES.contains(v.toString()) ? null : "invalid_dlx_strategy";
            // x-delivery-limit: RabbitMQ 3.10 takes any value (see QueuePolicy for what it means).
            default -> null;
        };
        return reason == null ? null : new Invalid(key, reason);
    }

    private static String unacceptable(Object v) {
        return "{unacceptable_type," + amqpTypeName(v) + "}";
    }

    private static String integer(Object v) {
        return isInteger(v) ? null : "\"expected integer, got " + amqpTypeName(v) + "\"";
    }

    private static String nonNegative(Object v) {
        String r = integer(v);
        if (r != null) {
            return r;
        }
        long n = asLong(v);
        return n >= 0 ? null : "{value_negative," + n + "}";
    }

    /** x-expires (zero refused) and x-message-ttl: non-negative integers up to RabbitMQ's timer limit. */
    private static String expiry(Object v, boolean positive) {
        String r = nonNegative(v);
        if (r != null) {
            return r;
        }
        long n = asLong(v);
        if (positive && n == 0) {
            return "{value_zero,0}";
        }
        return n > MAX_EXPIRY ? "{value_too_large," + n + "}" : null;
    }

    /** RabbitMQ compares integer arguments across integer types (5 as short equals 5 as long). */
    public static boolean equivalent(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isInteger(a) && isInteger(b)) {
            return asLong(a) == asLong(b);
        }
        if (isString(a) && isString(b)) {
            return a.toString().equals(b.toString());
        }
        return a.equals(b);
    }

    public static boolean isInteger(Object v) {
        return v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long
                || v instanceof io.warren.amqp.UnsignedByte || v instanceof io.warren.amqp.UnsignedShort
                || v instanceof io.warren.amqp.UnsignedInt;
    }

    public static long asLong(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof io.warren.amqp.UnsignedByte u) {
            return u.value();
        }
        if (v instanceof io.warren.amqp.UnsignedShort u) {
            return u.value();
        }
        if (v instanceof io.warren.amqp.UnsignedInt u) {
            return u.value();
        }
        throw new IllegalArgumentException("not an integer: " + v);
    }

    public static boolean isString(Object v) {
        return v instanceof LongString || v instanceof String;
    }

    /** An integer argument, or {@code fallback} when absent or not an integer. */
    public static long longArg(Map<String, Object> args, String key, long fallback) {
        Object v = args.get(key);
        return isInteger(v) ? asLong(v) : fallback;
    }

    /** A string argument, or null. */
    public static String stringArg(Map<String, Object> args, String key) {
        Object v = args.get(key);
        return isString(v) ? v.toString() : null;
    }

    /** The AMQP field type of a value, by RabbitMQ's names (signedint, longstr, bool...). */
    public static String amqpTypeName(Object v) {
        if (v == null) {
            return "void";
        }
        if (isString(v)) {
            return "longstr";
        }
        if (v instanceof Integer) {
            return "signedint";
        }
        if (v instanceof Long) {
            return "long";
        }
        if (v instanceof Short) {
            return "short";
        }
        if (v instanceof Byte) {
            return "byte";
        }
        if (v instanceof io.warren.amqp.UnsignedByte) {
            return "unsignedbyte";
        }
        if (v instanceof io.warren.amqp.UnsignedShort) {
            return "unsignedshort";
        }
        if (v instanceof io.warren.amqp.UnsignedInt) {
            return "unsignedint";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double) {
            return "double";
        }
        if (v instanceof Float) {
            return "float";
        }
        if (v instanceof java.math.BigDecimal) {
            return "decimal";
        }
        if (v instanceof java.util.Date || v instanceof java.time.Instant) {
            return "timestamp";
        }
        if (v instanceof Map) {
            return "table";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof io.warren.amqp.Binary) {
            return "binary";
        }
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
