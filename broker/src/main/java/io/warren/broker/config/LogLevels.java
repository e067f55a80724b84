package io.warren.broker.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --log-level} setting: a level for everything, and levels per category as RabbitMQ's
 * {@code log.<category>.level} sets them, written {@code info,connection=debug,queue=warning}.
 * A key with a dot is a logger name ({@code io.netty=debug}), for what no category covers.
 *
 * @param root       RabbitMQ's level name for everything, or null to keep the configured one
 * @param categories category or logger name to RabbitMQ's level name, in the order given
 */
public record LogLevels(String root, Map<String, String> categories) {

    /** RabbitMQ's level names; Logging maps them onto the backend's. */
    public static final List<String> LEVELS = List.of("debug", "info", "warning", "error", "critical", "none");

    /**
     * RabbitMQ's categories Warren has, and its loggers (packages) in each: {@code connection}
     * is what RabbitMQ logs as connection events (opened, authenticated, closed, TLS
     * handshakes), {@code channel} channel errors, {@code queue} queues, {@code default} the rest.
     */
    public static final Map<String, List<String>> CATEGORIES = Map.of(
            "connection", List.of("io.warren.broker.connection", "io.warren.broker.net", "io.warren.broker.tls"),
            "channel", List.of("io.warren.broker.channel"),
            "queue", List.of("io.warren.broker.queue", "io.warren.broker.vhost"),
            "default", List.of("io.warren"));

    public static final LogLevels NONE = new LogLevels(null, Map.of());

    /** Parses and checks the setting; the message of the exception says what is wrong. */
    public static LogLevels parse(String setting) {
        String root = null;
        Map<String, String> categories = new LinkedHashMap<>();
        for (String item : setting.split(",")) {
            String s = item.trim().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                root = level(s, item);
            } else {
                String key = item.trim().substring(0, eq).trim();
                if (!CATEGORIES.containsKey(key) && !key.contains(".")) {
                    throw new IllegalArgumentException("unknown log category '" + key + "' (one of "
                            + String.join(", ", CATEGORIES.keySet().stream().sorted().toList())
                            + ", or a logger name such as io.netty)");
                }
                categories.put(key, level(s.substring(eq + 1).trim(), item));
            }
        }
        // in the order written: toString gives the setting back as it was given
        return new LogLevels(root, java.util.Collections.unmodifiableMap(categories));
    }

    /** The setting as written back: what {@link #parse} reads again. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(root == null ? "" : root);
        categories.forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    private static String level(String s, String item) {
        if (!LEVELS.contains(s)) {
            throw new IllegalArgumentException("log level must be one of " + String.join(", ", LEVELS)
                    + ", got '" + item.trim() + "'");
        }
        return s;
    }
}
