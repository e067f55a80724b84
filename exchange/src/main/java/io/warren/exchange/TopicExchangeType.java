package io.warren.exchange;

/**
 * topic: binding keys are patterns over the dot-separated words of the routing key, {@code *}
 * matching exactly one word and {@code #} zero or more. Matching is done by a {@link TopicTrie}.
 */
public final class TopicExchangeType implements ExchangeType {

    public static final String NAME = "topic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BindingTable newTable(ExchangeDefinition definition) {
        return new TopicTrie();
    }
}
