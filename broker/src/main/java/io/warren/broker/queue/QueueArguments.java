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

    private QueueArguments() {}

    /** An unacceptable argument and RabbitMQ's reason, e.g. {@code {value_negative,-1}}. */
    public record Invalid(String key, String reason) {}

    /** Null when the arguments are acceptable. */
    public static Invalid validate(Map<String, Object> args) {
        for (Map.Entry<String, Object> e : args.entrySet()) {
            String reason = validateOne(e.getKey(), e.getValue(), args);
            if (reason != null) {
                return new Invalid(e.getKey(), reason);
            }
        }
        return null;
    }

    private static String validateOne(String key, Object v, Map<String, Object> all) {
        switch (key) {
            case "x-expires":
                return positive(v);
            case "x-message-ttl":
            case "x-max-length":
            case "x-max-length-bytes":
            case "x-delivery-limit":
                return nonNegative(v);
            case "x-max-priority":
                String r = nonNegative(v);
                if (r == null && asLong(v) > 255) {
                    return "{value_too_large," + asLong(v) + ",255}";
                }
                return r;
            case "x-dead-letter-exchange":
                return isString(v) ? null : "{unacceptable_type," + typeOf(v) + "}";
            case "x-dead-letter-routing-key":
                if (!isString(v)) {
                    return "{unacceptable_type," + typeOf(v) + "}";
                }
                return all.containsKey("x-dead-letter-exchange") ? null : "{missing_dlx,none}";
            case "x-overflow":
                return oneOf(v, OVERFLOW);
            case "x-queue-mode":
                return oneOf(v, QUEUE_MODES);
            case "x-queue-type":
                return oneOf(v, QUEUE_TYPES);
            case "x-single-active-consumer":
                return v instanceof Boolean ? null : "{unacceptable_type," + typeOf(v) + "}";
            default:
                return null;
        }
    }

    private static String positive(Object v) {
        if (!isInteger(v)) {
            return "{unacceptable_type," + typeOf(v) + "}";
        }
        long n = asLong(v);
        return n > 0 ? null : n == 0 ? "{value_zero,0}" : "{value_negative," + n + "}";
    }

    private static String nonNegative(Object v) {
        if (!isInteger(v)) {
            return "{unacceptable_type," + typeOf(v) + "}";
        }
        long n = asLong(v);
        return n >= 0 ? null : "{value_negative," + n + "}";
    }

    private static String oneOf(Object v, Set<String> allowed) {
        if (!isString(v)) {
            return "{unacceptable_type," + typeOf(v) + "}";
        }
        return allowed.contains(v.toString()) ? null : "{invalid_value," + v + "}";
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

    private static String typeOf(Object v) {
        if (v == null) {
            return "void";
        }
        if (isString(v)) {
            return "longstr";
        }
        return v.getClass().getSimpleName().toLowerCase();
    }
}
