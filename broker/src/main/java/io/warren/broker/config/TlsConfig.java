package io.warren.broker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The TLS listeners' settings: RabbitMQ's {@code listeners.ssl.default}, {@code ssl_options.*},
 * {@code ssl_cert_login_from} and {@code management.ssl} in one place. TLS is off until both a
 * certificate chain and a private key (PEM files) are given; then AMQPS listens on {@link #port}
 * beside the plain AMQP listener, and the HTTP API and metrics endpoint speak HTTPS on their own
 * ports when asked to.
 *
 * @param certificate the server's certificate chain (PEM), or null
 * @param key         its private key (PEM, PKCS#8, unencrypted), or null
 * @param caBundle    the CAs client certificates must chain to (PEM), or null
 * @param protocols   the TLS versions accepted, JDK names ("TLSv1.3", "TLSv1.2")
 * @param http        the HTTP API serves HTTPS
 * @param metrics     the metrics endpoint serves HTTPS
 */
public record TlsConfig(int port, Path certificate, Path key, Path caBundle, ClientCertificates verify,
                        List<String> protocols, boolean http, boolean metrics, CertLogin loginFrom) {

    public static final int DEFAULT_PORT = 5671;
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Whether clients must show a certificate: RabbitMQ's {@code verify_none}, {@code verify_peer}
     * with {@code fail_if_no_peer_cert = false}, and with it true. A certificate shown is always
     * checked against the CA bundle: one that does not chain to it fails the handshake.
     */
    public enum ClientCertificates { NONE, OPTIONAL, REQUIRED }

    /** RabbitMQ's {@code ssl_cert_login_from}: the user name SASL EXTERNAL takes from the client certificate. */
    public enum CertLogin { DISTINGUISHED_NAME, COMMON_NAME }

    public TlsConfig {
        protocols = List.copyOf(protocols);
    }

    /** True when the certificate and key are given, so the TLS listeners can start. */
    public boolean enabled() {
        return certificate != null && key != null;
    }

    /** Mutable, filled by {@link ConfigParser} or a test; {@link #build} checks the combination. */
    public static final class Builder {
        public int port = DEFAULT_PORT;
        public Path certificate;
        public Path key;
        public Path caBundle;
        public ClientCertificates verify = ClientCertificates.NONE;
        public List<String> protocols = DEFAULT_PROTOCOLS;
        public boolean http;
        public boolean metrics;
        public CertLogin loginFrom = CertLogin.DISTINGUISHED_NAME;

        Builder() {}

        Builder(TlsConfig c) {
            port = c.port;
            certificate = c.certificate;
            key = c.key;
            caBundle = c.caBundle;
            verify = c.verify;
            protocols = c.protocols;
            http = c.http;
            metrics = c.metrics;
            loginFrom = c.loginFrom;
        }

        /** Throws {@link ConfigParser.ConfigException} for a combination that cannot work. */
        public TlsConfig build() {
            if ((certificate == null) != (key == null)) {
                throw new ConfigParser.ConfigException(certificate == null
                        ? "--tls-key needs --tls-cert (the certificate chain, PEM)"
                        : "--tls-cert needs --tls-key (the private key, PEM)");
            }
            boolean on = certificate != null;
            if (!on && (http || metrics || verify != ClientCertificates.NONE)) {
                throw new ConfigParser.ConfigException((http ? "--http-tls" : metrics ? "--metrics-tls" : "--tls-verify")
                        + " needs --tls-cert and --tls-key");
            }
            if (verify != ClientCertificates.NONE && caBundle == null) {
                throw new ConfigParser.ConfigException("--tls-verify " + verify.name().toLowerCase(java.util.Locale.ROOT)
                        + " needs --tls-ca (the CAs client certificates must chain to, PEM)");
            }
            if (protocols.isEmpty()) {
                throw new ConfigParser.ConfigException("--tls-versions needs at least one version");
            }
            return new TlsConfig(port, certificate, key, caBundle, verify, protocols, http, metrics, loginFrom);
        }
    }
}
