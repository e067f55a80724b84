package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus values follow the traffic, as RabbitMQ's plugin reports it: the global counters
 * count each publish, confirm and get; the per-object queue series give the queue's ready,
 * unacknowledged and consumer counts; the detailed endpoint serves only the families asked for.
 * RabbitMQ refreshes its queue series every few seconds: the gauges are polled, not read once.
 */
class PrometheusMetricsTest extends CompatTest {

    private static final long DEADLINE_MS = 30_000;

    @Test
    void countersAndQueueGaugesFollowTheTraffic() throws Exception {
        Channel ch = channel();
        String q = queueName("prom");
        ch.queueDeclare(q, false, false, false, null);
        PrometheusScrape before = PrometheusScrape.get("/metrics");

        publishConfirmed(ch, "", q, "1", "2", "3", "4", "5");
        get(ch, q, true);
        get(ch, q, true);

        PrometheusScrape after = PrometheusScrape.get("/metrics");
        assertEquals(5, delta(before, after, "rabbitmq_global_messages_received_total"));
        assertEquals(5, delta(before, after, "rabbitmq_global_messages_received_confirm_total"));
        assertEquals(5, delta(before, after, "rabbitmq_global_messages_routed_total"));
        assertEquals(5, delta(before, after, "rabbitmq_global_messages_confirmed_total"));
        assertEquals(2, delta(before, after, "rabbitmq_global_messages_delivered_get_auto_ack_total"));
        assertEquals(1, delta(before, after, "rabbitmq_global_publishers"), "the publishing channel");
        awaitValue("/metrics", "rabbitmq_channel_messages_unconfirmed", 0);
        awaitQueue(q, 3, 0, 0);

        Channel consumer = channel();
        consumer.basicConsume(q, false, (tag, d) -> { }, tag -> { });
        awaitQueue(q, 0, 3, 1);
        PrometheusScrape consumed = PrometheusScrape.get("/metrics");
        assertEquals(3, delta(after, consumed, "rabbitmq_global_messages_delivered_consume_manual_ack_total"));
        assertEquals(3, delta(after, consumed, "rabbitmq_global_messages_delivered_total"));
    }

    @Test
    void detailedServesTheFamiliesAndVhostsAskedFor() throws Exception {
        Channel ch = channel();
        String q = queueName("detailed");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");

        awaitValue("/metrics/detailed?family=queue_coarse_metrics&vhost=%2F",
                "rabbitmq_detailed_queue_messages_ready", 2, "vhost", "/", "queue", q);
        PrometheusScrape coarse = PrometheusScrape.get("/metrics/detailed?family=queue_coarse_metrics&vhost=%2F");
        assertTrue(coarse.named("rabbitmq_queue_messages_ready").isEmpty(), "only the detailed families");
        assertTrue(coarse.named("rabbitmq_detailed_connections_opened_total").isEmpty(), "only the family asked for");
        assertEquals(1, coarse.named("rabbitmq_identity_info").size());

        PrometheusScrape churn = PrometheusScrape.get("/metrics/detailed?family=connection_churn_metrics");
        assertFalse(churn.named("rabbitmq_detailed_connections_opened_total").isEmpty(), churn.text);
        assertTrue(churn.named("rabbitmq_detailed_queue_messages_ready").isEmpty());

        PrometheusScrape otherVhost = PrometheusScrape.get(
                "/metrics/detailed?family=queue_coarse_metrics&vhost=" + name("no-such-vhost"));
        assertTrue(otherVhost.named("rabbitmq_detailed_queue_messages_ready").isEmpty(), otherVhost.text);
    }

    @Test
    void nackedPublishesLeaveNothingUnconfirmed() throws Exception {
        Channel ch = channel();
        String q = queueName("nacked");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        ch.confirmSelect();
        for (int i = 0; i < 3; i++) {
            ch.basicPublish("", q, null, new byte[] {(byte) i});
        }
        assertFalse(ch.waitForConfirms(TIMEOUT_SECONDS * 1000L), "the queue refused two: nacks");
        awaitValue("/metrics", "rabbitmq_channel_messages_unconfirmed", 0);
    }

