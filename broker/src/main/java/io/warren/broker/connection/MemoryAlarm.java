package io.warren.broker.connection;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.warren.broker.queue.MemoryPressure;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * so that many queues, each within its own limits, do not add up to the alarm. Pressure also
 * counts Netty's direct memory: a message kept in memory holds a slice of the buffer its
 * publisher's bytes were read into, and a queue that gets one message out of every few hundred
 * read can keep whole read buffers alive for a few bytes each; paging copies the message out and
 * lets its buffer go. (The alarm itself stays on the heap alone: pooled direct memory is returned
 * lazily, and an alarm that outlives its cause would block publishers for nothing.)
 *
 * <p>Reads the heap pools' usage after their last collection (live data, not garbage) every
 * half second, on a broker loop.
 *
 * <p>Concurrency: {@link #check()} runs on one thread; {@link #raised()} is read anywhere.
 */
public final class MemoryAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryAlarm.class);

    /** RabbitMQ's vm_memory_high_watermark_paging_ratio default */
    static final double PAGING_RATIO = 0.5;

    private final double highWatermark;
    private final MemoryPressure pressure;
    private final DoubleSupplier heapFraction;
    private final DoubleSupplier directFraction;
    private final Consumer<Boolean> onChange;
    private volatile boolean raised;

    public MemoryAlarm(double highWatermark, MemoryPressure pressure, Consumer<Boolean> onChange) {
        this(highWatermark, pressure, onChange, liveHeapFraction(), MemoryAlarm::nettyDirectFraction);
    }

    MemoryAlarm(double highWatermark, MemoryPressure pressure, Consumer<Boolean> onChange,
            DoubleSupplier heapFraction, DoubleSupplier directFraction) {
        this.highWatermark = highWatermark;
        this.pressure = pressure;
        this.onChange = onChange;
        this.heapFraction = heapFraction;
        this.directFraction = directFraction;
    }

    public boolean raised() {
        return raised;
    }

    /** The live heap, in bytes, above which the alarm sets (the watermark times the maximum heap). */
    public long limitBytes() {
        return (long) (highWatermark * Runtime.getRuntime().maxMemory());
    }

    /** Live heap after the last collections, as a fraction of the maximum heap. */
    private static DoubleSupplier liveHeapFraction() {
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .toList();
        return () -> {
            long used = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                MemoryUsage after = pool.getCollectionUsage();
                if (after != null) {
                    used += after.getUsed();
                }
            }
            long max = Runtime.getRuntime().maxMemory();
            return max <= 0 ? 0 : (double) used / max;
        };
    }

    /** Direct memory held by Netty's default allocator, as a fraction of the direct memory limit. */
    private static double nettyDirectFraction() {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            long max = PlatformDependent.maxDirectMemory();
            long used = provider.metric().usedDirectMemory();
            return max <= 0 || used <= 0 ? 0 : (double) used / max;
        }
        return 0;
    }

    public void check() {
        double fraction = heapFraction.getAsDouble();
        double direct = directFraction.getAsDouble();
        boolean paging = Math.max(fraction, direct) > highWatermark * PAGING_RATIO;
        if (paging != pressure.high()) {
            pressure.set(paging);
            LOG.info(String.format(paging
                    ? "live heap at %.0f%%, direct memory at %.0f%% of max, one above half the watermark:"
                            + " queues page their backlog to disk"
                    : "live heap at %.0f%%, direct memory at %.0f%% of max: queues keep their backlog in"
                            + " memory again", fraction * 100, direct * 100));
        }
        boolean over = fraction > highWatermark;
        if (over != raised) {
            raised = over;
            // RabbitMQ's lines (vm_memory_monitor, rabbit_alarm); Warren's memory is the live heap
            long used = (long) (fraction * Runtime.getRuntime().maxMemory());
            LOG.info("vm_memory_high_watermark {}. Memory used:{} allowed:{}", over ? "set" : "clear", used,
                    limitBytes());
            LOG.warn(over
                    ? String.format("memory resource limit alarm set. Publishers will be blocked until this alarm"
                            + " clears (live heap at %.0f%% of max, above the %.0f%% watermark)", fraction * 100,
                            highWatermark * 100)
                    : String.format("memory resource limit alarm cleared (live heap at %.0f%% of max)",
                            fraction * 100));
            onChange.accept(over);
        }
    }
}
