package io.warren.broker.connection;

import java.util.Map;

/** What the client told us in connection.start-ok, and the capabilities we act on. */
public record ClientInfo(Map<String, Object> properties, boolean consumerCancelNotify,
                         boolean authenticationFailureClose, boolean connectionBlocked) {

    public static ClientInfo of(Map<String, Object> properties) {
        Map<String, Object> caps = properties.get("capabilities") instanceof Map<?, ?> m
                ? castTable(m) : Map.of();
        return new ClientInfo(properties, flag(caps, "consumer_cancel_notify"),
                flag(caps, "authentication_failure_close"), flag(caps, "connection.blocked"));
    }

    /** Product and version as the client announced them, for logs and the HTTP API. */
    public String describe() {
        return properties.getOrDefault("product", "?") + " " + properties.getOrDefault("version", "");
    }

    private static boolean flag(Map<String, Object> caps, String name) {
        return Boolean.TRUE.equals(caps.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castTable(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
