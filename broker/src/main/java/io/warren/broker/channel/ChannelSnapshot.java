package io.warren.broker.channel;

import io.warren.broker.queue.Consumer;
import java.util.List;

/**
 * What the management API shows of one channel ({@code /api/channels}, {@code /api/consumers}):
 * taken on the connection's loop, which owns the channel, then read by the HTTP loop.
 *
 * @param unconfirmed publishes not yet confirmed (confirm mode), RabbitMQ's messages_unconfirmed
 * @param uncommitted publishes held by an open transaction (messages_uncommitted)
 * @param acksUncommitted acks and rejects held by an open transaction
 * @param consumers the channel's consumers (immutable subscriptions, safe to read anywhere)
 */
public record ChannelSnapshot(int number, boolean open, int prefetchCount, int globalPrefetchCount,
                              boolean confirm, boolean transactional, int unacknowledged, long unconfirmed,
                              int uncommitted, int acksUncommitted, List<Consumer> consumers) {

    /** Filled by the channel's collaborators, each with what it owns. */
    static final class Builder {
        private final int number;
        boolean open;
        int prefetchCount;
        int globalPrefetchCount;
        boolean confirm;
        boolean transactional;
        int unacknowledged;
        long unconfirmed;
        int uncommitted;
        int acksUncommitted;
        List<Consumer> consumers = List.of();

        Builder(int number) {
            this.number = number;
        }

        ChannelSnapshot build() {
            return new ChannelSnapshot(number, open, prefetchCount, globalPrefetchCount, confirm, transactional,
                    unacknowledged, unconfirmed, uncommitted, acksUncommitted, consumers);
        }
    }
}
