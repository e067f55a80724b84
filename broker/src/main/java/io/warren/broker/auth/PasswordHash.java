package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A salted SHA-256 password hash in RabbitMQ's layout (4 random salt bytes, then
 * SHA-256(salt + password)), base64-encoded, so definitions can move between the two brokers.
 */
public record PasswordHash(byte[] saltAndHash) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static PasswordHash of(String password) {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        return new PasswordHash(concat(salt, sha256(salt, password)));
    }

    public static PasswordHash fromBase64(String encoded) {
        return new PasswordHash(Base64.getDecoder().decode(encoded));
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(saltAndHash);
    }

    public boolean matches(String candidate) {
        if (saltAndHash.length < 5) {
            return false;
        }
        byte[] salt = java.util.Arrays.copyOf(saltAndHash, 4);
        byte[] expected = java.util.Arrays.copyOfRange(saltAndHash, 4, saltAndHash.length);
        return MessageDigest.isEqual(expected, sha256(salt, candidate));
    }

    private static byte[] sha256(byte[] salt, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
