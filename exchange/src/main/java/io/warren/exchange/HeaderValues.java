package io.warren.exchange;

import java.util.Arrays;

/**
 * When a header value matches a headers binding's value.
 *
 * <p>RabbitMQ compares the two with Erlang's {@code ==}, which ignores the field's wire type for
 * numbers: a binding on {@code I 1} matches a header {@code l 1} or {@code d 1.0}, so a Java
 * client sending an int and a Python client binding with a long agree. The codec decodes those
 * into different Java classes, so plain {@code equals()} would say no; this class restores
 * RabbitMQ's answer. Decimals stay exact ({@code BigDecimal.equals}: a decimal is not a number to
 * Erlang's {@code ==} either). A {@code String} and the codec's long string with the same text are
 * the same value (both are binaries to RabbitMQ). Byte arrays compare by content.
 */
final class HeaderValues {

    private HeaderValues() {
    }

    static boolean same(Object bound, Object actual) {
        if (bound == null || actual == null) {
            return bound == actual;
        }
        if (bound.equals(actual)) {
            return true;
        }
        if (bound.getClass() == actual.getClass() && !(bound instanceof byte[])) {
            return false; // same type, and equals said no: the common miss, decided here
        }
        if (isNumber(bound) && isNumber(actual)) {
            Number a = (Number) bound;
            Number b = (Number) actual;
            if (isIntegral(a) && isIntegral(b)) {
                return a.longValue() == b.longValue();
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (bound instanceof byte[] x && actual instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (bound instanceof String || actual instanceof String) {
            String a = Arguments.text(bound);
            String b = Arguments.text(actual);
            return a != null && a.equals(b);
        }
        return false;
    }

    private static boolean isNumber(Object o) {
        return isIntegral(o) || o instanceof Double || o instanceof Float;
    }

    private static boolean isIntegral(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }
}
