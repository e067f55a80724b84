package io.warren.broker.config;

import io.warren.broker.config.ConfigParser.ConfigException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RabbitMQ's disk_free_limit values: a number of bytes with its information units (kB, MB, GB
 * are powers of 1000; k, M, G, KiB, MiB, GiB powers of 1024), or {@code mem_relative:F}, F times
 * the machine's RAM (rabbitmqctl set_disk_free_limit mem_relative F; rabbitmq.conf's
 * disk_free_limit.relative).
 */
public final class DiskFreeLimit {

    private static final Pattern ABSOLUTE = Pattern.compile("([0-9]+)\\s*([kKmMgG]?)(i?)([bB]?)");
    private static final Pattern RELATIVE = Pattern.compile("mem_relative[:=\\s]\\s*([0-9]*\\.?[0-9]+)");

    private DiskFreeLimit() {}

    public static long parse(String value) {
        String v = value.trim();
        Matcher relative = RELATIVE.matcher(v);
        if (relative.matches()) {
            return (long) (Double.parseDouble(relative.group(1)) * totalMemory());
        }
        Matcher absolute = ABSOLUTE.matcher(v);
        if (!absolute.matches() || !absolute.group(3).isEmpty() && absolute.group(4).isEmpty()
                || absolute.group(2).isEmpty() && !absolute.group(4).isEmpty()) {
            throw new ConfigException("--disk-free-limit must be bytes (50000000, 50MB, 2GiB) or mem_relative:F,"
                    + " got '" + value + "'");
        }
        // "MB" is decimal; "M" and "MiB" are binary, as in RabbitMQ's parse_information_unit
        boolean decimal = absolute.group(3).isEmpty() && !absolute.group(4).isEmpty();
        int base = decimal ? 1000 : 1024;
        long unit = switch (absolute.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> base;
            case "m" -> (long) base * base;
            case "g" -> (long) base * base * base;
            default -> 1;
        };
        try {
            return Math.multiplyExact(Long.parseLong(absolute.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException("--disk-free-limit too large: '" + value + "'");
        }
    }

    /** Physical memory of the machine (what RabbitMQ's mem_relative multiplies). */
    static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
