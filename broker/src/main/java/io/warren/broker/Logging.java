package io.warren.broker;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up the broker's logging at start: everything goes through SLF4J to Logback (one line per
 * record, see logback.xml), including what H2, Netty and the JDK log through java.util.logging
 * and {@code System.Logger} (the queue store's), which the bridge hands to SLF4J.
 */
final class Logging {

    private Logging() {}

    /**
     * Routes java.util.logging to SLF4J and applies {@code rabbitLevel} (RabbitMQ's names, see
     * ConfigParser#LOG_LEVELS) to the root logger; null keeps the configured level.
     */
    static void install(String rabbitLevel) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (rabbitLevel != null
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            // logback.xml's LevelChangePropagator carries the new level to java.util.logging, so
            // that records below it are dropped before the bridge formats them
            root.setLevel(level(rabbitLevel));
        }
    }

    private static ch.qos.logback.classic.Level level(String rabbitLevel) {
        return switch (rabbitLevel) {
            case "debug" -> ch.qos.logback.classic.Level.DEBUG;
            case "info" -> ch.qos.logback.classic.Level.INFO;
            case "warning" -> ch.qos.logback.classic.Level.WARN;
            // RabbitMQ's critical sits above error; Logback has nothing above error
            case "error", "critical" -> ch.qos.logback.classic.Level.ERROR;
            case "none" -> ch.qos.logback.classic.Level.OFF;
            default -> throw new IllegalArgumentException(rabbitLevel);
        };
    }
}
