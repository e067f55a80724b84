package io.warren.broker.auth;

import java.nio.charset.StandardCharsets;

/**
 * The SASL mechanisms Warren offers in connection.start, as RabbitMQ does: PLAIN
 * ({@code \0user\0password}) and AMQPLAIN (a field table with LOGIN and PASSWORD, which the
 * connection decodes with the codec and hands over as strings); on TLS connections also
 * EXTERNAL (the user named by the client certificate, see {@link CertificateLogin}), as
 * RabbitMQ with its {@code rabbitmq_auth_mechanism_ssl} plugin offers it on every TLS connection,
 * whether or not the client showed a certificate.
 */
public enum SaslMechanism {
    PLAIN,
    AMQPLAIN,
    EXTERNAL;

    /** What connection.start advertises on a plain connection. */
    public static final String ADVERTISED = "PLAIN AMQPLAIN";
    /** What it advertises on a TLS connection. */
    public static final String ADVERTISED_OVER_TLS = "PLAIN AMQPLAIN EXTERNAL";

    /** Null for a mechanism we do not offer. */
    public static SaslMechanism of(String name) {
        for (SaslMechanism m : values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** Credentials from a PLAIN response, or null when it is malformed. */
    public static Credentials parsePlain(byte[] response) {
        String s = new String(response, StandardCharsets.UTF_8);
        int first = s.indexOf('\0');
        int second = first < 0 ? -1 : s.indexOf('\0', first + 1);
        if (first < 0 || second < 0) {
            return null;
        }
        return new Credentials(s.substring(first + 1, second), s.substring(second + 1));
    }

    public record Credentials(String user, String password) {}
}
