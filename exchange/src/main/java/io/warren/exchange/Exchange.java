package io.warren.exchange;

import java.util.Map;

/**
 * An exchange of a {@link Topology}: its definition, and the bindings it is the source of,
 * organised by its type for routing.
 *
 * <p>Concurrency: everything routing reads is final ({@link #table}, the id) or volatile
 * ({@link #alternate}, {@link #deleted}); the table is itself safe for concurrent reads. A policy
 * (the broker's) sets {@link #policy} from another thread. The edge lists
 * and counts are the topology's indexes, touched only under its lock.
 */
public final class Exchange {

    private final ExchangeDefinition definition;
    private final ExchangeType exchangeType;
    final BindingTable table;
    /**
     * Name of the alternate exchange in effect, or null; resolved at route time, as it may come
     * later. The argument's, else the policy's: RabbitMQ lets an exchange's own argument win.
     * Read only when a message matched nothing, so its volatility costs routing nothing.
     */
    volatile String alternate;
    /** The policy applied to this exchange (null: none). */
    private volatile String policyName;
    final int id;
    volatile boolean deleted;

    /** Bindings this exchange is the source of, through {@link Edge#nextOut}. Lock only. */
    Edge firstOut;
    Edge lastOut;
    int outCount;
    /** Exchange-to-exchange bindings to this exchange, through {@link Edge#nextIn}. Lock only. */
    Edge firstIn;

    Exchange(ExchangeDefinition definition, ExchangeType exchangeType, int id) {
        this.definition = definition;
        this.exchangeType = exchangeType;
        this.table = exchangeType.newTable(definition);
        this.alternate = definition.alternateExchange();
        this.id = id;
    }

    public String name() {
        return definition.name();
    }

    /** The wire name of the type. */
    public String type() {
        return definition.type();
    }

    public ExchangeType exchangeType() {
        return exchangeType;
    }

    /** The definition it was declared with, for the broker's equivalence check. */
    public ExchangeDefinition definition() {
        return definition;
    }

    public boolean durable() {
        return definition.durable();
    }

    public boolean autoDelete() {
        return definition.autoDelete();
    }

    /** Internal exchanges take no publishes from clients (the broker answers 403). */
    public boolean internal() {
        return definition.internal();
    }

    public Map<String, Object> arguments() {
        return definition.arguments();
    }

    /** The alternate exchange's name in effect (the argument's, else the policy's), or null. */
    public String alternateExchange() {
        return alternate;
    }

    /**
     * Applies a policy: its name (null: none) and the alternate exchange it names (null: none),
     * which takes effect unless the exchange's own alternate-exchange argument names one.
     */
    public void policy(String name, String policyAlternate) {
        String own = definition.alternateExchange();
        this.policyName = name;
        this.alternate = own != null ? own : policyAlternate;
    }

    /** The name of the policy applied to this exchange, or null. */
    public String policyName() {
        return policyName;
    }

    /** Whether this is the default exchange "", whose bindings are the queues themselves. */
    public boolean isDefault() {
        return definition.name().isEmpty();
    }

    /** Whether the exchange has been deleted from its topology. */
    public boolean isDeleted() {
        return deleted;
    }

    @Override
    public String toString() {
        return "Exchange[" + definition.name() + ", " + definition.type() + "]";
    }
}
