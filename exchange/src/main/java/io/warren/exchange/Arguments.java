package io.warren.exchange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies argument tables into the immutable form this module keeps. */
final class Arguments {

    private static final String CODEC_PACKAGE = "io.warren.amqp.";

    private Arguments() {
    }

    /**
     * An unmodifiable copy that keeps insertion order (so the broker re-encodes the table as it
     * came) and allows null values (AMQP's void field type): {@code Map.copyOf} does neither.
     */
    static Map<String, Object> freeze(Map<String, Object> arguments) {
        if (arguments == null || arguments.isEmpty()) {
            return Map.of();
        }
        if (arguments.getClass().getName().startsWith(CODEC_PACKAGE)) {
            // The codec's own tables are unmodifiable already, and a large one keeps only its
            // bytes: a copy would inflate it into an object per field. (This module depends on
            // the JDK alone, so the codec's types are recognised by their package.)
            return arguments;
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /**
     * The text of a string-valued argument: a {@code String}, or the codec's long string, which
     * this module cannot name (it depends on the JDK only) but whose {@code toString()} is the
     * text. Values of the table's other types are not text and answer null.
     */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value == null || value instanceof Number || value instanceof Boolean
                || value instanceof Map || value instanceof Iterable || value instanceof byte[]
                || value instanceof java.util.Date || value instanceof Character) {
            return null;
        }
        return value.toString();
    }
}
