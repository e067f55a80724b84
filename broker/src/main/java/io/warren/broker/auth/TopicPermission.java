package io.warren.broker.auth;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RabbitMQ's topic permission of a user on one topic exchange of one vhost: write (publishing)
 * and read (binding) patterns over routing keys. As in RabbitMQ an empty pattern is {@code ^$},
 * and {@code {username}} and {@code {vhost}} in a pattern are replaced, as plain text, before it
 * is compiled. {@code {client_id}} is left as it is: RabbitMQ only knows a client id for MQTT and
 * STOMP clients, never for AMQP 0-9-1 connections, so for them it is literal text.
 */
public record TopicPermission(String exchange, String write, String read) {

    /** @throws PatternSyntaxException when a pattern is no regular expression */
    public TopicPermission {
        Regex.compile(write);
        Regex.compile(read);
    }

    /** The write pattern for {@code user} in {@code vhost}; null if it does not compile once expanded. */
    public Pattern writePattern(String user, String vhost) {
        return expand(write, user, vhost);
    }

    public Pattern readPattern(String user, String vhost) {
        return expand(read, user, vhost);
    }

    private static Pattern expand(String pattern, String user, String vhost) {
        String p = pattern.isEmpty() ? "^$" : pattern.replace("{username}", user).replace("{vhost}", vhost);
        try {
            return Regex.compile(p);
        } catch (PatternSyntaxException e) {
            return null; // a user name that breaks the pattern grants nothing
        }
    }
}
