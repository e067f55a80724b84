package io.warren.broker;

import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.Connections;
import io.warren.broker.connection.DiskAlarm;
import io.warren.broker.connection.MemoryAlarm;
import io.warren.broker.metrics.NodeState;
import io.warren.broker.net.ByteCounter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The node as the metrics see it: the alarms, their limits and the open connections. */
final class BrokerNodeState implements NodeState {

    private final Connections connections;
    private final MemoryAlarm memoryAlarm;
    private final DiskAlarm diskAlarm;
    private final int connectionMax;

    BrokerNodeState(Connections connections, MemoryAlarm memoryAlarm, DiskAlarm diskAlarm, int connectionMax) {
        this.connections = connections;
        this.memoryAlarm = memoryAlarm;
        this.diskAlarm = diskAlarm;
        this.connectionMax = connectionMax;
    }

    @Override
    public boolean memoryAlarm() {
        return memoryAlarm.raised();
    }

    @Override
    public boolean diskAlarm() {
        return diskAlarm.raised();
    }

    @Override
    public long memoryLimitBytes() {
        return memoryAlarm.limitBytes();
    }

    @Override
    public long diskFreeBytes() {
        return diskAlarm.lastFree();
    }

    @Override
    public long diskFreeLimitBytes() {
        return diskAlarm.limit();
    }

    @Override
    public int connectionLimit() {
        return connectionMax;
    }

    @Override
    public int connectionCount() {
        return connections.count();
    }

    @Override
    public Collection<ConnectionSample> connections() {
        List<ConnectionSample> out = new ArrayList<>();
        for (AmqpConnection c : connections.all()) {
            ByteCounter bytes = c.pipelineHandler(ByteCounter.class);
            out.add(new ConnectionSample(c.name(), c.channelCount(), bytes == null ? 0 : bytes.received(),
                    bytes == null ? 0 : bytes.sent()));
        }
        return out;
    }
}
