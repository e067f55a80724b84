package io.warren.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the {@code openssl} command (on every CI machine; the
 * tests that need it are skipped without it, or fail under {@code -Dcompat.requireExternalClients=true}):
 * a test CA, a server certificate for localhost / 127.0.0.1 signed by it, a client certificate
 * signed by it, and a client certificate signed by another CA the broker does not trust. EC P-256
 * keys: made in milliseconds, and read by the JDK, OpenSSL and Python alike.
 */
final class TestCertificates implements AutoCloseable {

    static final String PASSWORD = "changeit";
    /**
     * The client certificate's subject, with characters RFC 4514 escapes; as RabbitMQ (3.10) names
     * it for SASL EXTERNAL, {@link #CLIENT_DN}.
     */
    static final String CLIENT_SUBJECT = "/CN=warren-tls-client/O=Warren Tests/OU=a\\+b\\, c";
    static final String CLIENT_DN = "OU=a\\+b\\, c,O=Warren Tests,CN=warren-tls-client";
    static final String CLIENT_CN = "warren-tls-client";

    final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    static boolean opensslAvailable() {
        return ExternalClient.succeeds("openssl", "version");
    }

    /** Makes the CA, server and client certificates in a new temporary directory. */
    static TestCertificates create() throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(Files.createTempDirectory("warren-tls-"));
        c.makeCa("ca", "/CN=Warren Test CA");
        c.makeCa("rogue-ca", "/CN=Somebody Else's CA");
        c.makeSigned("server", "/CN=localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        c.makeSigned("client", CLIENT_SUBJECT, "ca", "extendedKeyUsage=clientAuth\n");
        c.makeSigned("rogue-client", "/CN=" + CLIENT_CN, "rogue-ca", "extendedKeyUsage=clientAuth\n");
        return c;
    }

    /** Deletes the directory and everything in it. */
    @Override
    public void close() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory left behind
        }
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    Path serverCert() {
        return dir.resolve("server.pem");
    }

    Path serverKey() {
        return dir.resolve("server.key");
    }

    Path clientCert() {
        return dir.resolve("client.pem");
    }

    Path clientKey() {
        return dir.resolve("client.key");
    }

    /** A new server certificate (another serial number) in place of the one in use, as an operator renews it. */
    void renewServerCertificate() throws IOException, InterruptedException {
        makeSigned("server", "/CN=localhost", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    }

    /** A client context that trusts the test CA and shows no certificate. */
    SSLContext clientContext() {
        return clientContext(null);
    }

    /**
     * A client context that trusts the test CA and shows the certificate {@code name}
     * ("client", "rogue-client") when not null.
     */
    SSLContext clientContext(String name) {
        return clientContext(name, "TLS");
    }

    /** Likewise, limited to {@code protocol} ("TLSv1.2", "TLSv1.3"). */
    SSLContext clientContext(String name, String protocol) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(ca())) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (name != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
                    keys.load(in, PASSWORD.toCharArray());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(kmf == null ? null : new KeyManager[] {new AlwaysShown((X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
                    tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shows the client certificate whatever CAs the server asks for, as OpenSSL and pika do: the
     * JDK's own key manager would rather show none than one from a CA the server did not name,
     * and a test of an untrusted certificate needs it shown.
     */
    private static final class AlwaysShown extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        private final String alias;

        AlwaysShown(X509ExtendedKeyManager keys) {
            this.keys = keys;
            this.alias = keys.getClientAliases("EC", null)[0];
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    private void makeCa(String name, String subject) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-subj", subject, "-days", "2");
    }

    private void makeSigned(String name, String subject, String ca, String extensions)
            throws IOException, InterruptedException {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
        openssl("pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key", "-out", name + ".p12",
                "-passout", "pass:" + PASSWORD);
    }

    /** Runs openssl in the directory; fails with its output when it does not exit 0. */
    String openssl(String... args) throws IOException, InterruptedException {
        return openssl(true, args);
    }

    /** Runs openssl in the directory and answers its output (stdout and stderr). */
    String opensslOutput(String... args) throws IOException, InterruptedException {
        return openssl(false, args);
    }

    private String openssl(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || (mustSucceed && p.exitValue() != 0)) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
