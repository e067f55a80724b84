package io.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RabbitMQ's list parameters on plain lists of objects, edge cases the compat tests do not reach. */
class ListingTest {

    private static Map<String, Object> item(String vhost, String name, Object messages) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("vhost", vhost);
        if (messages != null) {
            m.put("stats", Map.of("messages", messages));
        }
        return m;
    }

    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.put(pairs[i], List.of(pairs[i + 1]));
        }
        return q;
    }

    private static List<Object> items() {
        List<Object> out = new ArrayList<>();
        out.add(item("b", "x", 3));
        out.add(item("a", "y", null));
        out.add(item("a", "x", 10));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> names(Object list) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<Object>) list) {
            out.add(((Map<String, Object>) o).get("vhost") + "/" + ((Map<String, Object>) o).get("name"));
        }
        return out;
    }

    @Test
    void sortsByVhostThenNameUnlessToldOtherwise() {
        assertEquals(List.of("a/x", "a/y", "b/x"), names(Listing.of(items(), Map.of())));
    }

    @Test
    void sortsOnANestedFieldWithMissingValuesFirstAndNumbersAsNumbers() {
        assertEquals(List.of("a/y", "b/x", "a/x"), names(Listing.of(items(), query("sort", "stats.messages"))));
        assertEquals(List.of("a/x", "b/x", "a/y"),
                names(Listing.of(items(), query("sort", "stats.messages", "sort_reverse", "true"))));
    }

    @Test
    void columnsKeepNestedFieldsByPath() {
        Object shown = Listing.of(items(), query("columns", "name,stats.messages,stats.none"));
        assertEquals(Map.of("name", "x", "stats", Map.of("messages", 10)), ((List<?>) shown).get(0));
        assertEquals(Map.of("name", "y"), ((List<?>) shown).get(1));
    }

    @Test
    void anEmptyPageCountsNoPages() {
        Map<?, ?> page = (Map<?, ?>) Listing.of(new ArrayList<>(), query("page", "1"));
        assertEquals(0, page.get("page_count"));
        assertEquals(List.of(), page.get("items"));
    }

    @Test
    void aBadRegexIsABadRequest() {
        ApiError e = assertThrows(ApiError.class,
                () -> Listing.of(items(), query("page", "1", "name", "(", "use_regex", "true")));
        assertEquals(400, e.status.code());
    }

    @Test
    void pageProjectionLeavesThePageAlone() {
        Object page = Listing.of(items(), query("page", "1", "columns", "name"));
        assertEquals(page, Listing.projectAnswer(page, "name"));
        assertEquals(Map.of("name", "x"), Listing.projectAnswer(item("a", "x", 1), "name"));
    }
}
