package io.warren.broker.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Warren's version, as Maven built it: read from a resource the build fills in, so that the jar
 * and the classes run from {@code target/classes} both know it without a manifest.
 */
public final class Version {

    private static final String NUMBER = load();

    private Version() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        return NUMBER;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/warren/broker/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            // an unfiltered copy (an IDE build that skipped Maven's resource step)
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
