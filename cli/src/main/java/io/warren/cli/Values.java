package io.warren.cli;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A JSON value as rabbitmqctl prints it in a table cell: tags as {@code [a, b]}, tables (queue
 * arguments, client properties) as Erlang proplists {@code [{"x-max-length",5}]}, null as nothing.
 */
final class Values {

    private Values() {}

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> l) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object o : l) {
                j.add(o instanceof String s ? s : term(o));
            }
            return j.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return term(m);
        }
        return String.valueOf(v);
    }

    /**
     * A value as rabbitmqctl's JSON formatter prints it: an AMQP table (queue arguments) as a list
     * of [name, type, value] triples, so no arguments are {@code []}; anything else as it is.
     */
    static Object json(Object v) {
        if (v instanceof Map<?, ?> m && m.isEmpty()) {
            return List.of();
        }
        if (v instanceof Map<?, ?> m && m.values().stream().noneMatch(x -> x instanceof Map<?, ?>)) {
            List<Object> triples = new java.util.ArrayList<>();
            m.forEach((k, x) -> triples.add(List.of(String.valueOf(k), type(x), x == null ? "" : x)));
            return triples;
        }
        return v;
    }

    /** The AMQP field type rabbitmqctl names beside a table's value. */
    private static String type(Object v) {
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
            return "double";
        }
        if (v instanceof Number) {
            return "long";
        }
        if (v instanceof List<?>) {
            return "array";
        }
        return v == null ? "void" : "longstr";
    }

    /** Erlang-term form, strings quoted. */
    static String term(Object v) {
        if (v == null) {
            return "undefined";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(",", "[", "]");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                j.add("{" + term(String.valueOf(e.getKey())) + "," + term(e.getValue()) + "}");
            }
            return j.toString();
        }
        if (v instanceof List<?> l) {
            StringJoiner j = new StringJoiner(",", "[", "]");
            for (Object o : l) {
                j.add(term(o));
            }
            return j.toString();
        }
        return String.valueOf(v);
    }

    /** User and vhost tags: a list in RabbitMQ 3.10's answers, a comma-separated string in older ones. */
    static List<String> tags(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        if (v instanceof String s && !s.isBlank()) {
            return List.of(s.split(","));
        }
        return List.of();
    }
}
