package io.warren.broker.queue;

import java.util.Map;

/**
 * Which policy and operator policy apply to a queue (null: none) and the definition they make
 * together, as the HTTP API shows them ({@code policy}, {@code operator_policy},
 * {@code effective_policy_definition}).
 */
public record AppliedPolicy(String policy, String operatorPolicy, Map<String, Object> definition) {

    public static final AppliedPolicy NONE = new AppliedPolicy(null, null, Map.of());

    public AppliedPolicy {
        definition = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(definition)); // keys in order, as RabbitMQ shows them
    }
}
