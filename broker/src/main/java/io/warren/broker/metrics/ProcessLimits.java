package io.warren.broker.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's file descriptors, open and allowed, as the JVM reads them from the OS. */
final class ProcessLimits {

    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private ProcessLimits() {}

    /** Open file descriptors, or -1 where the OS does not say (not Unix). */
    static long openFds() {
        return OS instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }

    /** The file descriptor limit (ulimit -n), or -1 where the OS does not say. */
    static long maxFds() {
        return OS instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
