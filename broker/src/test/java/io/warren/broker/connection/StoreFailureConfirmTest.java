package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish the store could not write is never confirmed: with the store's file failing under
 * it (as on a full disk or an I/O error: the MVStore closed abruptly, so its next commit throws),
 * every later persistent publish to a durable queue is nacked or its channel or connection
 * closes; none is acked.
 */
class StoreFailureConfirmTest {

    @TempDir
    Path dataDir;

    @Test
    void aPublishThatCouldNotBeWrittenIsNotAcked() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().dataDir(dataDir).build())) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("localhost");
            f.setPort(broker.amqpPort());
            try (Connection connection = f.newConnection()) {
                Channel ch = connection.createChannel();
                ch.queueDeclare("store-failure", true, false, false, null);
                ch.confirmSelect();
                ch.basicPublish("", "store-failure", MessageProperties.PERSISTENT_BASIC, new byte[16]);
                assertTrue(ch.waitForConfirms(10_000), "a publish before the failure is acked");

                ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
                ConcurrentSkipListSet<Long> nacked = new ConcurrentSkipListSet<>();
                long first = ch.getNextPublishSeqNo();
                ch.addConfirmListener(new ConfirmListener() {
                    @Override
                    public void handleAck(long tag, boolean multiple) {
                        record(acked, tag, multiple, first);
                    }

                    @Override
                    public void handleNack(long tag, boolean multiple) {
                        record(nacked, tag, multiple, first);
                    }
                });
                failTheDisk(broker);
                int n = 50;
                for (int i = 0; i < n; i++) {
                    ch.basicPublish("", "store-failure", MessageProperties.PERSISTENT_BASIC, new byte[16]);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (nacked.size() + acked.size() < n && ch.isOpen() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                System.out.printf("store failed: %d of %d publishes nacked, %d acked, channel %s%n",
                        nacked.size(), n, acked.size(), ch.isOpen() ? "open" : "closed: " + ch.getCloseReason());
                assertTrue(acked.isEmpty(), "publishes the store could not write were acked: " + acked);
                assertTrue(nacked.size() == n || !ch.isOpen(), "neither nacked nor closed: " + nacked.size() + " of " + n);
            }
        }
    }

    private static void record(ConcurrentSkipListSet<Long> into, long tag, boolean multiple, long first) {
        if (multiple) {
            for (long t = first; t <= tag; t++) {
                into.add(t);
            }
        } else {
            into.add(tag);
        }
    }

    /** Closes the store's MVStore under it: its writer's next commit fails, as on a disk error. */
    private static void failTheDisk(Broker broker) throws Exception {
        Object store = broker.persistence().store();
        Field maps = store.getClass().getDeclaredField("maps");
        maps.setAccessible(true);
        Object storeMaps = maps.get(store);
        Field mv = storeMaps.getClass().getDeclaredField("store");
        mv.setAccessible(true);
        ((MVStore) mv.get(storeMaps)).closeImmediately();
    }
}
