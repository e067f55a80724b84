package io.warren.broker.metrics;

/**
 * Writes the Prometheus text exposition format (version 0.0.4) as RabbitMQ's plugin does: each
 * family's {@code # TYPE} and {@code # HELP} lines, then its samples. Not thread-safe: one per
 * scrape.
 */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: {@code type} is counter, gauge or untyped. */
    PrometheusText family(String name, String type, String help) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value) {
        out.append(name).append(' ');
        number(value);
        return this;
    }

    /** A sample with labels: {@code labels} alternates names and values. */
    PrometheusText sample(String name, double value, String... labels) {
        out.append(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labels[i]).append("=\"");
            escape(labels[i + 1]);
            out.append('"');
        }
        out.append("} ");
        number(value);
        return this;
    }

    /** A family with one unlabelled sample. */
    PrometheusText single(String name, String type, String help, double value) {
        return family(name, type, help).sample(name, value);
    }

    /** Appends text that is already in the exposition format (Micrometer's JVM meters). */
    PrometheusText raw(String exposition) {
        out.append(exposition);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else {
            out.append(v);
        }
        out.append('\n');
    }

    /** Label values escape backslash, double quote and line feed (the format's three escapes). */
    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
