package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import com.rabbitmq.client.GetResponse;
import io.warren.broker.Broker;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.User;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS as RabbitMQ clients use it: AMQPS beside plain AMQP, with and without client certificates
 * (RabbitMQ's verify_peer and fail_if_no_peer_cert), SASL EXTERNAL with the certificate's
 * subject as the user name, TLS 1.2 and 1.3 only, HTTPS for the API and metrics, a renewed
 * certificate used without a restart, and pika over TLS. Warren-only: the reference broker the
 * suite runs against has no TLS listener (its behaviour was checked by hand against a RabbitMQ
 * 3.10.8 with rabbitmq_auth_mechanism_ssl: the mechanisms offered, the user name taken from the
 * certificate, the refusals).
 */
@WarrenOnly
class TlsTest extends CompatTest {

    private static final String PYTHON = "/usr/bin/python3";

    private static TestCertificates certs;
    /** Client certificates optional (verify_peer, fail_if_no_peer_cert = false); HTTPS API and metrics. */
    private static Broker optional;
    /** Client certificates required (fail_if_no_peer_cert = true); EXTERNAL takes the common name. */
    private static Broker required;

    @BeforeAll
    static void startBrokers() throws Exception {
        ExternalClient.assumeInstalled(TestCertificates.opensslAvailable(), "no openssl command to make test certificates");
        certs = TestCertificates.create();
        BrokerConfig.Builder a = BrokerConfig.builder().ephemeral().httpPort(0).metricsPort(0);
        tls(a, TlsConfig.ClientCertificates.OPTIONAL);
        a.tls.http = true;
        a.tls.metrics = true;
        optional = BrokerUnderTest.startWarren(a);
        BrokerConfig.Builder b = BrokerConfig.builder().ephemeral();
        tls(b, TlsConfig.ClientCertificates.REQUIRED);
        b.tls.loginFrom = TlsConfig.CertLogin.COMMON_NAME;
        required = BrokerUnderTest.startWarren(b);
    }

    private static void tls(BrokerConfig.Builder b, TlsConfig.ClientCertificates verify) {
        b.tls.port = 0;
        b.tls.certificate = certs.serverCert();
        b.tls.key = certs.serverKey();
        b.tls.caBundle = certs.ca();
        b.tls.verify = verify;
    }

    @AfterAll
    static void stopBrokers() {
        for (Broker b : new Broker[] {optional, required}) {
            if (b != null) {
                b.close();
            }
        }
        if (certs != null) {
            certs.close();
        }
    }

    private static ConnectionFactory tlsFactory(Broker broker, SSLContext context) {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setHost("localhost");
        f.setPort(broker.tlsPort());
        f.useSslProtocol(context);
        f.enableHostnameVerification();
        return f;
    }

    private static User passwordless(String name) {
        return new User(name, null, Set.of(), Map.of("/", Permission.ALL));
    }

    /** Publishes one message through {@code c} and gets it back: the connection really works. */
    private static void roundTrip(Connection c) throws IOException {
        Channel ch = c.createChannel();
        String q = ch.queueDeclare().getQueue();
        ch.basicPublish("", q, null, "over tls".getBytes(StandardCharsets.UTF_8));
        GetResponse got = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got == null && System.nanoTime() < deadline) {
            got = ch.basicGet(q, true);
        }
        assertEquals("over tls", got == null ? null : new String(got.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void plainLoginOverTlsWithoutAClientCertificate() throws Exception {
        try (Connection c = tlsFactory(optional, certs.clientContext()).newConnection()) {
            roundTrip(c);
        }
        // the plain listener is still there beside it
        ConnectionFactory plain = BrokerUnderTest.factory();
        plain.setPort(optional.amqpPort());
        try (Connection c = plain.newConnection()) {
            roundTrip(c);
        }
    }

    @Test
    void wrongPasswordOverTlsIsRefusedAsOnThePlainPort() {
        ConnectionFactory f = tlsFactory(optional, certs.clientContext());
        f.setPassword("not-the-password");
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().contains("Login was refused using authentication mechanism PLAIN"), e.getMessage());
    }

    @Test
    void connectionStartOffersExternalOnTlsConnectionsOnly() throws Exception {
        // RabbitMQ with rabbitmq_auth_mechanism_ssl offers EXTERNAL on every TLS connection,
        // whether or not the client showed a certificate, and never on a plain one
        try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("localhost",
                optional.tlsPort())) {
            assertTrue(mechanismsFrom(s).contains(longString("PLAIN AMQPLAIN EXTERNAL")));
        }
        try (Socket s = new Socket("localhost", optional.amqpPort())) {
            assertTrue(mechanismsFrom(s).contains(longString("PLAIN AMQPLAIN") + "\0"));
        }
    }

    /** The start of connection.start after the protocol header, as text (field tables included). */
    private static String mechanismsFrom(Socket s) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write(RawConnection.PROTOCOL_HEADER);
        s.getOutputStream().flush();
        byte[] buf = new byte[8192];
        InputStream in = s.getInputStream();
        int n = 0;
        while (n < 7 || n < 7 + frameSize(buf) + 1) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static int frameSize(byte[] frame) {
        return ((frame[3] & 0xff) << 24) | ((frame[4] & 0xff) << 16) | ((frame[5] & 0xff) << 8) | (frame[6] & 0xff);
    }

    /** A long string as on the wire: four length bytes, then the text. */
    private static String longString(String s) {
        int n = s.length();
        return new String(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n},
                StandardCharsets.ISO_8859_1) + s;
    }

    @Test
    void externalLogsInTheUserNamedByTheCertificatesDistinguishedName() throws Exception {
        ConnectionFactory f = tlsFactory(optional, certs.clientContext("client"));
        f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        // no such user yet: refused as RabbitMQ refuses it
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().contains("Login was refused using authentication mechanism EXTERNAL"), e.getMessage());
        // a user without a password, named as RabbitMQ names the certificate's subject
        optional.users().put(passwordless(TestCertificates.CLIENT_DN));
        try (Connection c = f.newConnection()) {
            roundTrip(c);
            // the HTTP API shows the connection as RabbitMQ's management plugin does
            String connections = https("/api/connections").body();
            String escapedDn = TestCertificates.CLIENT_DN.replace("\\", "\\\\");
            assertTrue(connections.contains("\"user\":\"" + escapedDn + "\""), connections);
            assertTrue(connections.contains("\"auth_mechanism\":\"EXTERNAL\""), connections);
            assertTrue(connections.contains("\"ssl\":true"), connections);
            assertTrue(connections.contains("\"ssl_protocol\":\"tlsv1.3\""), connections);
            assertTrue(connections.contains("\"peer_cert_subject\":\"" + escapedDn + "\""), connections);
            assertTrue(connections.contains("\"peer_cert_issuer\":\"CN=Warren Test CA\""), connections);
        } finally {
            optional.users().remove(TestCertificates.CLIENT_DN);
        }
    }

    @Test
    void externalWithoutAClientCertificateIsRefused() {
        ConnectionFactory f = tlsFactory(optional, certs.clientContext());
        f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        AuthenticationFailureException e = assertThrows(AuthenticationFailureException.class, f::newConnection);
        assertTrue(e.getMessage().contains("ACCESS_REFUSED - Login was refused using authentication mechanism EXTERNAL"),
                e.getMessage());
    }

    @Test
    void externalIsNotOfferedOnThePlainPort() {
        ConnectionFactory f = BrokerUnderTest.factory();
        f.setPort(optional.amqpPort());
        f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        IOException e = assertThrows(IOException.class, f::newConnection);
        assertTrue(String.valueOf(e.getMessage()).contains("No compatible authentication mechanism found"),
                String.valueOf(e.getMessage()));
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() {
        // even where certificates are optional: one shown must chain to the CA bundle
        ConnectionFactory f = tlsFactory(optional, certs.clientContext("rogue-client"));
        f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
        assertThrows(IOException.class, f::newConnection);
        f.setSaslConfig(DefaultSaslConfig.PLAIN);
        assertThrows(IOException.class, f::newConnection);
    }

    @Test
    void requiredClientCertificate() throws Exception {
        // no certificate: the TLS handshake fails, nothing of AMQP happens
        assertThrows(IOException.class, tlsFactory(required, certs.clientContext())::newConnection);
        assertThrows(IOException.class, tlsFactory(required, certs.clientContext("rogue-client"))::newConnection);
        // with one: PLAIN as usual, and EXTERNAL as the certificate's common name (ssl_cert_login_from = common_name)
        try (Connection c = tlsFactory(required, certs.clientContext("client")).newConnection()) {
            roundTrip(c);
        }
        required.users().put(passwordless(TestCertificates.CLIENT_CN));
        try {
            ConnectionFactory f = tlsFactory(required, certs.clientContext("client"));
            f.setSaslConfig(DefaultSaslConfig.EXTERNAL);
            try (Connection c = f.newConnection()) {
                roundTrip(c);
            }
        } finally {
            required.users().remove(TestCertificates.CLIENT_CN);
        }
    }

    @Test
    void tls12And13AreAcceptedOlderVersionsAreNot() throws Exception {
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket s = (SSLSocket) certs.clientContext(null, version).getSocketFactory()
                    .createSocket("localhost", optional.tlsPort())) {
                s.setEnabledProtocols(new String[] {version});
                s.startHandshake();
                assertEquals(version, s.getSession().getProtocol());
            }
        }
        // The JDK's own client will not even offer TLS 1.1; OpenSSL will, when told to, and the
        // broker's answer is a protocol_version alert
        String out = certs.opensslOutput("s_client", "-connect", "127.0.0.1:" + optional.tlsPort(), "-tls1_1",
                "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", certs.ca().toString());
        assertTrue(out.contains("alert protocol version"), out);
    }

    @Test
    void aPlainClientOnTheTlsPortIsDisconnected() throws Exception {
        try (Socket s = new Socket("localhost", optional.tlsPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(RawConnection.PROTOCOL_HEADER);
            s.getOutputStream().flush();
            try {
                assertEquals(-1, s.getInputStream().read(new byte[64]) > 0 ? drain(s.getInputStream()) : -1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the broker kept a plain client on the TLS port", e);
            } catch (IOException reset) {
                // connection reset: disconnected as well
            }
        }
    }

    private static int drain(InputStream in) throws IOException {
        byte[] buf = new byte[256];
        int r;
        while ((r = in.read(buf)) > 0) {
            // whatever the TLS layer answered (an alert) before closing
        }
        return r;
    }

    private static HttpResponse<String> https(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + optional.httpPort() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpApiAndMetricsServeHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> overview = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + optional.httpPort() + "/api/overview"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, overview.statusCode(), overview.body());
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + optional.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("rabbitmq_connections"), metrics.body());
        // and no plain HTTP on those ports
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + optional.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aRenewedCertificateIsUsedWithoutARestart() throws Exception {
        try (TestCertificates own = TestCertificates.create();
             Broker broker = BrokerUnderTest.startWarren(renewable(own))) {
            BigInteger before = serverSerial(own, broker);
            own.renewServerCertificate();
            eventually("the renewed certificate in use", () -> !serverSerial(own, broker).equals(before));
            try (Connection c = tlsFactory(broker, own.clientContext()).newConnection()) {
                roundTrip(c);
            }
            // files that cannot be used (a key that does not match) leave the last good ones in use
            BigInteger renewed = serverSerial(own, broker);
            java.nio.file.Files.writeString(own.serverKey(), "not a key");
            assertEquals(renewed, serverSerial(own, broker));
        }
    }

    private static BrokerConfig.Builder renewable(TestCertificates own) {
        BrokerConfig.Builder b = BrokerConfig.builder().ephemeral();
        b.tls.port = 0;
        b.tls.certificate = own.serverCert();
        b.tls.key = own.serverKey();
        return b;
    }

    private static BigInteger serverSerial(TestCertificates c, Broker broker) throws IOException {
        try (SSLSocket s = (SSLSocket) c.clientContext().getSocketFactory().createSocket("localhost", broker.tlsPort())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void pikaOverTls() throws Exception {
        ExternalClient.assumeInstalled(ExternalClient.succeeds(PYTHON, "-c", "import pika"),
                PYTHON + " cannot import pika (apt-get install python3-pika)");
        String q = name("pika-tls");
        optional.users().put(passwordless(TestCertificates.CLIENT_DN));
        try {
            for (String mode : new String[] {"plain", "external"}) {
                try (ExternalClient pika = ExternalClient.start(PYTHON, "python/tls_roundtrip.py",
                        String.valueOf(optional.tlsPort()), certs.ca().toString(), certs.clientCert().toString(),
                        certs.clientKey().toString(), mode, q + "-" + mode)) {
                    assertEquals("connected", pika.nextLine());
                    assertEquals("got hello over tls", pika.nextLine());
                    pika.assertSucceeds();
                }
            }
        } finally {
            optional.users().remove(TestCertificates.CLIENT_DN);
        }
        assertNotEquals(-1, optional.tlsPort());
    }
}
