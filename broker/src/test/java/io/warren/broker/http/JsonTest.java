package io.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void bodiesReadIntoOrderedMapsListsLongsAndDoubles() {
        Object v = Json.parse("{\"b\":1,\"a\":[true,null,2.5,\"x\\u00e9\"],\"c\":{}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", Arrays.asList(true, null, 2.5, "x\u00e9"));
        expected.put("c", Map.of());
        assertEquals(expected, v);
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(((Map<?, ?>) v).keySet()));
    }

    @Test
    void whatIsNotOneJsonValueIsRefused() {
        for (String bad : List.of("", "{", "{\"a\":1}x", "[1,]", "'a'", "{a:1}", "[1] [2]")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void nestingIsBoundedSoADeepBodyCannotExhaustTheStack() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
    }

    @Test
    void answersAreWrittenFieldByFieldWithEscapesAndNoNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", 42);
        m.put("l", Long.MAX_VALUE);
        m.put("d", 0.5);
        m.put("nan", Double.NaN);
        m.put("bin", new byte[] {1, 2});
        m.put("list", List.of(1, "two"));
        m.put("other", new StringBuilder("sb"));
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":42,\"l\":9223372036854775807,\"d\":0.5,"
                + "\"nan\":null,\"bin\":\"<binary>\",\"list\":[1,\"two\"],\"other\":\"sb\"}", Json.write(m));
        assertEquals(Json.parse(Json.write(Map.of("k", List.of(1L, 2.5)))), Map.of("k", List.of(1L, 2.5)));
    }
}
