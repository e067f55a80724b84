package io.warren.exchange;

import java.util.Map;
import java.util.Objects;

/**
 * An exchange as exchange.declare describes it. {@code type} is the wire name ("direct",
 * "topic", ...). The arguments are copied into an unmodifiable, insertion-ordered map.
 */
public record ExchangeDefinition(String name, String type, boolean durable, boolean autoDelete,
                                 boolean internal, Map<String, Object> arguments) {

    /** The argument naming the exchange that receives what this one cannot route. */
    public static final String ALTERNATE_EXCHANGE = "alternate-exchange";

    public ExchangeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        arguments = Arguments.freeze(arguments);
    }

    /** A durable, non-auto-delete, non-internal exchange without arguments. */
    public static ExchangeDefinition of(String name, String type) {
        return new ExchangeDefinition(name, type, true, false, false, Map.of());
    }

    /**
     * Whether a redeclaration asking for {@code requested} matches this definition, as RabbitMQ
     * decides before answering 406 PRECONDITION_FAILED: same type, durable, auto-delete and
     * internal flags, and the same alternate exchange (or none in both); other arguments are not
     * compared.
     */
    public boolean equivalentTo(ExchangeDefinition requested) {
        return type.equals(requested.type) && durable == requested.durable
                && autoDelete == requested.autoDelete && internal == requested.internal
                && Objects.equals(alternateExchange(), requested.alternateExchange())
                && arguments.containsKey(ALTERNATE_EXCHANGE)
                        == requested.arguments.containsKey(ALTERNATE_EXCHANGE);
    }

    /**
     * The alternate exchange's name, or null when the argument is absent or not a string (such
     * a value is ignored rather than refused).
     */
    public String alternateExchange() {
        return Arguments.text(arguments.get(ALTERNATE_EXCHANGE));
    }
}
