package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the compatibility tests that must see Warren as users run it, with a disk store: the
 * suite's shared broker is {@code ephemeral()} (nothing on disk), and there persistent messages
 * for durable queues never reach the store, so the bugs of that path stay invisible. On Warren
 * each subclass gets its own broker on a temporary data directory; against RabbitMQ nothing
 * changes.
 */
public abstract class DiskStoreCompatTest extends CompatTest {

    @TempDir
    static Path dataDir;

    /** Warren with a disk store, or null when the suite runs against RabbitMQ. */
    private static Broker diskWarren;

    @BeforeAll
    static void warrenWithADiskStore() {
        if (BrokerUnderTest.isWarren()) {
            diskWarren = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().dataDir(dataDir)
                    .heartbeatSeconds(60).ioThreads(2));
            assertNotNull(diskWarren.persistence(), "this broker must keep durable messages on disk");
        }
    }

    @AfterAll
    static void closeWarren() {
        if (diskWarren != null) {
            diskWarren.close();
            diskWarren = null;
        }
    }

    @Override
    protected ConnectionFactory factory() {
        ConnectionFactory f = super.factory();
        if (diskWarren != null) {
            f.setPort(diskWarren.amqpPort());
        }
        return f;
    }

    /** The AMQP port of the broker under test, for clients in other languages. */
    protected static int port() {
        return diskWarren != null ? diskWarren.amqpPort() : BrokerUnderTest.port();
    }
}
