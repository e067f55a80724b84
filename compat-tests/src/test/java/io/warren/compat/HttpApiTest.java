package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management HTTP API as scripts and rabbitmqadmin use it: each operation does what it
 * says and only that, and answers RabbitMQ's status and error body. Runs against RabbitMQ too
 * when its API is given ({@code -Dwarren.compat.http=http://localhost:15673}).
 */
class HttpApiTest extends CompatTest {

    private ManagementApi api;

    @BeforeEach
    void api() {
        api = ManagementApi.underTest();
    }

    private static String queuePath(String queue) {
        return "/api/queues/%2F/" + ManagementApi.encode(queue);
    }

    private static String error(String error, String reason) {
        return "{\"error\":\"" + error + "\",\"reason\":\"" + reason + "\"}";
    }

    // ---- purge ------------------------------------------------------------------------------

    @Test
    void purgeDropsReadyMessagesButKeepsQueueBindingsAndConsumers() throws Exception {
        String q = queueName("http-purge");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, "amq.direct", q);
        publishConfirmed(ch, "", q, "a", "b", "c");
        Channel consumer = channel();
        consumer.basicQos(1);
        CollectingConsumer c = new CollectingConsumer(consumer);
        consumer.basicConsume(q, false, c);
        CollectingConsumer.Received first = c.next();

        ManagementApi.Response r = api.call("DELETE", queuePath(q) + "/contents", null);

        assertEquals(204, r.status(), r::toString);
        assertTrue(queueExists(q), "the purge deleted the queue");
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
        assertEquals(0, ok.getMessageCount(), "ready messages left after the purge");
        assertEquals(1, ok.getConsumerCount(), "the purge removed the consumer");
        // The unacked delivery is untouched, and the binding still routes.
        consumer.basicAck(first.envelope().getDeliveryTag(), false);
        publishConfirmed(ch, "amq.direct", q, "after");
        assertEquals("after", text(c.next().body()));
    }

    @Test
    void rabbitmqadminPurgeQueueKeepsTheQueue() throws Exception {
        String q = queueName("http-admin-purge");
        Channel ch = channel();
        ch.queueDeclare(q, true, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");

        ManagementApi.Admin out = api.rabbitmqadmin("purge", "queue", "name=" + q);

        assertEquals(0, out.exit(), out::output);
        assertTrue(out.output().contains("queue purged"), out::output);
        assertTrue(queueExists(q), "rabbitmqadmin purge deleted the queue");
        assertEquals(0, messageCount(q));
    }

    @Test
    void purgeOfAMissingQueueIs404() throws Exception {
        ManagementApi.Response r = api.call("DELETE", queuePath(name("http-none")) + "/contents", null);
        assertEquals(404, r.status(), r::toString);
        assertEquals(error("Object Not Found", "Not Found"), r.body());
    }

    // ---- delete ------------------------------------------------------------------------------

    @Test
    void deleteIfEmptyRefusesANonEmptyQueue() throws Exception {
        String q = queueName("http-if-empty");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a");

        ManagementApi.Response r = api.call("DELETE", queuePath(q) + "?if-empty=true", null);

        assertEquals(400, r.status(), r::toString);
        assertEquals(error("bad_request", "queue '" + q + "' in vhost '/' not empty"), r.body());
        assertTrue(queueExists(q));
        assertEquals(1, messageCount(q));
    }

    @Test
    void deleteIfUnusedRefusesAQueueWithConsumers() throws Exception {
        String q = queueName("http-if-unused");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        ch.basicConsume(q, true, new CollectingConsumer(ch));

        ManagementApi.Response r = api.call("DELETE", queuePath(q) + "?if-unused=true", null);

        assertEquals(400, r.status(), r::toString);
        assertEquals(error("bad_request", "queue '" + q + "' in vhost '/' in use"), r.body());
        assertTrue(queueExists(q));
    }

    @Test
    void deleteWithConditionsMetAndPlainDeleteRemoveTheQueue() throws Exception {
        String q1 = queueName("http-del1");
        String q2 = queueName("http-del2");
        Channel ch = channel();
        ch.queueDeclare(q1, false, false, false, null);
        ch.queueDeclare(q2, false, false, false, null);
        publishConfirmed(ch, "", q2, "a");

        assertEquals(204, api.call("DELETE", queuePath(q1) + "?if-empty=true&if-unused=true", null).status());
        ManagementApi.Admin out = api.rabbitmqadmin("delete", "queue", "name=" + q2);

        assertFalse(queueExists(q1));
        assertEquals(0, out.exit(), out::output);
        assertFalse(queueExists(q2));
        assertEquals(404, api.call("DELETE", queuePath(q1), null).status());
    }

    // ---- methods and paths that are not served ------------------------------------------------

    @Test
    void aMethodAPathDoesNotHaveIs405WithAllow() throws Exception {
        String q = queueName("http-405");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Response overview = api.call("POST", "/api/overview", "{}");
        ManagementApi.Response patch = api.call("PATCH", queuePath(q), "{}");
        ManagementApi.Response contents = api.call("GET", queuePath(q) + "/contents", null);

        assertEquals(405, overview.status(), overview::toString);
        assertTrue(overview.headers().firstValue("allow").orElse("").contains("GET"), overview.headers()::toString);
        assertFalse(overview.headers().firstValue("allow").orElse("").contains("POST"));
        assertEquals(405, patch.status(), patch::toString);
        assertTrue(patch.headers().firstValue("allow").orElse("").contains("DELETE"));
        assertEquals(405, contents.status(), contents::toString);
        assertTrue(queueExists(q));
    }

    @Test
    void aPlusInThePathIsAPlus() throws Exception {
        String q = queueName("http-a+b");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Response r = api.get("/api/queues/%2F/" + q);

        assertEquals(200, r.status(), r::toString);
        assertEquals(q, r.object().get("name"));
    }

    @Test
    void anUnknownPathIs404WithRabbitMqsError() throws Exception {
        ManagementApi.Response r = api.get("/api/no-such-thing");
        assertEquals(404, r.status());
        assertEquals(error("Object Not Found", "Not Found"), r.body());
    }

    // ---- declare, bind, publish, get -------------------------------------------------------------

    @Test
    void putDeclaresAQueueOnceAndRefusesADifferentOne() throws Exception {
        String q = queueName("http-put");

        ManagementApi.Response created = api.call("PUT", queuePath(q), "{\"durable\":false,\"arguments\":{\"x-max-length\":5}}");
        ManagementApi.Response again = api.call("PUT", queuePath(q), "{\"durable\":false,\"arguments\":{\"x-max-length\":5}}");
        ManagementApi.Response different = api.call("PUT", queuePath(q), "{\"durable\":true,\"arguments\":{\"x-max-length\":5}}");

        assertEquals(201, created.status(), created::toString);
        assertEquals(204, again.status(), again::toString);
        assertEquals(400, different.status(), different::toString);
        assertEquals(error("bad_request", "inequivalent arg 'durable' for queue '" + q
                + "' in vhost '/': received 'true' but current is 'false'"), different.body());
        Map<String, Object> shown = api.get(queuePath(q)).object();
        assertEquals(false, shown.get("durable"));
        assertEquals(5L, ((Map<?, ?>) shown.get("arguments")).get("x-max-length"));
        // Over AMQP it is the same queue: its x-max-length holds.
        Channel ch = channel();
        ch.queueDeclarePassive(q);
        publishConfirmed(ch, "", q, "1", "2", "3", "4", "5", "6");
        assertEquals(5, messageCount(q));
    }

    @Test
    void rabbitmqadminDeclaresQueueExchangeAndBinding() throws Exception {
        String q = queueName("http-admin-q");
        String x = exchangeName("http-admin-x");

        ManagementApi.Admin dq = api.rabbitmqadmin("declare", "queue", "name=" + q, "durable=false");
        ManagementApi.Admin dx = api.rabbitmqadmin("declare", "exchange", "name=" + x, "type=fanout",
                "durable=false");
        ManagementApi.Admin db = api.rabbitmqadmin("declare", "binding", "source=" + x, "destination=" + q,
                "routing_key=k");

        assertEquals(0, dq.exit(), dq::output);
        assertEquals(0, dx.exit(), dx::output);
        assertEquals(0, db.exit(), db::output);
        assertTrue(queueExists(q));
        assertTrue(exchangeExists(x));
        Channel ch = channel();
        publishConfirmed(ch, x, "anything", "routed");
        assertEquals(1, messageCount(q), "the binding rabbitmqadmin declared does not route");
        List<Map<String, Object>> bindings = api.get(queuePath(q) + "/bindings").list();
        assertTrue(bindings.stream().anyMatch(b -> x.equals(b.get("source")) && "k".equals(b.get("routing_key"))),
                bindings::toString);

        ManagementApi.Admin ub = api.rabbitmqadmin("delete", "binding", "source=" + x, "destination=" + q,
                "destination_type=queue", "properties_key=k");
        assertEquals(0, ub.exit(), ub::output);
        publishConfirmed(ch, x, "anything", "not routed");
        assertEquals(1, messageCount(q), "the binding is still there after rabbitmqadmin deleted it");
    }

    @Test
    void bindingToAMissingExchangeIs404() throws Exception {
        String q = queueName("http-bind-404");
        channel().queueDeclare(q, false, false, false, null);
        String missing = name("http-nox");

        ManagementApi.Response r = api.call("POST", "/api/bindings/%2F/e/" + missing + "/q/" + q,
                "{\"routing_key\":\"k\"}");

        assertEquals(404, r.status(), r::toString);
        assertEquals(error("not_found", "no exchange '" + missing + "' in vhost '/'"), r.body());
    }

    @Test
    void publishRoutesAndGetShowsThenRequeuesOrTakesMessages() throws Exception {
        String q = queueName("http-get");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Response pub = api.call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"routing_key\":\"" + q + "\",\"properties\":{\"content_type\":\"text/plain\",\"headers\":{\"h\":1}},"
                        + "\"payload\":\"hello\",\"payload_encoding\":\"string\"}");
        ManagementApi.Response unroutable = api.call("POST", "/api/exchanges/%2F/amq.default/publish",
                "{\"routing_key\":\"" + name("nobody") + "\",\"properties\":{},\"payload\":\"x\","
                        + "\"payload_encoding\":\"string\"}");
        assertEquals(200, pub.status(), pub::toString);
        assertEquals("{\"routed\":true}", pub.body());
        assertEquals("{\"routed\":false}", unroutable.body());

        ManagementApi.Response peek = api.call("POST", queuePath(q) + "/get",
                "{\"count\":5,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}");
        assertEquals(200, peek.status(), peek::toString);
        List<Map<String, Object>> shown = peek.list();
        assertEquals(1, shown.size(), peek::toString);
        Map<String, Object> m = shown.get(0);
        assertEquals("hello", m.get("payload"));
        assertEquals("string", m.get("payload_encoding"));
        assertEquals(5L, m.get("payload_bytes"));
        assertEquals(false, m.get("redelivered"));
        assertEquals(q, m.get("routing_key"));
        assertEquals(0L, m.get("message_count"));
        Map<?, ?> props = (Map<?, ?>) m.get("properties");
        assertEquals("text/plain", props.get("content_type"));
        assertEquals(Map.of("h", 1L), props.get("headers"));

        // Requeued: still there, now redelivered; then taken for good.
        ManagementApi.Response take = api.call("POST", queuePath(q) + "/get",
                "{\"count\":1,\"ackmode\":\"ack_requeue_false\",\"encoding\":\"base64\"}");
        Map<String, Object> taken = take.list().get(0);
        assertEquals(true, taken.get("redelivered"));
        assertEquals("aGVsbG8=", taken.get("payload"));
        assertEquals("base64", taken.get("payload_encoding"));
        assertEquals(0, messageCount(q));
        assertNull(channel().basicGet(q, true));
    }

    @Test
    void rabbitmqadminPublishAndGet() throws Exception {
        String q = queueName("http-admin-get");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Admin pub = api.rabbitmqadmin("publish", "routing_key=" + q, "payload=from-admin");
        ManagementApi.Admin get = api.rabbitmqadmin("get", "queue=" + q, "ackmode=ack_requeue_false");

        assertEquals(0, pub.exit(), pub::output);
        assertTrue(pub.output().contains("Message published"), pub::output);
        assertEquals(0, get.exit(), get::output);
        assertTrue(get.output().contains("from-admin"), get::output);
        assertEquals(0, messageCount(q));
    }

    @Test
    void getNeedsItsParameters() throws Exception {
        String q = queueName("http-get-400");
        channel().queueDeclare(q, false, false, false, null);
        ManagementApi.Response r = api.call("POST", queuePath(q) + "/get", "{\"count\":1}");
        assertEquals(400, r.status(), r::toString);
        assertEquals(error("bad_request", "[{key_missing,ackmode},{key_missing,encoding}]"), r.body());
    }

    @Test
    void getWithANegativeTruncateIs500AndLeavesTheMessageReady() throws Exception {
        String q = queueName("http-get-truncate");
        channel().queueDeclare(q, false, false, false, null);
        publishConfirmed(channel(), "", q, "hello");

        ManagementApi.Response r = api.call("POST", queuePath(q) + "/get",
                "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":-1}");

        assertEquals(500, r.status(), r::toString);
        assertEquals("", r.body());
        // Not left unacked without an owner: ready again (RabbitMQ returns it when its channel dies).
        eventually("the message ready again", () -> messageCount(q) == 1);
        GetResponse got = get(channel(), q, true);
        assertEquals("hello", text(got.getBody()));
    }

    @Test
    void getWithANegativeTruncateFromAnEmptyQueueIsAnEmptyList() throws Exception {
        String q = queueName("http-get-truncate-empty");
        channel().queueDeclare(q, false, false, false, null);

        ManagementApi.Response r = api.call("POST", queuePath(q) + "/get",
                "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\",\"truncate\":-1}");

        assertEquals(200, r.status(), r::toString);
        assertEquals("[]", r.body());
    }

    @Test
    void aDeeplyNestedBodyIsRefusedAsNotJson() throws Exception {
        String q = name("http-deep");

        ManagementApi.Response r = api.call("PUT", queuePath(q), "[".repeat(20_000));

        assertEquals(400, r.status(), r::toString);
        assertEquals(error("bad_request", "not_json"), r.body());
        assertFalse(queueExists(q));
    }

    @Test
    void getFromAMissingQueueIs404WithBasicGetsText() throws Exception {
        String q = name("http-get-none");
        ManagementApi.Response r = api.call("POST", queuePath(q) + "/get",
                "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}");
        assertEquals(404, r.status(), r::toString);
        assertEquals(error("not_found", "NOT_FOUND - no queue '" + q + "' in vhost '/'"), r.body());
    }

    @Test
    void getRightAfterTheQueuesDeleteIs404() throws Exception {
        String q = queueName("http-get-deleted");
        channel().queueDeclare(q, false, false, false, null);

        // Pipelined on one connection, as a script in a hurry does: the get follows the delete.
        List<ManagementApi.Response> r = api.pipelined(new ManagementApi.Call("DELETE", queuePath(q), null),
                new ManagementApi.Call("POST", queuePath(q) + "/get",
                        "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}"));

        assertEquals(204, r.get(0).status(), r.get(0)::toString);
        assertEquals(404, r.get(1).status(), r.get(1)::toString);
        assertEquals(error("not_found", "NOT_FOUND - no queue '" + q + "' in vhost '/'"), r.get(1).body());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String q = queueName("http-pipelined");
        channel().queueDeclare(q, true, false, false, null);

        // The delete is answered once the store has it, the whoami at once: still in this order.
        List<ManagementApi.Response> r = api.pipelined(new ManagementApi.Call("DELETE", queuePath(q), null),
                new ManagementApi.Call("GET", "/api/whoami", null));

        assertEquals(204, r.get(0).status(), r::toString);
        assertEquals(200, r.get(1).status(), r::toString);
        assertEquals("guest", r.get(1).object().get("name"), r::toString);
        assertFalse(queueExists(q));
    }

    @Test
    void manyPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        String q = queueName("http-pipelined-many");
        channel().queueDeclare(q, false, false, false, null);
        // An empty queue: its get is answered from the queue's loop, the whoami at once.
        String peek = "{\"count\":1,\"ackmode\":\"ack_requeue_true\",\"encoding\":\"auto\"}";
        // 100: Netty refuses more than 128 requests waiting for their answers (maxPipelineDepth).
        ManagementApi.Call[] calls = new ManagementApi.Call[100];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = i % 2 == 0 ? new ManagementApi.Call("POST", queuePath(q) + "/get", peek)
                    : new ManagementApi.Call("GET", "/api/whoami", null);
        }

        List<ManagementApi.Response> r = api.pipelined(calls);

        for (int i = 0; i < calls.length; i++) {
            ManagementApi.Response a = r.get(i);
            assertEquals(200, a.status(), a::toString);
            if (i % 2 == 0) {
                assertEquals("[]", a.body(), a::toString);
            } else {
                assertEquals("guest", a.object().get("name"), a::toString);
            }
        }
    }

    @Test
    void exchangePutAndDeleteFollowRabbitMq() throws Exception {
        String x = exchangeName("http-x");
        String path = "/api/exchanges/%2F/" + x;

        assertEquals(201, api.call("PUT", path, "{\"type\":\"topic\",\"durable\":false}").status());
        assertEquals(204, api.call("PUT", path, "{\"type\":\"topic\",\"durable\":false}").status());
        ManagementApi.Response different = api.call("PUT", path, "{\"type\":\"fanout\",\"durable\":false}");
        ManagementApi.Response badType = api.call("PUT", "/api/exchanges/%2F/" + name("http-x"), "{\"type\":\"foo\"}");
        ManagementApi.Response system = api.call("DELETE", "/api/exchanges/%2F/amq.direct", null);

        assertEquals(error("bad_request", "inequivalent arg 'type' for exchange '" + x
                + "' in vhost '/': received 'fanout' but current is 'topic'"), different.body());
        assertEquals(error("bad_request", "invalid exchange type 'foo'"), badType.body());
        assertEquals(401, system.status());
        assertEquals(error("not_authorised", "Access refused."), system.body());
        assertTrue(exchangeExists(x));
        assertEquals(204, api.call("DELETE", path, null).status());
        assertFalse(exchangeExists(x));
        assertEquals(404, api.call("DELETE", path, null).status());
    }

    // ---- health checks -------------------------------------------------------------------------

    @Test
    void alivenessTestPublishesAndGetsAMessage() throws Exception {
        ManagementApi.Response r = api.get("/api/aliveness-test/%2F");
        ManagementApi.Response missing = api.get("/api/aliveness-test/" + name("no-vhost"));

        assertEquals(200, r.status(), r::toString);
        assertEquals("{\"status\":\"ok\"}", r.body());
        assertTrue(queueExists("aliveness-test"), "the aliveness test did not declare its queue");
        assertEquals(0, messageCount("aliveness-test"), "the aliveness test left its message behind");
        assertEquals(404, missing.status(), missing::toString);
    }

    @Test
    void nodeHealthCheckAnswersOk() throws Exception {
        ManagementApi.Response r = api.get("/api/healthchecks/node");
        assertEquals(200, r.status(), r::toString);
        assertEquals("{\"status\":\"ok\"}", r.body());
        assertEquals(404, api.get("/api/healthchecks/node/" + name("rabbit") + "@nowhere").status());
    }

    @Test
    @WarrenOnly
    void nodeHealthCheckFailsWhileTheMemoryAlarmIsRaised() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().httpPort(0);
        config.memoryHighWatermark = 1e-9;
        System.gc(); // the alarm reads the heap after a collection
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            eventually("memory alarm raised", () -> broker.memoryAlarm().raised());

            ManagementApi.Response r = ManagementApi.at("http://localhost:" + broker.httpPort())
                    .get("/api/healthchecks/node");

            assertEquals(200, r.status(), r::toString);
            assertEquals("failed", r.object().get("status"), r::toString);
            assertTrue(String.valueOf(r.object().get("reason")).startsWith("resource alarm(s) in effect"),
                    r::toString);
        }
    }

    @Test
    void unackedMessagesShowInTheQueueView() throws Exception {
        String q = queueName("http-unacked");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");
        GetResponse got = get(ch, q, false);

        eventually("messages_unacknowledged 1", () -> {
            Map<String, Object> view = api.get(queuePath(q)).object();
            return Long.valueOf(1).equals(view.get("messages_unacknowledged"))
                    && Long.valueOf(1).equals(view.get("messages_ready"));
        });
        ch.basicAck(got.getEnvelope().getDeliveryTag(), false);
        eventually("messages_unacknowledged 0", () ->
                Long.valueOf(0).equals(api.get(queuePath(q)).object().get("messages_unacknowledged")));
    }
}
