package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.TlsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/health/checks/certificate-expiration/{n}/{unit}} against the certificate the TLS
 * listeners serve: the test certificates are valid for two days, so they pass a one-day check
 * and fail a one-week one (RabbitMQ's 503 with the listeners whose certificate expires).
 */
@WarrenOnly // the reference RabbitMQ has no TLS listener configured
class HttpCertificateExpirationTest {

    @Test
    void aCertificateExpiringWithinThePeriodFailsTheCheck() throws Exception {
        ExternalClient.assumeInstalled(TestCertificates.opensslAvailable(), "no openssl command to make test certificates");
        try (TestCertificates certs = TestCertificates.create()) {
            BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().httpPort(0);
            config.tls.port = 0;
            config.tls.certificate = certs.serverCert();
            config.tls.key = certs.serverKey();
            config.tls.caBundle = certs.ca();
            config.tls.verify = TlsConfig.ClientCertificates.NONE;
            try (Broker broker = BrokerUnderTest.startWarren(config)) {
                ManagementApi api = ManagementApi.at("http://localhost:" + broker.httpPort());

                ManagementApi.Response day = api.get("/api/health/checks/certificate-expiration/1/days");
                assertEquals(200, day.status(), day::toString);
                assertEquals("{\"status\":\"ok\"}", day.body());

                ManagementApi.Response week = api.get("/api/health/checks/certificate-expiration/1/weeks");
                assertEquals(503, week.status(), week::toString);
                Map<String, Object> body = week.object();
                assertEquals("failed", body.get("status"));
                assertEquals("Certificates expiring", body.get("reason"));
                List<?> expired = (List<?>) body.get("expired");
                assertEquals(1, expired.size(), week::toString);
                Map<?, ?> listener = (Map<?, ?>) expired.get(0);
                assertEquals("amqp/ssl", listener.get("protocol"));
                assertEquals((long) broker.tlsPort(), listener.get("port"));
                assertEquals(certs.serverCert().toString(), listener.get("certfile"));
            }
        }
    }
}
