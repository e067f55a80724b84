package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bindings as seen from each end: exchange-to-exchange bindings created, listed, shown and
 * deleted through {@code /api/bindings/{vhost}/e/{source}/e/{destination}}, and the lists of an
 * exchange's bindings (as source, as destination) and of a queue's.
 */
class HttpBindingsApiTest extends CompatTest {

    private ManagementApi api;

    @BeforeEach
    void api() {
        api = ManagementApi.underTest();
    }

    private static String e(String name) {
        return ManagementApi.encode(name);
    }

    @Test
    void exchangeToExchangeBindingIsCreatedListedAndDeletedAndRoutes() throws Exception {
        String src = exchangeName("http-e2e-src");
        String dst = exchangeName("http-e2e-dst");
        String q = queueName("http-e2e-q");
        Channel ch = channel();
        ch.exchangeDeclare(src, "direct");
        ch.exchangeDeclare(dst, "fanout");
        ch.queueDeclare(q, false, false, false, null);
        ch.queueBind(q, dst, "");
        String path = "/api/bindings/%2F/e/" + e(src) + "/e/" + e(dst);

        ManagementApi.Response created = api.call("POST", path, "{\"routing_key\":\"k\",\"arguments\":{}}");
        assertEquals(201, created.status(), created::toString);
        assertEquals("k", created.headers().firstValue("location").orElse("").replaceAll(".*/", ""));
        publishConfirmed(ch, src, "k", "through");
        assertEquals(1, messageCount(q), "the e2e binding does not route");

        List<Map<String, Object>> between = api.get(path).list();
        assertEquals(1, between.size(), between::toString);
        Map<String, Object> b = between.get(0);
        assertEquals(src, b.get("source"));
        assertEquals(dst, b.get("destination"));
        assertEquals("exchange", b.get("destination_type"));
        assertEquals("k", b.get("properties_key"));
        assertEquals(b, api.get(path + "/k").object());
        assertEquals(List.of(b), api.get("/api/exchanges/%2F/" + e(src) + "/bindings/source").list());
        assertEquals(List.of(b), api.get("/api/exchanges/%2F/" + e(dst) + "/bindings/destination").list());
        assertTrue(api.get("/api/queues/%2F/" + e(q) + "/bindings").list().stream()
                .anyMatch(x -> dst.equals(x.get("source"))), "the queue's bindings miss its binding to " + dst);

        assertEquals(204, api.call("DELETE", path + "/k", null).status());
        assertEquals(List.of(), api.get(path).list());
        assertEquals(404, api.call("DELETE", path + "/k", null).status());
        publishConfirmed(ch, src, "k", "nowhere");
        assertEquals(1, messageCount(q), "the deleted e2e binding still routes");
    }

    @Test
    void exchangeToExchangeBindingToAMissingExchangeIs404AndListsNone() throws Exception {
        String src = exchangeName("http-e2e-src");
        channel().exchangeDeclare(src, "direct");
        String missing = name("http-nox");
        ManagementApi.Response r = api.call("POST", "/api/bindings/%2F/e/" + e(src) + "/e/" + missing, "{}");
        assertEquals(404, r.status(), r::toString);
        assertEquals("{\"error\":\"not_found\",\"reason\":\"no exchange '" + missing + "' in vhost '/'\"}",
                r.body());
        ManagementApi.Response list = api.get("/api/bindings/%2F/e/" + e(src) + "/e/" + missing);
        assertEquals(200, list.status(), list::toString); // none between them, as RabbitMQ lists it
        assertEquals("[]", list.body());
        assertEquals(404, api.get("/api/bindings/%2F/e/" + e(src) + "/e/" + missing + "/k").status());
    }
}
