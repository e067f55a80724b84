package io.warren.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable backlog larger than a queue keeps in memory: recovered at start through the paging
 * thread (most of it paged out again), then handed back in publish order, by basic.get and by a
 * consumer, with every page-in coming back off the queue's loop.
 */
class PagedRecoveryTest {

    private static final int MESSAGES = 5_000;

    private static BrokerConfig config(Path dir) {
        return BrokerConfig.builder().ephemeral().dataDir(dir).queueMemory(100, Long.MAX_VALUE).build();
    }

    private static ConnectionFactory factory(Broker broker) {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(broker.amqpPort());
        return f;
    }

    @Test
    void aPagedDurableBacklogSurvivesARestartInPublishOrder(@TempDir Path dir) throws Exception {
        try (Broker broker = Broker.start(config(dir)); Connection c = factory(broker).newConnection()) {
            Channel ch = c.createChannel();
            ch.queueDeclare("paged", true, false, false, null);
            ch.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                ch.basicPublish("", "paged", MessageProperties.PERSISTENT_BASIC,
                        ByteBuffer.allocate(4).putInt(i).array());
            }
            ch.waitForConfirmsOrDie(30_000);
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive("paged");
            assertEquals(MESSAGES, ok.getMessageCount());
            assertTrue(broker.vhosts().find("/").queue("paged").pagedOutCount() > 0, "the backlog was paged out");
        }
        try (Broker broker = Broker.start(config(dir)); Connection c = factory(broker).newConnection()) {
            Channel ch = c.createChannel();
            assertEquals(MESSAGES, ch.queueDeclarePassive("paged").getMessageCount());
            int next = 0;
            for (; next < MESSAGES / 2; next++) { // basic.get goes through page-ins too
                GetResponse r = ch.basicGet("paged", true);
                assertNotNull(r, "get " + next);
                assertEquals(next, ByteBuffer.wrap(r.getBody()).getInt());
            }
            Channel consumer = c.createChannel();
            java.util.concurrent.BlockingQueue<Integer> got = new java.util.concurrent.LinkedBlockingQueue<>();
            consumer.basicConsume("paged", true, (tag, d) -> got.add(ByteBuffer.wrap(d.getBody()).getInt()),
                    tag -> { });
            for (; next < MESSAGES; next++) {
                Integer v = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                assertNotNull(v, "delivery " + next);
                assertEquals(next, v);
            }
        }
    }
}
