package io.warren.broker.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A policy or an operator policy of one vhost, as RabbitMQ keeps it: a name, a regular
 * expression matched against queue and exchange names (anywhere in the name, as Erlang's
 * {@code re:run} does), what kinds of objects it applies to, a priority (the highest wins, one
 * policy per object) and its definition (keys such as {@code message-ttl}, already validated by
 * {@link PolicyRules}).
 */
public record Policy(String vhost, String name, String pattern, ApplyTo applyTo, Number priority,
                     Map<String, Object> definition, Pattern regex) {

    public Policy {
        definition = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(definition)); // sorted, as RabbitMQ shows it
    }

    /** Whether the policy applies to the named queue (of the given type). */
    boolean matchesQueue(String queue, boolean quorum) {
        return applyTo.queues(quorum) && regex.matcher(queue).find();
    }

    boolean matchesExchange(String exchange) {
        return applyTo.exchanges() && regex.matcher(exchange).find();
    }

    /** As the HTTP API and definitions show it: vhost, name, pattern, apply-to, definition, priority. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vhost", vhost);
        m.put("name", name);
        m.put("pattern", pattern);
        m.put("apply-to", applyTo.wire());
        m.put("definition", definition);
        m.put("priority", priority);
        return m;
    }

    /** What a policy is made of without its place: the value of RabbitMQ's runtime parameter. */
    public Map<String, Object> value() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pattern", pattern);
        m.put("definition", definition);
        m.put("priority", priority);
        m.put("apply-to", applyTo.wire());
        return m;
    }

    /** RabbitMQ's apply-to values (3.13: queue types as well as queues, exchanges and all). */
    public enum ApplyTo {
        ALL("all"), QUEUES("queues"), CLASSIC_QUEUES("classic_queues"), QUORUM_QUEUES("quorum_queues"),
        STREAMS("streams"), EXCHANGES("exchanges");

        private final String wire;

        ApplyTo(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The value of that wire name, or null. */
        public static ApplyTo of(String wire) {
            for (ApplyTo a : values()) {
                if (a.wire.equals(wire)) {
                    return a;
                }
            }
            return null;
        }

        /** Warren has classic and quorum queues, no streams: a streams policy matches nothing. */
        boolean queues(boolean quorum) {
            return switch (this) {
                case ALL, QUEUES -> true;
                case CLASSIC_QUEUES -> !quorum;
                case QUORUM_QUEUES -> quorum;
                case STREAMS, EXCHANGES -> false;
            };
        }

        boolean exchanges() {
            return this == ALL || this == EXCHANGES;
        }
    }
}
