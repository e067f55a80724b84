package io.warren.broker.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which policy keys Warren takes and what values, with RabbitMQ's refusals word for word
 * (rabbit_policies' validators, rabbit_policy's checks of pattern, priority and apply-to).
 *
 * <p>Only keys Warren applies are taken: a key RabbitMQ knows but Warren cannot honour
 * (mirroring's ha-*, max-priority which RabbitMQ never takes from a policy, stream settings,
 * federation) is refused as RabbitMQ refuses a key it does not know, never kept and ignored.
 * {@code queue-mode} is taken and does nothing, as in RabbitMQ 3.12 and later.
 */
public final class PolicyRules {

    /** The keys of a policy, in RabbitMQ's order. */
    static final Set<String> POLICY_KEYS = Set.of("alternate-exchange", "dead-letter-exchange",
            "dead-letter-routing-key", "message-ttl", "expires", "max-length", "max-length-bytes", "overflow",
            "delivery-limit", "queue-mode");
    /** An operator policy caps limits only. */
    static final Set<String> OPERATOR_KEYS = Set.of("expires", "message-ttl", "max-length", "max-length-bytes",
            "delivery-limit");
    private static final Set<String> OVERFLOW = Set.of("drop-head", "reject-publish", "reject-publish-dlx");
    private static final Set<String> QUEUE_MODES = Set.of("default", "lazy");

    private PolicyRules() {}

    /**
     * The policy a PUT (or a definitions file) describes, or the refusal RabbitMQ answers:
     * {@code [{key_missing,pattern}]}, or "Validation failed" with the first bad field.
     */
    public static Policy parse(String vhost, String name, Map<String, Object> body, boolean operator) {
        List<String> missing = new ArrayList<>();
        for (String k : List.of("pattern", "definition")) {
            if (body.get(k) == null) {
                missing.add("{key_missing," + k + "}");
            }
        }
        if (!missing.isEmpty()) {
            throw new PolicyException("[" + String.join(",", missing) + "]");
        }
        Object priority = body.get("priority") == null ? Long.valueOf(0) : body.get("priority");
        if (!(priority instanceof Number)) {
            throw PolicyException.validation("priority should be a number, actually was " + erlang(priority));
        }
        Object pattern = body.get("pattern");
        Pattern regex = regex(pattern);
        Object applyTo = body.get("apply-to") == null ? "all" : body.get("apply-to");
        Policy.ApplyTo to = applyTo instanceof String s ? Policy.ApplyTo.of(s) : null;
        if (to == null) {
            throw PolicyException.validation("apply-to '" + applyTo + "' unrecognised; should be one of: 'queues',"
                    + " 'classic_queues', 'quorum_queues', 'streams', 'exchanges', or 'all'");
        }
        Map<String, Object> definition = definition(body.get("definition"), operator);
        return new Policy(vhost, name, pattern.toString(), to, (Number) priority, definition, regex);
    }

    private static Pattern regex(Object pattern) {
        if (!(pattern instanceof String s)) {
            throw PolicyException.validation("pattern should be a string, actually was " + erlang(pattern));
        }
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw PolicyException.validation("pattern should be regular expression but is invalid: {\""
                    + e.getDescription() + "\"," + Math.max(0, e.getIndex()) + "}");
        }
    }

    private static Map<String, Object> definition(Object value, boolean operator) {
        if (!(value instanceof Map<?, ?> m)) {
            throw PolicyException.validation("definition must be a dictionary: " + erlang(value));
        }
        if (m.isEmpty()) {
            throw PolicyException.validation("no policy provided");
        }
        Map<String, Object> def = new LinkedHashMap<>();
        m.forEach((k, v) -> def.put(String.valueOf(k), v));
        Set<String> known = operator ? OPERATOR_KEYS : POLICY_KEYS;
        List<String> unknown = new ArrayList<>();
        def.forEach((k, v) -> {
            if (!known.contains(k)) {
                unknown.add("{" + erlang(k) + "," + erlang(v) + "}");
            }
        });
        if (!unknown.isEmpty()) {
            throw PolicyException.validation("[" + String.join(",", unknown) + "] are not recognised policy settings");
        }
        def.forEach(PolicyRules::check);
        return def;
    }

    private static void check(String key, Object v) {
        String problem = switch (key) {
            case "alternate-exchange" -> v instanceof String ? null : "is not a valid alternate exchange name";
            case "dead-letter-exchange" -> v instanceof String ? null : "is not a valid dead letter exchange name";
            case "dead-letter-routing-key" -> v instanceof String ? null : "is not a valid dead letter routing key";
            case "queue-mode" -> QUEUE_MODES.contains(v) ? null : "is not a valid queue-mode value";
            case "overflow" -> OVERFLOW.contains(v) ? null : "is not a valid overflow value";
            case "message-ttl" -> atLeast(v, 0) ? null : "is not a valid message TTL";
            case "expires" -> atLeast(v, 1) ? null : "is not a valid queue expiry";
            case "max-length" -> atLeast(v, 0) ? null : "is not a valid maximum length";
            case "max-length-bytes" -> atLeast(v, 0) ? null : "is not a valid maximum length in bytes";
            case "delivery-limit" -> atLeast(v, 0) ? null : "is not a valid delivery limit";
            default -> throw new IllegalStateException("unchecked policy key " + key);
        };
        if (problem != null) {
            throw PolicyException.validation(erlang(v) + " " + problem);
        }
    }

    /** An integer (JSON numbers without a fraction) of at least {@code min}. */
    private static boolean atLeast(Object v, long min) {
        return v instanceof Long l && l >= min || v instanceof Integer i && i >= min;
    }

    /** A JSON value as RabbitMQ's texts print it: the Erlang term it decodes to. */
    public static String erlang(Object v) {
        if (v instanceof String s) {
            return "<<\"" + s + "\">>";
        }
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(erlang(x)));
            return "[" + String.join(",", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add("{" + erlang(String.valueOf(k)) + "," + erlang(x) + "}"));
            return "[" + String.join(",", parts) + "]";
        }
        return String.valueOf(v);
    }
}
