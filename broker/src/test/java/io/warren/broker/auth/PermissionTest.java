package io.warren.broker.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RabbitMQ's permission patterns (checked on 3.10): unanchored regular expressions. */
class PermissionTest {

    @Test
    void dotStarGrantsEveryNameEvenWithLineBreaks() {
        Permission all = Permission.ALL;
        assertTrue(all.canConfigure("orders"));
        assertTrue(all.canWrite("a\r\nb"));
        assertTrue(all.canRead("\n"));
    }

    @Test
    void aPatternGrantsNamesItMatchesAnywhere() {
        // RabbitMQ 3.10: configure "pp" lets user declare queue "xppx-perm", refuses "zz-perm".
        Permission p = Permission.of("pp", "^app-", "^app-.*$");
        assertTrue(p.canConfigure("xppx-perm"));
        assertFalse(p.canConfigure("zz-perm"));
        assertTrue(p.canWrite("app-orders"));
        assertFalse(p.canWrite("my-app-orders"));
        assertTrue(p.canRead("app-orders"));
        assertFalse(p.canRead("orders"));
    }

    @Test
    void anEmptyPatternGrantsNothing() {
        Permission none = Permission.of("", "", "");
        assertFalse(none.canConfigure("q"));
        assertFalse(none.canWrite(""));
        assertFalse(none.canRead("amq.default"));
    }
}
