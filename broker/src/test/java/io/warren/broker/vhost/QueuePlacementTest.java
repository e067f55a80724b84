package io.warren.broker.vhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queues are spread over the event loops (fewest queues first), not put on the declaring
 * connection's loop; exclusive queues stay on their connection's loop. Every queue operation that
 * answers with the queue's own state (declare-ok counts, basic.get, purge, delete) still works
 * from a connection on another loop.
 */
class QueuePlacementTest {

    private static final int LOOPS = 4;
    private static final int QUEUES = 4 * LOOPS;

    @TempDir
    Path dataDir;

    @Test
    void oneConnectionsQueuesLandOnEveryLoopEvenlyAndCarryTraffic() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().ioThreads(LOOPS).build());
             Connection c = factory(broker).newConnection()) {
            Channel ch = c.createChannel();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < QUEUES; i++) {
                names.add(ch.queueDeclare("placement-" + i, false, false, false, null).getQueue());
            }
            VirtualHost vhost = broker.vhosts().find("/");
            Map<EventExecutor, Integer> perLoop = new HashMap<>();
            for (String name : names) {
                perLoop.merge(vhost.queue(name).owner(), 1, Integer::sum);
            }
            List<EventExecutor> loops = new ArrayList<>();
            broker.ioLoops().forEach(loops::add);
            assertEquals(LOOPS, loops.size());
            for (EventExecutor loop : loops) {
                assertEquals(QUEUES / LOOPS, perLoop.getOrDefault(loop, 0), "queues per loop: " + perLoop.values());
                assertEquals(QUEUES / LOOPS, broker.queuePlacement().queuesOn(loop));
            }

            // traffic: publish to each and consume from this one connection, then get, redeclare,
            // purge and delete, which answer with the queue's own state from its loop
            for (String name : names) {
                ch.basicPublish("", name, null, name.getBytes(StandardCharsets.UTF_8));
            }
            CountDownLatch consumed = new CountDownLatch(names.size());
            Channel consumer = c.createChannel();
            for (String name : names) {
                consumer.basicConsume(name, true, (tag, d) -> {
                    assertEquals(name, new String(d.getBody(), StandardCharsets.UTF_8));
                    consumed.countDown();
                }, tag -> { });
            }
            assertTrue(consumed.await(10, TimeUnit.SECONDS), "not every queue delivered");
            consumer.close();
            for (String name : names) {
                AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(name);
                assertEquals(0, ok.getMessageCount(), name);
                assertEquals(0, ok.getConsumerCount(), name);
                ch.basicPublish("", name, null, name.getBytes(StandardCharsets.UTF_8));
                GetResponse got = ch.basicGet(name, true);
                assertNotNull(got, name);
                assertEquals(name, new String(got.getBody(), StandardCharsets.UTF_8));
                ch.basicPublish("", name, null, new byte[1]);
                ch.basicPublish("", name, null, new byte[1]);
                awaitCount(ch, name, 2);
                assertEquals(2, ch.queuePurge(name).getMessageCount(), name);
                ch.basicPublish("", name, null, new byte[1]);
                awaitCount(ch, name, 1);
                assertEquals(1, ch.queueDelete(name).getMessageCount(), name);
            }
            for (EventExecutor loop : loops) {
                assertEquals(0, broker.queuePlacement().queuesOn(loop), "a deleted queue still counts");
            }
        }
    }

    @Test
    void anExclusiveQueueStaysOnItsConnectionsLoop() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().ioThreads(LOOPS).build());
             Connection c = factory(broker).newConnection()) {
            Channel ch = c.createChannel();
            EventExecutor connectionLoop = broker.connections().all().iterator().next().eventLoop();
            VirtualHost vhost = broker.vhosts().find("/");
            for (int i = 0; i < LOOPS * 2; i++) {
                String name = ch.queueDeclare().getQueue(); // server-named, exclusive
                assertSame(connectionLoop, vhost.queue(name).owner(), name);
            }
        }
    }

    @Test
    void recoveredQueuesAreSpreadToo() throws Exception {
        BrokerConfig config = BrokerConfig.builder().ephemeral().dataDir(dataDir).ioThreads(LOOPS).build();
        try (Broker broker = Broker.start(config);
             Connection c = factory(broker).newConnection()) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            for (int i = 0; i < QUEUES; i++) {
                ch.queueDeclare("durable-placement-" + i, true, false, false, null);
                ch.basicPublish("", "durable-placement-" + i, MessageProperties.PERSISTENT_BASIC, new byte[] {(byte) i});
            }
            ch.waitForConfirmsOrDie(10_000);
        }
        try (Broker broker = Broker.start(config);
             Connection c = factory(broker).newConnection()) {
            List<EventExecutor> loops = new ArrayList<>();
            broker.ioLoops().forEach(loops::add);
            for (EventExecutor loop : loops) {
                assertEquals(QUEUES / LOOPS, broker.queuePlacement().queuesOn(loop));
            }
            Channel ch = c.createChannel();
            for (int i = 0; i < QUEUES; i++) {
                GetResponse got = ch.basicGet("durable-placement-" + i, true);
                assertNotNull(got, "durable-placement-" + i);
                assertEquals(i, got.getBody()[0]);
            }
        }
    }

    private static ConnectionFactory factory(Broker broker) {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(broker.amqpPort());
        return f;
    }

    /** Publishes reach a queue on another loop asynchronously: poll its count with a deadline. */
    private static void awaitCount(Channel ch, String queue, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int last;
        do {
            last = ch.queueDeclarePassive(queue).getMessageCount();
            if (last == count) {
                return;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(queue + ": " + last + " messages, expected " + count);
    }
}
