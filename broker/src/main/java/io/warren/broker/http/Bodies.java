package io.warren.broker.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the fields of a request's JSON body the way RabbitMQ's API accepts them. */
final class Bodies {

    private Bodies() {}

    /** RabbitMQ's answer to missing keys: 400 listing them, e.g. {@code [{key_missing,ackmode}]}. */
    static void require(Map<String, Object> body, String... keys) {
        List<String> missing = new ArrayList<>();
        for (String k : keys) {
            if (body.get(k) == null) {
                missing.add("{key_missing," + k + "}");
            }
        }
        if (!missing.isEmpty()) {
            throw ApiError.badRequest("[" + String.join(",", missing) + "]");
        }
    }

    /** A boolean field, given as a JSON boolean or as "true"/"false" (rabbitmqadmin sends strings). */
    static boolean bool(Map<String, Object> body, String key, boolean fallback) {
        Object v = body.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw ApiError.badRequest("{not_boolean," + v + "}");
    }

    static long integer(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw ApiError.badRequest("{not_integer," + v + "}");
    }

    static String string(Map<String, Object> body, String key, String fallback) {
        Object v = body.get(key);
        return v == null ? fallback : v.toString();
    }

    /** An arguments (or headers) table: a JSON object, absent meaning empty. */
    static Map<String, Object> table(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null || (v instanceof List<?> l && l.isEmpty())) {
            return Map.of(); // RabbitMQ's own clients send [] for an empty table
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw ApiError.badRequest("{not_a_table," + key + "}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
    }
}
