package io.warren.broker.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.warren.broker.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS for every listener that speaks it (AMQPS, HTTPS API, HTTPS metrics):
 * the certificate chain, key and CA bundle read from their PEM files, and a new
 * {@link SslHandler} for each accepted socket.
 *
 * <p>Certificates are reloaded without a restart: before each new connection the files'
 * modification times are compared with those of the files in use (three stat calls, nothing
 * beside a TLS handshake's cost), and when one changed the files are read again. Connections
 * already open keep the certificate they were opened with. Files that do not read as a valid
 * chain and key (half-written, mismatched) leave the previous ones in use, with a warning, until
 * they are fixed.
 *
 * <p>Concurrency: any thread; a reload is done by one of them while the others keep using the
 * previous context.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsConfig config;
    private volatile Loaded current;
    /** The stamp of files that failed to load, so a bad file is reported once, not per connection. */
    private volatile List<FileTime> rejected;

    private record Loaded(SslContext context, List<FileTime> stamp) {}

    /** Reads the files now: a start with unreadable certificates fails with {@link TlsSetupException}. */
    public ServerTls(TlsConfig config) {
        this.config = Objects.requireNonNull(config);
        List<FileTime> stamp = stamp();
        try {
            this.current = new Loaded(load(), stamp);
        } catch (SSLException | RuntimeException e) {
            throw new TlsSetupException("cannot use the TLS certificate " + config.certificate() + " and key "
                    + config.key() + (config.caBundle() == null ? "" : " with CA bundle " + config.caBundle())
                    + ": " + rootMessage(e) + keyFormatHint(config.key()), e);
        }
    }

    /** A TLS handler for a socket just accepted, with the certificates as they are on disk now. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return context().newHandler(alloc);
    }

    /** The context for a new connection, reloaded first if the files changed. */
    SslContext context() {
        Loaded loaded = current;
        List<FileTime> stamp = stamp();
        if (stamp.equals(loaded.stamp) || stamp.equals(rejected)) {
            return loaded.context;
        }
        synchronized (this) {
            loaded = current;
            if (stamp.equals(loaded.stamp)) {
                return loaded.context;
            }
            try {
                current = new Loaded(load(), stamp);
                LOG.info("TLS certificate reloaded from {} (the files changed); new connections use it",
                        config.certificate());
            } catch (SSLException | RuntimeException e) {
                rejected = stamp;
                LOG.warn("TLS certificate files changed but cannot be used ({}{}); still using the previous ones",
                        rootMessage(e), keyFormatHint(config.key()));
            }
            return current.context;
        }
    }

    private SslContext load() throws SSLException {
        SslContextBuilder builder = SslContextBuilder
                .forServer(config.certificate().toFile(), config.key().toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(config.protocols());
        if (config.caBundle() != null) {
            builder.trustManager(config.caBundle().toFile());
        }
        builder.clientAuth(switch (config.verify()) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRED -> ClientAuth.REQUIRE;
        });
        return builder.build();
    }

    /** The files' modification times (null for a missing file), in a fixed order. */
    private List<FileTime> stamp() {
        List<FileTime> times = new ArrayList<>(3);
        for (Path p : new Path[] {config.certificate(), config.key(), config.caBundle()}) {
            times.add(p == null ? null : modified(p));
        }
        return times;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** What to do about a key in a format the JDK cannot read (OpenSSL's older PEM forms), or "". */
    static String keyFormatHint(Path key) {
        String text;
        try {
            text = Files.readString(key, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return "; the key is in PKCS#1/SEC1 form, and Warren reads PKCS#8: convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem'";
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return "; the key is encrypted, and Warren takes no key password: decrypt it with"
                    + " 'openssl pkcs8 -in " + key + " -out key-plain.pem' (and keep that file private)";
        }
        return "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    /** The TLS files cannot be used; the message names them and says why, for the operator. */
    public static final class TlsSetupException extends RuntimeException {
        TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
