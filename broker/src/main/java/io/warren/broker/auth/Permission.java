package io.warren.broker.auth;

import java.util.regex.Pattern;

/**
 * RabbitMQ's three permissions in one vhost, each a regular expression over resource names:
 * configure (declare, delete), write (publish, bind to a queue's source side), read (consume, get,
 * bind from a queue's destination side). As in RabbitMQ, a pattern grants a name when it matches
 * anywhere in it (anchors are the user's to write: {@code ^app-}), so {@code .*} grants names
 * with line breaks too. An empty pattern grants nothing (RabbitMQ reads it as {@code ^$}, and
 * checks the default exchange as {@code amq.default}). Immutable.
 */
public final class Permission {

    public static final Permission ALL = of(".*", ".*", ".*");
    public static final Permission NONE = of("", "", "");

    private final String configure;
    private final String write;
    private final String read;
    private final Pattern configurePattern;
    private final Pattern writePattern;
    private final Pattern readPattern;

    private Permission(String configure, String write, String read) {
        this.configure = configure;
        this.write = write;
        this.read = read;
        this.configurePattern = Regex.compile(configure);
        this.writePattern = Regex.compile(write);
        this.readPattern = Regex.compile(read);
    }

    /**
     * The name RabbitMQ checks and names in its refusals for an exchange: the default exchange,
     * "" on the wire, is {@code amq.default} (rabbit_access_control:check_resource_access), so
     * {@code ^(amq\.gen.*|amq\.default)$} grants publishing to it.
     */
    public static String exchangeResource(String exchange) {
        return exchange.isEmpty() ? "amq.default" : exchange;
    }

    /** @throws java.util.regex.PatternSyntaxException for a pattern that is no regular expression */
    public static Permission of(String configure, String write, String read) {
        return new Permission(configure, write, read);
    }

    /** The patterns as given (as the HTTP API and definitions show them). */
    public String configure() {
        return configure;
    }

    public String write() {
        return write;
    }

    public String read() {
        return read;
    }

    public boolean canConfigure(String resource) {
        return matches(configurePattern, resource);
    }

    public boolean canWrite(String resource) {
        return matches(writePattern, resource);
    }

    public boolean canRead(String resource) {
        return matches(readPattern, resource);
    }

    private static boolean matches(Pattern p, String resource) {
        return !p.pattern().isEmpty() && p.matcher(resource).find();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permission p && p.configure.equals(configure) && p.write.equals(write)
                && p.read.equals(read);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(configure, write, read);
    }

    @Override
    public String toString() {
        return "Permission[configure=" + configure + ", write=" + write + ", read=" + read + "]";
    }
}