    @Test
    void perObjectHasConnectionSeriesWithItsChannelsAndBytes() throws Exception {
        com.rabbitmq.client.Connection c = connect();
        c.createChannel();
        c.createChannel();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (true) {
            PrometheusScrape scrape = PrometheusScrape.get("/metrics/per-object");
            java.util.Optional<String> ours = scrape.named("rabbitmq_connection_channels").stream()
                    .filter(s -> s.value() == 2 && s.labels().containsKey("channel"))
                    .map(s -> s.labels().get("channel")).findFirst();
            // and its socket's bytes: the handshake at least, both ways
            if (ours.isPresent()
                    && scrape.value("rabbitmq_connection_incoming_bytes_total", "channel", ours.get()).orElse(0) > 0
                    && scrape.value("rabbitmq_connection_outgoing_bytes_total", "channel", ours.get()).orElse(0) > 0) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline,
                    "no connection with 2 channels and its bytes in /metrics/per-object");
            Thread.sleep(100);
        }
    }

    @Test
    void deadLetteringIsCountedByReason() throws Exception {
        Channel ch = channel();
        String dlx = exchangeName("dlx");
        String target = queueName("dead");
        String source = queueName("dying");
        ch.exchangeDeclare(dlx, "fanout");
        ch.queueDeclare(target, false, false, false, null);
        ch.queueBind(target, dlx, "");
        ch.queueDeclare(source, false, false, false, Map.of("x-dead-letter-exchange", dlx));
        String expired = "rabbitmq_global_messages_dead_lettered_expired_total";
        String rejected = "rabbitmq_global_messages_dead_lettered_rejected_total";
        PrometheusScrape before = PrometheusScrape.get("/metrics");

        publishConfirmed(ch, "", source, "r");
        ch.basicReject(get(ch, source, false).getEnvelope().getDeliveryTag(), false);
        ch.basicPublish("", source, new com.rabbitmq.client.AMQP.BasicProperties.Builder().expiration("0").build(),
                "e".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        eventually("both dead-lettered", () -> ch.queueDeclarePassive(target).getMessageCount() == 2);

        PrometheusScrape after = PrometheusScrape.get("/metrics");
        assertEquals(1, atMostOnce(after, expired) - atMostOnce(before, expired), expired);
        assertEquals(1, atMostOnce(after, rejected) - atMostOnce(before, rejected), rejected);
    }

    /** Classic queues dead-letter at most once; RabbitMQ splits the series by queue type too. */
    private static double atMostOnce(PrometheusScrape s, String name) {
        return s.value(name, "dead_letter_strategy", "at_most_once").orElse(0);
    }

    @Test
    void countersAreCountersAndAlarmsAreUntyped() throws Exception {
        PrometheusScrape scrape = PrometheusScrape.get("/metrics");
        for (String counter : new String[] {"rabbitmq_connections_opened_total", "rabbitmq_queues_created_total",
                "rabbitmq_channel_messages_published_total", "rabbitmq_global_messages_received_total"}) {
            assertEquals("counter", scrape.types.get(counter), counter);
        }
        for (String gauge : new String[] {"rabbitmq_queues", "rabbitmq_connections", "rabbitmq_queue_messages_ready",
                "rabbitmq_process_open_fds", "rabbitmq_disk_space_available_bytes"}) {
            assertEquals("gauge", scrape.types.get(gauge), gauge);
        }
        assertEquals("untyped", scrape.types.get("rabbitmq_alarms_memory_used_watermark"));
        assertEquals(0.0, scrape.value("rabbitmq_alarms_memory_used_watermark").orElseThrow());
        assertTrue(scrape.value("rabbitmq_global_messages_received_total", "protocol", "amqp091").isPresent());
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name) {
        return sum(after, name) - sum(before, name);
    }

    /** The family summed over its series (RabbitMQ splits some by queue type). */
    private static double sum(PrometheusScrape s, String name) {
        OptionalDouble v = s.value(name, "protocol", "amqp091");
        assertTrue(v.isPresent(), () -> name + " in\n" + s.text);
        return v.getAsDouble();
    }

    private static void awaitQueue(String q, double ready, double unacked, double consumers) throws Exception {
        awaitValue("/metrics/per-object", "rabbitmq_queue_messages_ready", ready, "queue", q);
        awaitValue("/metrics/per-object", "rabbitmq_queue_messages_unacked", unacked, "queue", q);
        awaitValue("/metrics/per-object", "rabbitmq_queue_consumers", consumers, "queue", q);
        awaitValue("/metrics/per-object", "rabbitmq_queue_messages", ready + unacked, "queue", q);
    }

    private static void awaitValue(String path, String name, double expected, String... labels) throws Exception {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        PrometheusScrape s;
        do {
            s = PrometheusScrape.get(path);
            OptionalDouble v = s.value(name, labels);
            if (v.isPresent() && v.getAsDouble() == expected) {
                return;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        OptionalDouble last = s.value(name, labels);
        throw new AssertionError(name + " " + String.join(",", labels) + ": expected " + expected + ", last "
                + (last.isPresent() ? last.getAsDouble() : "absent"));
    }
}
