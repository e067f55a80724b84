package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.warren.compat.CollectingConsumer.Received;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pika, Python's RabbitMQ client (Debian's python3-pika for /usr/bin/python3), talking to the
 * same broker as the Java client: RabbitMQ's "Hello World" receiver gets what Java publishes, and
 * a pika publisher with confirms reaches a Java consumer.
 */
class PikaTest extends CompatTest {

    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void pikaIsInstalled() {
        ExternalClient.assumeInstalled(ExternalClient.succeeds(PYTHON, "-c", "import pika"),
                PYTHON + " cannot import pika (apt-get install python3-pika)");
    }

    private static String port() {
        return String.valueOf(BrokerUnderTest.port());
    }

    @Test
    void helloWorldReceiverGetsWhatJavaPublishes() throws Exception {
        Channel ch = channel();
        // Declared exactly as the tutorial declares it; emptied of any earlier run's leftovers.
        ch.queueDeclare("hello", false, false, false, null);
        ch.queuePurge("hello");
        String run = name("run");
        // Some before the receiver starts (a backlog), the rest while it consumes.
        publishConfirmed(ch, "", "hello", run + " 0", run + " 1", run + " 2");
        try (ExternalClient receiver = ExternalClient.start(PYTHON, "python/receive.py", port(), "6")) {
            assertEquals(" [*] Waiting for messages.", receiver.nextLine());
            eventually("pika consuming from 'hello'", () -> ch.queueDeclarePassive("hello").getConsumerCount() == 1);
            publishConfirmed(ch, "", "hello", run + " 3", run + " 4", run + " 5");
            for (int i = 0; i < 6; i++) {
                assertEquals(" [x] Received " + run + " " + i, receiver.nextLine());
            }
            receiver.assertSucceeds();
        }
        assertEquals(0, ch.queueDeclarePassive("hello").getMessageCount());
        ch.queueDelete("hello");
    }

    /** Tutorial two: a persistent message to a durable queue, no confirms, then the connection closes. */
    @Test
    void workQueuesSenderStoresAPersistentMessageInADurableQueue() throws Exception {
        String q = queueName("task-queue");
        try (ExternalClient sender = ExternalClient.start(PYTHON, "python/tutorials/new_task.py", port(), q, "First", "message.")) {
            assertEquals(" [x] Sent First message.", sender.nextLine());
            sender.assertSucceeds();
        }
        Channel ch = channel();
        eventually("the task in " + q, () -> messageCount(q) == 1);
        GetResponse task = get(ch, q, true);
        assertEquals("First message.", text(task.getBody()));
        assertEquals(2, task.getProps().getDeliveryMode());
    }

    @Test
    void pikaPublisherWithConfirmsReachesAJavaConsumer() throws Exception {
        Channel ch = channel();
        String q = queueName("from-pika");
        ch.queueDeclare(q, false, false, false, null);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, false, consumer);
        try (ExternalClient publisher = ExternalClient.start(PYTHON, "python/publish_confirmed.py", port(), q, "20")) {
            for (int i = 0; i < 20; i++) {
                assertEquals("confirmed " + i, publisher.nextLine());
            }
            assertEquals("returned unroutable", publisher.nextLine());
            assertEquals("done", publisher.nextLine());
            publisher.assertSucceeds();
        }
        for (int i = 0; i < 20; i++) {
            Received r = consumer.next();
            assertEquals("pika " + i, r.text());
            assertEquals("text/plain", r.properties().getContentType());
            assertEquals(2, r.properties().getDeliveryMode());
            assertEquals("id-" + i, r.properties().getMessageId());
            assertEquals(i, ((Number) r.properties().getHeaders().get("n")).intValue());
            ch.basicAck(r.tag(), false);
        }
        assertTrue(consumer.poll(0) == null);
    }
}
