package io.warren.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RabbitMQ's password hashes, read as RabbitMQ 3.10.8 exported them. */
class PasswordHashTest {

    @Test
    void aSha256HashExportedByRabbitMqMatchesItsPassword() {
        PasswordHash h = PasswordHash.fromBase64("e0SGXuwdsD9c4iuJdAOPNeFq8bbTrrbavBATsBhToV411Twp");

        assertTrue(h.matches("fixture-app-pw"));
        assertFalse(h.matches("fixture-app-pW"));
    }

    @Test
    void aSha512HashMatchesItsPassword() {
        PasswordHash h = PasswordHash.fromBase64("AQIDBAJdfTHKXNftNIhNuXhsrSATQtnhoP+3wqrw/2VMeBdisthltj+9aY2e2fH5f68"
                + "+BtqVfC+ah7N9RQRxx7QPDgI=", HashingAlgorithm.SHA512);

        assertTrue(h.matches("fixture-sha512-pw"));
        assertFalse(h.matches("fixture-sha512-px"));
        // the same bytes read as SHA-256 are another hash
        assertFalse(new PasswordHash(HashingAlgorithm.SHA256, h.saltAndHash()).matches("fixture-sha512-pw"));
    }

    @Test
    void newHashesUseTheAlgorithmAskedForWithAFourByteSalt() {
        for (HashingAlgorithm a : HashingAlgorithm.values()) {
            PasswordHash h = PasswordHash.of("pw", a);
            assertTrue(h.matches("pw"), a::toString);
            assertEquals(a, HashingAlgorithm.of(a.rabbitName()));
        }
        assertEquals(4 + 32, PasswordHash.of("pw").saltAndHash().length);
        assertEquals(4 + 64, PasswordHash.of("pw", HashingAlgorithm.SHA512).saltAndHash().length);
    }

    @Test
    void noPasswordAndBlankPasswordsNeverLogIn() {
        PasswordHash none = PasswordHash.fromBase64("", HashingAlgorithm.SHA512);

        assertTrue(none.isEmpty());
        assertEquals("", none.toBase64());
        assertFalse(none.matches(""));
        assertFalse(none.matches("anything"));
        // RabbitMQ's internal backend refuses a blank password even when it is the one hashed
        assertFalse(PasswordHash.of("").matches(""));
    }

    @Test
    void notBase64IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.fromBase64("abc"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.fromBase64("not base64!"));
    }
}
