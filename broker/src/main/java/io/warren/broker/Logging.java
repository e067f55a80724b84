package io.warren.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.LogLevels;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up the broker's logging at start: everything goes through SLF4J to Logback (one line per
 * record, see logback.xml), including what H2, Netty and the JDK log through java.util.logging
 * and {@code System.Logger} (the queue store's), which the bridge hands to SLF4J. Then applies
 * the operator's settings: the levels, per RabbitMQ category too ({@link LogLevels}), and the
 * format, text or JSON (Logback's JsonEncoder: one JSON object per line).
 *
 * <p>A Logback configuration file given with {@code -Dlogback.configurationFile} replaces
 * logback.xml; the settings here still apply on top of it.
 */
final class Logging {

    private Logging() {}

    /**
     * Routes java.util.logging to SLF4J and applies {@code levels} (as ConfigParser checked them;
     * null keeps the configured levels) and {@code format}.
     */
    static void install(String levels, BrokerConfig.LogFormat format) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: its own configuration decides
        }
        if (levels != null) {
            // logback.xml's LevelChangePropagator carries the new levels to java.util.logging, so
            // that records below them are dropped before the bridge formats them
            LogLevels parsed = LogLevels.parse(levels);
            if (parsed.root() != null) {
                context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level(parsed.root()));
            }
            parsed.categories().forEach((category, level) -> {
                for (String logger : LogLevels.CATEGORIES.getOrDefault(category, List.of(category))) {
                    context.getLogger(logger).setLevel(level(level));
                }
            });
        }
        if (format == BrokerConfig.LogFormat.JSON) {
            useJson(context);
        }
    }

    /** Gives every appender of the root logger that writes a stream Logback's JSON encoder. */
    private static void useJson(LoggerContext context) {
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                // the message as the text format shows it, not its pattern and arguments apart;
                // no per-context sequence number (always 0 here) nor the context's properties
                json.setWithFormattedMessage(true);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithSequenceNumber(false);
                json.setWithContext(false);
                json.start();
                stream.stop();
                stream.setEncoder(json);
                stream.start();
            }
        }
    }

    private static Level level(String rabbitLevel) {
        return switch (rabbitLevel) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warning" -> Level.WARN;
            // RabbitMQ's critical sits above error; Logback has nothing above error
            case "error", "critical" -> Level.ERROR;
            case "none" -> Level.OFF;
            default -> throw new IllegalArgumentException(rabbitLevel);
        };
    }
}
