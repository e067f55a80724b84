package io.warren.broker.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RabbitMQ's password hashing modules, by the names its definitions and HTTP API use for
 * {@code hashing_algorithm}: each hashes the salt followed by the password's UTF-8 bytes.
 */
public enum HashingAlgorithm {
    SHA256("rabbit_password_hashing_sha256", "SHA-256"),
    SHA512("rabbit_password_hashing_sha512", "SHA-512"),
    /** RabbitMQ's legacy one, still read from old definitions. */
    MD5("rabbit_password_hashing_md5", "MD5");

    /** RabbitMQ's default for new passwords. */
    public static final HashingAlgorithm DEFAULT = SHA256;

    private final String rabbitName;
    private final String jdkName;

    HashingAlgorithm(String rabbitName, String jdkName) {
        this.rabbitName = rabbitName;
        this.jdkName = jdkName;
    }

    /** The name in definitions and the HTTP API, e.g. {@code rabbit_password_hashing_sha256}. */
    public String rabbitName() {
        return rabbitName;
    }

    /** Null when RabbitMQ has no module of that name. */
    public static HashingAlgorithm of(String rabbitName) {
        for (HashingAlgorithm a : values()) {
            if (a.rabbitName.equals(rabbitName)) {
                return a;
            }
        }
        return null;
    }

    MessageDigest digest() {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is part of every JDK", e);
        }
    }
}
