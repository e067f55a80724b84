package io.warren.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsWhatTheApiAnswers() {
        Object v = Json.parse(" [{\"name\":\"a\\\"b\\u00e9\",\"tags\":[\"x\",\"y\"],\"n\":5,\"d\":1.5,\"t\":true,\"z\":null,\"o\":{}}] ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "a\"bé");
        expected.put("tags", List.of("x", "y"));
        expected.put("n", 5L);
        expected.put("d", 1.5);
        expected.put("t", true);
        expected.put("z", null);
        expected.put("o", Map.of());
        assertEquals(List.of(expected), v);
    }

    @Test
    void writesRequestBodies() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password", "p\"w\\\n");
        body.put("value", 10L);
        body.put("list", List.of(1L, "a"));
        assertEquals("{\"password\":\"p\\\"w\\\\\\n\",\"value\":10,\"list\":[1,\"a\"]}", Json.write(body));
        assertEquals(body, Json.parse(Json.write(body)));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("bad"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    }
}
