package io.warren.broker.http;

import io.warren.broker.metrics.BrokerCounters;
import java.util.function.ToLongFunction;

/**
 * The counts of RabbitMQ's {@code message_stats} and {@code churn_rates} that Warren's
 * broker-wide counters give, under RabbitMQ's names (queue churn is not counted here and left
 * out). deliver_get is its sum of deliveries to consumers and answered
 * basic.gets; deliver_no_ack is left out: the counters do not tell consumer deliveries with and
 * without acknowledgement apart, and splitting them would add work to the delivery path.
 */
enum MessageStat {
    PUBLISH("publish", c -> c.received.sum()),
    CONFIRM("confirm", c -> c.confirmed.sum()),
    DELIVER("deliver", c -> c.delivered.sum()),
    GET("get", c -> c.deliveredGet.sum()),
    GET_NO_ACK("get_no_ack", c -> c.deliveredGetAutoAck.sum()),
    GET_EMPTY("get_empty", c -> c.getEmpty.sum()),
    DELIVER_GET("deliver_get", c -> c.delivered.sum() + c.deliveredGet.sum() + c.deliveredGetAutoAck.sum()),
    ACK("ack", c -> c.acknowledged.sum()),
    REDELIVER("redeliver", c -> c.redelivered.sum()),
    RETURN_UNROUTABLE("return_unroutable", c -> c.unroutableReturned.sum()),
    DROP_UNROUTABLE("drop_unroutable", c -> c.unroutableDropped.sum()),
    CONNECTION_CREATED("connection_created", c -> c.connectionsOpened.sum(), true),
    CONNECTION_CLOSED("connection_closed", c -> c.connectionsClosed.sum(), true),
    CHANNEL_CREATED("channel_created", c -> c.channelsOpened.sum(), true),
    CHANNEL_CLOSED("channel_closed", c -> c.channelsClosed.sum(), true);

    static final MessageStat[] ALL = values();

    final String field;
    /** A churn rate (connections, channels) rather than a message stat. */
    final boolean churn;
    private final ToLongFunction<BrokerCounters> read;

    MessageStat(String field, ToLongFunction<BrokerCounters> read) {
        this(field, read, false);
    }

    MessageStat(String field, ToLongFunction<BrokerCounters> read, boolean churn) {
        this.field = field;
        this.read = read;
        this.churn = churn;
    }

    long read(BrokerCounters counters) {
        return read.applyAsLong(counters);
    }
}
