package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.warren.broker.Broker;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the compatibility tests that must see Warren as users run it, with a disk store, so
 * that persistent messages for durable queues take the store's path. The suite's shared broker
 * has one (see {@link BrokerUnderTest}); this base only checks that it still does, so these
 * tests cannot silently go back to a broker that keeps nothing on disk. Against RabbitMQ nothing
 * changes.
 */
public abstract class DiskStoreCompatTest extends CompatTest {

    @BeforeAll
    static void warrenHasADiskStore() {
        Broker warren = BrokerUnderTest.warren();
        if (warren != null) {
            assertNotNull(warren.persistence(), "this broker must keep durable messages on disk");
        }
    }

    /** The AMQP port of the broker under test, for clients in other languages. */
    protected static int port() {
        return BrokerUnderTest.port();
    }
}
