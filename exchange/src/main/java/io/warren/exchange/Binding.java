package io.warren.exchange;

import java.util.Map;
import java.util.Objects;

/**
 * A binding as the protocol names it: from a source exchange to a queue or an exchange, with a
 * routing key and arguments. All five components make up its identity, as in RabbitMQ: the same
 * key with different arguments is a different binding.
 *
 * <p>The arguments are copied into an unmodifiable, insertion-ordered map; values are the codec's
 * and are compared with {@code equals()}.
 */
public record Binding(String source, DestinationKind kind, String destination, String routingKey,
                      Map<String, Object> arguments) {

    public Binding {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(routingKey, "routingKey");
        arguments = Arguments.freeze(arguments);
    }

    /** A binding from an exchange to a queue, without arguments. */
    public static Binding toQueue(String source, String queue, String routingKey) {
        return new Binding(source, DestinationKind.QUEUE, queue, routingKey, Map.of());
    }

    /** A binding from an exchange to another exchange, without arguments. */
    public static Binding toExchange(String source, String destination, String routingKey) {
        return new Binding(source, DestinationKind.EXCHANGE, destination, routingKey, Map.of());
    }

    /** This binding with other arguments. */
    public Binding withArguments(Map<String, Object> newArguments) {
        return new Binding(source, kind, destination, routingKey, newArguments);
    }
}
