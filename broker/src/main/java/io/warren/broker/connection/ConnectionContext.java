package io.warren.broker.connection;

import io.warren.broker.auth.UserRegistry;
import io.warren.broker.channel.ChannelServices;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.vhost.VirtualHosts;

/**
 * What an AMQP connection needs from the broker around it, handed down at wiring time: the
 * handshake's configuration, users and virtual hosts; the registry of live connections; the
 * memory alarm; counters; what its channels need in turn; who may connect (admission); the
 * disk alarm.
 */
public record ConnectionContext(BrokerConfig config, UserRegistry users, VirtualHosts vhosts,
                                Connections connections, MemoryAlarm memoryAlarm, BrokerCounters counters,
                                ChannelServices channelServices, ConnectionAdmission admission,
                                DiskAlarm diskAlarm) {
}
