package io.warren.broker.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Topic permission patterns: RabbitMQ's variables and its PCRE braces. */
class TopicPermissionTest {

    private static boolean finds(Pattern p, String key) {
        return p.matcher(key).find();
    }

    @Test
    void usernameAndVhostAreReplacedAsText() {
        TopicPermission tp = new TopicPermission("amq.topic", "^{username}\\.{vhost}\\.", "^{username}$");

        Pattern write = tp.writePattern("alice", "prod");

        assertTrue(finds(write, "alice.prod.x"));
        assertFalse(finds(write, "bob.prod.x"));
        assertTrue(finds(tp.readPattern("alice", "prod"), "alice"));
    }

    @Test
    void clientIdStaysLiteralAndBracesThatAreNoQuantifierAreText() {
        TopicPermission tp = new TopicPermission("x", "^{client_id}\\.", "^a{2}$");

        assertTrue(finds(tp.writePattern("u", "/"), "{client_id}.k"));
        assertTrue(finds(tp.readPattern("u", "/"), "aa"));
        assertFalse(finds(tp.readPattern("u", "/"), "a{2}"));
    }

    @Test
    void anEmptyPatternIsOnlyTheEmptyKey() {
        TopicPermission tp = new TopicPermission("x", "", "");

        assertTrue(finds(tp.writePattern("u", "/"), ""));
        assertFalse(finds(tp.writePattern("u", "/"), "a"));
    }

    @Test
    void aUserNameThatBreaksThePatternGrantsNothing() {
        assertNull(new TopicPermission("x", "^{username}$", "").writePattern("a(b", "/"));
    }
}
