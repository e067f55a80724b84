package io.warren.exchange;

/**
 * exchange.declare named a type no {@link ExchangeType} is registered for. The broker answers
 * 503 COMMAND_INVALID "unknown exchange type '...'".
 */
public final class UnknownExchangeTypeException extends IllegalArgumentException {

    private final String typeName;

    public UnknownExchangeTypeException(String typeName) {
        super("unknown exchange type '" + typeName + "'");
        this.typeName = typeName;
    }

    public String typeName() {
        return typeName;
    }
}
