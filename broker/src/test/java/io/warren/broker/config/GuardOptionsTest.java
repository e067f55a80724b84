package io.warren.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options that keep clients from knocking the broker over: defaults are RabbitMQ's. */
class GuardOptionsTest {

    @Test
    void defaults() {
        BrokerConfig c = ConfigParser.parse(new String[0], Map.of());
        assertEquals(10_000, c.handshakeTimeoutMillis());
        assertEquals(1000, c.maxUnauthenticatedConnections());
        assertEquals(0, c.connectionMax());
        assertEquals(50_000_000L, c.diskFreeLimitBytes());
    }

    @Test
    void flagsAndVariables() {
        BrokerConfig c = ConfigParser.parse(new String[] {"--handshake-timeout", "2500", "--connection-max=7",
                "--max-unauthenticated-connections", "0"}, Map.of("WARREN_DISK_FREE_LIMIT", "2GB"));
        assertEquals(2500, c.handshakeTimeoutMillis());
        assertEquals(7, c.connectionMax());
        assertEquals(0, c.maxUnauthenticatedConnections());
        assertEquals(2_000_000_000L, c.diskFreeLimitBytes());
    }

    /** RabbitMQ's information units: kB, MB, GB decimal; k, M, G, KiB, MiB, GiB binary. */
    @Test
    void diskFreeLimitUnits() {
        assertEquals(50_000_000L, DiskFreeLimit.parse("50000000"));
        assertEquals(50_000_000L, DiskFreeLimit.parse("50MB"));
        assertEquals(1000L, DiskFreeLimit.parse("1kB"));
        assertEquals(1024L, DiskFreeLimit.parse("1k"));
        assertEquals(3L << 20, DiskFreeLimit.parse("3MiB"));
        assertEquals(2L << 30, DiskFreeLimit.parse("2G"));
        assertEquals(2L << 30, DiskFreeLimit.parse("2GiB"));
        assertEquals((long) (1.5 * DiskFreeLimit.totalMemory()), DiskFreeLimit.parse("mem_relative:1.5"));
        for (String bad : new String[] {"", "lots", "5 TB", "-1", "1Mi", "99999999999999999999"}) {
            assertThrows(ConfigParser.ConfigException.class, () -> DiskFreeLimit.parse(bad), bad);
        }
    }
}
