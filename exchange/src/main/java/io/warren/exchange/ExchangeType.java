package io.warren.exchange;

/**
 * An exchange type, registered in {@link ExchangeTypes} under its wire name. A type answers only
 * "which of this exchange's bindings match this message" (through its {@link BindingTable});
 * what applies to every type (the default exchange, alternate exchanges, exchange-to-exchange
 * bindings, de-duplication of queues) is done once, by the router. New types such as
 * {@code x-consistent-hash} plug in here without touching it.
 *
 * <p>Concurrency: implementations are shared by every exchange of the type and must be
 * stateless or thread-safe.
 */
public interface ExchangeType {

    /** The wire name, as exchange.declare carries it. */
    String name();

    /** A new, empty table for an exchange of this type. */
    BindingTable newTable(ExchangeDefinition definition);

    /** Refuses an exchange definition by throwing {@link IllegalArgumentException}. */
    default void validate(ExchangeDefinition definition) {
    }

    /** Refuses a binding from an exchange of this type by throwing {@link InvalidBindingException}. */
    default void validateBinding(Binding binding) {
    }
}
