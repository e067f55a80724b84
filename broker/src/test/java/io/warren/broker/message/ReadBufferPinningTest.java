package io.warren.broker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;

/**
 * A backlog of small messages does not pin Netty's pooled read buffers: each queued message's
 * header and body are copied out of the read buffer once, so the pooled memory in use after
 * 100,000 queued 16-byte messages is what the connections need, not every chunk their reads
 * landed in. (Before the copy, each message kept a slice of its read buffer alive.)
 */
class ReadBufferPinningTest {

    private static final int MESSAGES = 100_000;

    private static long pooledBytes() {
        ByteBufAllocatorMetric m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return m.usedDirectMemory() + m.usedHeapMemory();
    }

    @Test
    void aBacklogOfSmallMessagesDoesNotPinPooledReadBuffers() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().amqpPort(0).build())) {
            ConnectionFactory f = new ConnectionFactory();
            f.setPort(broker.amqpPort());
            long before;
            long heapBefore;
            try (Connection c = f.newConnection()) {
                Channel ch = c.createChannel();
                ch.queueDeclare("backlog", false, false, false, null);
                ch.confirmSelect();
                System.gc();
                before = pooledBytes();
                heapBefore = usedHeap();
                byte[] body = new byte[16];
                for (int i = 0; i < MESSAGES; i++) {
                    ch.basicPublish("", "backlog", null, body);
                    if (i % 5_000 == 4_999) {
                        ch.waitForConfirmsOrDie(10_000);
                    }
                }
                ch.waitForConfirmsOrDie(10_000);
                assertEquals(MESSAGES, ch.queueDeclarePassive("backlog").getMessageCount());
                System.gc();
                long pooled = pooledBytes() - before;
                long heap = usedHeap() - heapBefore;
                System.out.printf("%,d queued 16-byte messages: pooled buffers in use +%,d bytes (%.1f per message),"
                        + " heap +%,d bytes (%.0f per message)%n", MESSAGES, pooled, pooled / (double) MESSAGES, heap,
                        heap / (double) MESSAGES);
                assertTrue(pooled < 8L << 20, "the backlog pins " + pooled + " bytes of pooled buffers");
            }
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
