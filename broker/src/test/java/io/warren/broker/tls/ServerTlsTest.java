package io.warren.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator is told when the TLS files cannot be used (the working paths are in compat-tests' TlsTest). */
class ServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void unusableFilesStopTheStartNamingThem() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        ServerTls.TlsSetupException e = assertThrows(ServerTls.TlsSetupException.class, () -> new ServerTls(
                new TlsConfig(0, cert, key, null, TlsConfig.ClientCertificates.NONE, TlsConfig.DEFAULT_PROTOCOLS,
                        false, false, TlsConfig.CertLogin.DISTINGUISHED_NAME)));
        assertTrue(e.getMessage().startsWith("cannot use the TLS certificate " + cert + " and key " + key + ": "),
                e.getMessage());
    }

    @Test
    void keysInFormsTheJdkCannotReadComeWithTheCommandThatConvertsThem() throws Exception {
        for (String form : List.of("RSA PRIVATE KEY", "EC PRIVATE KEY")) {
            Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN " + form + "-----\nAAAA\n");
            assertTrue(ServerTls.keyFormatHint(key).contains("openssl pkcs8 -topk8 -nocrypt -in " + key), form);
        }
        Path encrypted = Files.writeString(dir.resolve("e.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n");
        assertTrue(ServerTls.keyFormatHint(encrypted).contains("the key is encrypted"));
        Path pkcs8 = Files.writeString(dir.resolve("p.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertEquals("", ServerTls.keyFormatHint(pkcs8));
        assertEquals("", ServerTls.keyFormatHint(dir.resolve("missing.pem")));
    }
}
