package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted password hash in RabbitMQ's layout (4 random salt bytes, then hash(salt + password)),
 * base64-encoded, with the algorithm that made it, so definitions move between the two brokers
 * and imported users keep their passwords. An empty hash is a user without a password (RabbitMQ
 * writes {@code "password_hash":""}): no password logs it in.
 */
public record PasswordHash(HashingAlgorithm algorithm, byte[] saltAndHash) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 4;

    public PasswordHash {
        saltAndHash = saltAndHash.clone();
    }

    /** A new salted hash of {@code password} with RabbitMQ's default algorithm (SHA-256). */
    public static PasswordHash of(String password) {
        return of(password, HashingAlgorithm.DEFAULT);
    }

    public static PasswordHash of(String password, HashingAlgorithm algorithm) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(algorithm, concat(salt, hash(algorithm, salt, password)));
    }

    /** No password: the user logs in only by other means (a client certificate). */
    public static PasswordHash none(HashingAlgorithm algorithm) {
        return new PasswordHash(algorithm, new byte[0]);
    }

    /** A SHA-256 hash as RabbitMQ exports it. */
    public static PasswordHash fromBase64(String encoded) {
        return fromBase64(encoded, HashingAlgorithm.DEFAULT);
    }

    /**
     * A hash as RabbitMQ exports it; "" is no password.
     *
     * @throws IllegalArgumentException when {@code encoded} is not base64 (RabbitMQ: "not_base64")
     */
    public static PasswordHash fromBase64(String encoded, HashingAlgorithm algorithm) {
        if (encoded.length() % 4 != 0) {
            throw new IllegalArgumentException("not base64: " + encoded);
        }
        return new PasswordHash(algorithm, Base64.getDecoder().decode(encoded));
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(saltAndHash);
    }

    public boolean isEmpty() {
        return saltAndHash.length == 0;
    }

    /**
     * Whether {@code candidate} is the password. A blank one never is: RabbitMQ's internal
     * backend refuses blank passwords whatever is stored.
     */
    public boolean matches(String candidate) {
        if (saltAndHash.length <= SALT_BYTES || candidate == null || candidate.isEmpty()) {
            return false;
        }
        byte[] salt = Arrays.copyOf(saltAndHash, SALT_BYTES);
        byte[] expected = Arrays.copyOfRange(saltAndHash, SALT_BYTES, saltAndHash.length);
        return MessageDigest.isEqual(expected, hash(algorithm, salt, candidate));
    }

    private static byte[] hash(HashingAlgorithm algorithm, byte[] salt, String password) {
        MessageDigest md = algorithm.digest();
        md.update(salt);
        md.update(password.getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.algorithm == algorithm && Arrays.equals(p.saltAndHash, saltAndHash);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(saltAndHash);
    }

    @Override
    public String toString() {
        return "PasswordHash[" + algorithm.rabbitName() + "]";
    }
}
