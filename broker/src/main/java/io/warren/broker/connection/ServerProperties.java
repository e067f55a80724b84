package io.warren.broker.connection;

import io.warren.amqp.LongString;
import io.warren.broker.config.Version;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-properties table of connection.start.
 *
 * <p>Warren introduces itself as RabbitMQ 3.13: clients switch behaviour on {@code product} and
 * {@code version} (kombu, for one, applies RabbitMQ's per-consumer basic.qos semantics only when
 * product is "RabbitMQ" and version is 3.3 or later), and Warren implements RabbitMQ's semantics,
 * so that is the truthful answer for them. Who is really answering is in {@code information} and
 * in {@code warren_version}. The capabilities table lists only what Warren implements.
 */
public final class ServerProperties {

    public static final String WARREN_VERSION = Version.number(); // the same as --version prints
    public static final String RABBITMQ_COMPAT_VERSION = "3.13.7";

    private ServerProperties() {}

    public static Map<String, Object> table() {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("publisher_confirms", true);
        capabilities.put("exchange_exchange_bindings", true);
        capabilities.put("basic.nack", true);
        capabilities.put("consumer_cancel_notify", true);
        capabilities.put("connection.blocked", true);
        capabilities.put("consumer_priorities", true);
        capabilities.put("authentication_failure_close", true);
        capabilities.put("per_consumer_qos", true);
        capabilities.put("direct_reply_to", true);

        Map<String, Object> props = new LinkedHashMap<>();
        props.put("capabilities", capabilities);
        props.put("cluster_name", LongString.of("warren@" + hostName()));
        props.put("copyright", LongString.of("Copyright (c) 2026 the Warren authors"));
        props.put("information", LongString.of("Warren " + WARREN_VERSION
                + ", an AMQP 0-9-1 broker compatible with RabbitMQ " + RABBITMQ_COMPAT_VERSION));
        props.put("platform", LongString.of("Java " + Runtime.version().feature()));
        props.put("product", LongString.of("RabbitMQ"));
        props.put("version", LongString.of(RABBITMQ_COMPAT_VERSION));
        props.put("warren_version", LongString.of(WARREN_VERSION));
        return props;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
