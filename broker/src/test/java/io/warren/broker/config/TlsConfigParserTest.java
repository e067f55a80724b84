package io.warren.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsConfigParserTest {

    @Test
    void tlsIsOffUntilACertificateAndKeyAreGiven() {
        TlsConfig tls = ConfigParser.parse(new String[0], Map.of()).tls();
        assertFalse(tls.enabled());
        assertEquals(5671, tls.port());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        assertEquals(TlsConfig.ClientCertificates.NONE, tls.verify());
        assertEquals(TlsConfig.CertLogin.DISTINGUISHED_NAME, tls.loginFrom());
    }

    @Test
    void flagsAndEnvironment() {
        TlsConfig tls = ConfigParser.parse(new String[] {"--tls-cert", "/c.pem", "--tls-key=/k.pem", "--tls-verify",
                        "Required", "--http-tls", "--cert-login-from", "common_name", "--tls-versions", "tlsv1.2"},
                Map.of("WARREN_TLS_PORT", "5999", "WARREN_TLS_CA", "/ca.pem", "WARREN_METRICS_TLS", "yes")).tls();
        assertTrue(tls.enabled());
        assertEquals(5999, tls.port());
        assertEquals(Path.of("/c.pem"), tls.certificate());
        assertEquals(Path.of("/k.pem"), tls.key());
        assertEquals(Path.of("/ca.pem"), tls.caBundle());
        assertEquals(TlsConfig.ClientCertificates.REQUIRED, tls.verify());
        assertEquals(TlsConfig.CertLogin.COMMON_NAME, tls.loginFrom());
        assertEquals(List.of("TLSv1.2"), tls.protocols());
        assertTrue(tls.http());
        assertTrue(tls.metrics());
    }

    @Test
    void combinationsThatCannotWorkAreRefusedAtStart() {
        assertRefused("--tls-cert needs --tls-key", "--tls-cert", "/c.pem");
        assertRefused("--tls-key needs --tls-cert", "--tls-key", "/k.pem");
        assertRefused("--http-tls needs --tls-cert and --tls-key", "--http-tls");
        assertRefused("--tls-verify optional needs --tls-ca", "--tls-cert", "/c", "--tls-key", "/k", "--tls-verify", "optional");
        assertRefused("--tls-verify must be one of none, optional, required, got 'peer'", "--tls-verify", "peer");
        assertRefused("--tls-versions: unknown version 'SSLv3'", "--tls-versions", "TLSv1.2,SSLv3");
        assertRefused("--cert-login-from must be one of distinguished_name, common_name", "--cert-login-from", "dn");
    }

    private static void assertRefused(String message, String... args) {
        ConfigParser.ConfigException e = assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(args, Map.of()));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
