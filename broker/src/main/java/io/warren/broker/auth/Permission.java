package io.warren.broker.auth;

import java.util.regex.Pattern;

/**
 * RabbitMQ's three permissions in one vhost, each a regular expression over resource names:
 * configure (declare, delete), write (publish, bind to a queue's source side), read (consume, get,
 * bind from a queue's destination side). As in RabbitMQ, a pattern grants a name when it matches
 * anywhere in it (anchors are the user's to write: {@code ^app-}), so {@code .*} grants names
 * with line breaks too. An empty pattern grants nothing (RabbitMQ reads it as {@code ^$}, and
 * checks the default exchange as {@code amq.default}).
 */
public record Permission(Pattern configure, Pattern write, Pattern read) {

    public static final Permission ALL = of(".*", ".*", ".*");

    /**
     * The name RabbitMQ checks and names in its refusals for an exchange: the default exchange,
     * "" on the wire, is {@code amq.default} (rabbit_access_control:check_resource_access), so
     * {@code ^(amq\.gen.*|amq\.default)$} grants publishing to it.
     */
    public static String exchangeResource(String exchange) {
        return exchange.isEmpty() ? "amq.default" : exchange;
    }

    public static Permission of(String configure, String write, String read) {
        return new Permission(Pattern.compile(configure), Pattern.compile(write), Pattern.compile(read));
    }

    public boolean canConfigure(String resource) {
        return matches(configure, resource);
    }

    public boolean canWrite(String resource) {
        return matches(write, resource);
    }

    public boolean canRead(String resource) {
        return matches(read, resource);
    }

    private static boolean matches(Pattern p, String resource) {
        return !p.pattern().isEmpty() && p.matcher(resource).find();
    }
}
