package io.warren.broker.http;

import io.netty.channel.EventLoopGroup;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.connection.Connections;
import io.warren.broker.connection.DiskAlarm;
import io.warren.broker.connection.MemoryAlarm;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.vhost.VirtualHosts;
import java.util.function.LongSupplier;

/**
 * What the management API reads and changes, handed down at wiring time instead of the broker
 * itself.
 *
 * @param persistence null when nothing is kept on disk (--no-persistence)
 * @param ioLoops     the loops where AMQP connections and queues run (not the HTTP API's loop): a
 *                    queue the API declares is owned by one of them, and the node health check
 *                    asks each of them
 * @param messageIds  the broker's message ids (see MessageIds), for messages the API publishes
 * @param diskAlarm   the free-disk alarm, for the health check
 * @param admin       changes to users, vhosts, permissions and limits
 */
public record ApiContext(VirtualHosts vhosts, UserRegistry users, Connections connections, BrokerCounters counters,
                         Persistence persistence, MemoryAlarm memoryAlarm, EventLoopGroup ioLoops,
                         LongSupplier messageIds, DiskAlarm diskAlarm, Administration admin) {

    public long nextMessageId() {
        return messageIds.getAsLong();
    }
}
