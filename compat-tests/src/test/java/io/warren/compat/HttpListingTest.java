package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list endpoints' sort, pagination, name filter and columns, as RabbitMQ's console and
 * scripts page through a large broker.
 */
class HttpListingTest extends CompatTest {

    private ManagementApi api;
    private String prefix;
    private final List<String> queues = new ArrayList<>();

    /** Three queues whose names share a prefix no other test uses, sorting as a, b, c. */
    @BeforeEach
    void queues() throws Exception {
        api = ManagementApi.underTest();
        prefix = name("page");
        Channel ch = channel();
        for (String suffix : List.of("b", "a", "c")) {
            String q = queueName(prefix + "-" + suffix);
            queues.add(q);
            ch.queueDeclare(q, false, false, false, null);
        }
        queues.sort(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<Object> names(List<Map<String, Object>> items) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> m : items) {
            out.add(m.get("name"));
        }
        return out;
    }

    @Test
    void pagesFilterByNameAndCountWhatTheyHold() throws Exception {
        String filter = ManagementApi.encode(prefix.toUpperCase(java.util.Locale.ROOT)); // case-insensitive
        ManagementApi.Response first = api.get("/api/queues/%2F?page=1&page_size=2&name=" + filter);
        assertEquals(200, first.status(), first::toString);
        Map<String, Object> page = first.object();
        assertEquals(3L, page.get("filtered_count"));
        assertEquals(2L, page.get("item_count"));
        assertEquals(1L, page.get("page"));
        assertEquals(2L, page.get("page_count"));
        assertEquals(2L, page.get("page_size"));
        assertTrue(((Number) page.get("total_count")).longValue() >= 3, page::toString);
        assertEquals(queues.subList(0, 2), names(items(page)));

        Map<String, Object> second = api.get("/api/queues/%2F?page=2&page_size=2&name=" + filter).object();
        assertEquals(queues.subList(2, 3), names(items(second)));
        assertEquals(1L, second.get("item_count"));

        Map<String, Object> regex = api.get("/api/queues/%2F?page=1&use_regex=true&name="
                + ManagementApi.encode(prefix + "-[ab]-")).object();
        assertEquals(queues.subList(0, 2), names(items(regex)));
        assertEquals(100L, regex.get("page_size"));
    }

    @Test
    void sortAndColumnsShapeThePlainList() throws Exception {
        ManagementApi.Response r = api.get("/api/queues/%2F?sort=name&sort_reverse=true&columns=name,vhost");
        assertEquals(200, r.status(), r::toString);
        List<Object> ours = new ArrayList<>();
        for (Map<String, Object> q : r.list()) {
            assertEquals(java.util.Set.of("name", "vhost"), q.keySet(), q::toString);
            if (queues.contains(q.get("name"))) {
                ours.add(q.get("name"));
            }
        }
        assertEquals(List.of(queues.get(2), queues.get(1), queues.get(0)), ours);

        Map<String, Object> nested = api.get("/api/queues/%2F?page=1&name=" + ManagementApi.encode(prefix)
                + "&columns=name,arguments.x-none").object();
        assertEquals(Map.of("name", queues.get(0), "arguments", Map.of()), items(nested).get(0));
    }

    @Test
    void columnsShapeSingleObjectsAndOtherAnswersToo() throws Exception {
        Map<String, Object> queue = api.get("/api/queues/%2F/" + ManagementApi.encode(queues.get(0))
                + "?columns=name,durable").object();
        assertEquals(Map.of("name", queues.get(0), "durable", false), queue);
        Map<String, Object> overview = api.get("/api/overview?columns=node").object();
        assertEquals(java.util.Set.of("node"), overview.keySet(), overview::toString);
        for (Map<String, Object> node : api.get("/api/nodes?columns=name").list()) {
            assertEquals(java.util.Set.of("name"), node.keySet(), node::toString);
        }
        ManagementApi.Response missing = api.get("/api/queues/%2F/" + name("none") + "?columns=name");
        assertEquals("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}", missing.body());
    }

    @Test
    void otherListsPageAsRabbitMqDoes() throws Exception {
        for (String path : List.of("/api/exchanges", "/api/connections", "/api/vhosts", "/api/channels")) {
            ManagementApi.Response r = api.get(path + "?page=1&page_size=1");
            assertEquals(200, r.status(), path + ": " + r);
            assertTrue(r.object().containsKey("items"), path + ": " + r);
        }
        // RabbitMQ sorts and projects these but never pages them
        for (String path : List.of("/api/bindings", "/api/users", "/api/consumers")) {
            ManagementApi.Response r = api.get(path + "?page=1&page_size=1&columns=vhost");
            assertEquals(200, r.status(), path + ": " + r);
            assertTrue(r.json() instanceof List, path + ": " + r);
        }
    }

    @Test
    void badPaginationIsRefusedWithRabbitMqsErrors() throws Exception {
        ManagementApi.Response big = api.get("/api/queues?page=1&page_size=501");
        assertEquals(400, big.status(), big::toString);
        assertEquals("{\"error\":\"invalid_pagination_parameters\",\"reason\":\"Invalid pagination parameters:"
                + " page number 1, page size 501\"}", big.body());
        ManagementApi.Response zero = api.get("/api/queues?page=0");
        assertEquals(400, zero.status(), zero::toString);
        assertEquals("{\"error\":\"invalid_pagination_parameters\",\"reason\":\"Invalid pagination parameters:"
                + " page number 0, page size undefined\"}", zero.body());
        ManagementApi.Response text = api.get("/api/queues?page=x");
        assertEquals(400, text.status(), text::toString);
        assertEquals("{\"error\":\"bad_request\",\"reason\":\"Pagination parameters are invalid\"}", text.body());
        ManagementApi.Response far = api.get("/api/queues/%2F?page=99&name=" + ManagementApi.encode(prefix));
        assertEquals(400, far.status(), far::toString);
        assertEquals("{\"error\":\"page_out_of_range\",\"reason\":\"Page out of range, page: 99 page size: 100,"
                + " len: 3\"}", far.body());
    }
}
