package io.warren.broker.channel;

import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.routing.DirectReplyTo;
import java.util.function.LongSupplier;

/**
 * The broker-wide collaborators channels use, handed down at wiring time instead of the broker
 * itself.
 *
 * @param persistence   null when nothing is kept on disk (--no-persistence)
 * @param messageIds    the broker's message ids (see MessageIds)
 */
public record ChannelServices(Persistence persistence, BrokerCounters counters, DirectReplyTo directReplyTo,
                              LongSupplier messageIds) {

    public long nextMessageId() {
        return messageIds.getAsLong();
    }
}
