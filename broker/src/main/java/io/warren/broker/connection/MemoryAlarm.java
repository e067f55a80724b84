package io.warren.broker.connection;

import io.warren.broker.queue.MemoryPressure;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * RabbitMQ's memory alarm: when the heap that survives garbage collection passes the high
 * watermark (a fraction of the maximum heap), publishing connections are blocked — their socket
 * is no longer read, and clients that asked for it are told with connection.blocked — until it
 * falls back below. Queues page their backlog to disk, so what can still fill the heap is
 * unacknowledged deliveries and messages in flight; the alarm keeps that from ending in an
 * OutOfMemoryError.
 *
 * <p>Before that, at half the watermark (RabbitMQ's default paging ratio), it raises
 * {@link MemoryPressure}: queues then page their backlog out instead of keeping it in memory,
 * so that many queues, each within its own limits, do not add up to the alarm.
 *
 * <p>Reads the heap pools' usage after their last collection (live data, not garbage) every
 * half second, on a broker loop.
 *
 * <p>Concurrency: {@link #check()} runs on one thread; {@link #raised()} is read anywhere.
 */
public final class MemoryAlarm {

    private static final Logger LOG = Logger.getLogger(MemoryAlarm.class.getName());

    /** RabbitMQ's vm_memory_high_watermark_paging_ratio default */
    static final double PAGING_RATIO = 0.5;

    private final double highWatermark;
    private final MemoryPressure pressure;
    private final List<MemoryPoolMXBean> heapPools;
    private final Consumer<Boolean> onChange;
    private volatile boolean raised;

    public MemoryAlarm(double highWatermark, MemoryPressure pressure, Consumer<Boolean> onChange) {
        this.highWatermark = highWatermark;
        this.pressure = pressure;
        this.onChange = onChange;
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .toList();
    }

    public boolean raised() {
        return raised;
    }

    /** Live heap after the last collections, as a fraction of the maximum heap. */
    public double liveFraction() {
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage after = pool.getCollectionUsage();
            if (after != null) {
                used += after.getUsed();
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        return max <= 0 ? 0 : (double) used / max;
    }

    public void check() {
        double fraction = liveFraction();
        boolean paging = fraction > highWatermark * PAGING_RATIO;
        if (paging != pressure.high()) {
            pressure.set(paging);
            LOG.info(String.format(paging
                    ? "live heap at %.0f%% of max, above half the watermark: queues page their backlog to disk"
                    : "live heap at %.0f%% of max: queues keep their backlog in memory again", fraction * 100));
        }
        boolean over = fraction > highWatermark;
        if (over != raised) {
            raised = over;
            LOG.warning(over
                    ? String.format("memory alarm: live heap at %.0f%% of max, above the %.0f%% watermark;"
                            + " blocking publishers", fraction * 100, highWatermark * 100)
                    : String.format("memory alarm cleared: live heap at %.0f%% of max", fraction * 100));
            onChange.accept(over);
        }
    }
}
