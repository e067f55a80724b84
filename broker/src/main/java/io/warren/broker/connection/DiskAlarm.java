package io.warren.broker.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's disk alarm: when the free space of the file system holding the data dir falls
 * below disk_free_limit, publishing connections are blocked exactly as by the
 * {@link MemoryAlarm} (connection.blocked "low on disk"), until it is back above. A publisher
 * stopped before the disk is full is a publisher whose messages are not lost when it is.
 *
 * <p>{@link #check()} runs periodically on a thread of its own, never on an event loop: asking a
 * file system for its free space may block (a network mount). The limit can be changed at run
 * time ({@link #setLimit}, as rabbitmqctl set_disk_free_limit).
 *
 * <p>Concurrency: {@link #check()} and {@link #setLimit} serialised here; {@link #raised()}
 * read anywhere.
 */
public final class DiskAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(DiskAlarm.class);

    private final LongSupplier freeBytes;
    private final String where;
    private final Consumer<Boolean> onChange;
    private volatile long limit;
    private volatile boolean raised;
    private volatile long lastFree = -1;
    private boolean failureLogged;

    public DiskAlarm(Path dir, long limit, Consumer<Boolean> onChange) {
        this(() -> usableSpace(dir), dir.toAbsolutePath().toString(), limit, onChange);
    }

    DiskAlarm(LongSupplier freeBytes, String where, long limit, Consumer<Boolean> onChange) {
        this.freeBytes = freeBytes;
        this.where = where;
        this.limit = limit;
        this.onChange = onChange;
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public boolean raised() {
        return raised;
    }

    public long limit() {
        return limit;
    }

    /** Free bytes at the last check; -1 before the first or when it could not be read. */
    public long lastFree() {
        return lastFree;
    }

    /** A new limit (rabbitmqctl set_disk_free_limit), checked at once. */
    public synchronized void setLimit(long bytes) {
        limit = bytes;
        LOG.info("disk free limit set to {} bytes", bytes);
        check();
    }

    public synchronized void check() {
        long free;
        try {
            free = freeBytes.getAsLong();
        } catch (RuntimeException e) {
            // RabbitMQ keeps the alarm as it was when it cannot read the free space
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("cannot read the free disk space of {}: {}", where, e.toString());
            }
            lastFree = -1;
            return;
        }
        failureLogged = false;
        lastFree = free;
        boolean below = free < limit;
        if (below != raised) {
            raised = below;
            // RabbitMQ's lines (rabbit_disk_monitor, rabbit_alarm), then where Warren looked
            if (below) {
                LOG.warn("Free disk space is insufficient. Free bytes: {}. Limit: {}", free, limit);
                LOG.warn("disk resource limit alarm set. Publishers will be blocked until this alarm clears"
                        + " (free disk space of {}, --disk-free-limit)", where);
            } else {
                LOG.info("Free disk space is sufficient. Free bytes: {}. Limit: {}", free, limit);
                LOG.warn("disk resource limit alarm cleared (free disk space of {})", where);
            }
            onChange.accept(below);
        }
    }
}
