package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import io.warren.compat.CollectingConsumer.Received;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * amqplib, Node's AMQP 0-9-1 client (from the npm registry, pinned in src/test/node): publish
 * with confirms, consume, ack and nack, against the Java client on the other side.
 */
class AmqplibTest extends CompatTest {

    @BeforeAll
    static void amqplibIsInstalled() {
        ExternalClient.assumeInstalled(ExternalClient.succeeds("node", "--version"), "node is not installed");
        ExternalClient.assumeInstalled(Files.isDirectory(ExternalClient.SCRIPTS.resolve("node/node_modules/amqplib")),
                "amqplib is not installed (cd compat-tests/src/test/node && npm ci)");
    }

    private static String url() {
        return BrokerUnderTest.uri().toString();
    }

    @Test
    void amqplibPublisherWithConfirmsReachesAJavaConsumer() throws Exception {
        Channel ch = channel();
        String q = queueName("from-node");
        ch.queueDeclare(q, false, false, false, null);
        CollectingConsumer consumer = new CollectingConsumer(ch);
        ch.basicConsume(q, false, consumer);
        try (ExternalClient node = ExternalClient.start("node", "node/amqp.js", url(), "publish", q, "50")) {
            assertEquals("{\"event\":\"confirmed\",\"count\":50}", node.nextLine());
            assertEquals("{\"event\":\"done\"}", node.nextLine());
            node.assertSucceeds();
        }
        for (int i = 0; i < 50; i++) {
            Received r = consumer.next();
            assertEquals("node " + i, r.text());
            assertEquals("text/plain", r.properties().getContentType());
            assertEquals("node-" + i, r.properties().getMessageId());
            assertEquals(i, ((Number) r.properties().getHeaders().get("n")).intValue());
            ch.basicAck(r.tag(), false);
        }
    }

    private static final Pattern EVENT = Pattern.compile(
            "\\{\"event\":\"(\\w+)\",\"body\":\"([^\"]*)\",\"redelivered\":(true|false).*");

    @Test
    void amqplibConsumerAcksWhatJavaPublishesAndSeesItsNackRedelivered() throws Exception {
        Channel ch = channel();
        String q = queueName("to-node");
        ch.queueDeclare(q, false, false, false, null);
        String[] bodies = new String[30];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = "java " + i;
        }
        publishConfirmed(ch, "", q, bodies);
        List<String> received = new ArrayList<>();
        try (ExternalClient node = ExternalClient.start("node", "node/amqp.js", url(), "consume", q, "30")) {
            Matcher nacked = EVENT.matcher(node.nextLine());
            assertTrue(nacked.matches(), nacked::toString);
            assertEquals("nacked", nacked.group(1));
            assertEquals("java 0", nacked.group(2));
            assertEquals("false", nacked.group(3));
            for (int i = 0; i < 30; i++) {
                Matcher m = EVENT.matcher(node.nextLine());
                assertTrue(m.matches(), m::toString);
                assertEquals("received", m.group(1));
                // Only the nacked message comes back flagged; it returns once more, the others once.
                assertEquals(m.group(2).equals("java 0") ? "true" : "false", m.group(3), m.group(2));
                received.add(m.group(2));
            }
            assertEquals("{\"event\":\"done\"}", node.nextLine());
            node.assertSucceeds();
        }
        // Back in its original place, ahead of what was still in the queue: within the first
        // prefetch-window of deliveries (amqplib's prefetch is 10).
        assertTrue(received.indexOf("java 0") <= 10, received::toString);
        List<String> sorted = new ArrayList<>(received);
        sorted.sort(java.util.Comparator.comparingInt(b -> Integer.parseInt(b.substring(5))));
        assertEquals(List.of(bodies), sorted);
        // All acked: nothing came back when the node client closed.
        assertEquals(0, ch.queueDeclarePassive(q).getMessageCount());
        assertFalse(ch.basicGet(q, true) != null);
    }
}
