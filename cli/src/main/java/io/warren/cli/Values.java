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
