package io.warren.broker.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the broker can be told at start. Immutable; built with {@link #builder()} by
 * {@link ConfigParser} from flags and environment variables, or directly by tests and embedders.
 *
 * <p>Port 0 means "pick a free port" (the broker reports the port it bound); a negative port
 * turns that listener off.
 *
 * <p>{@code givenFirstStartOptions} names the first-start options ({@code --default-user},
 * {@code --default-pass}, {@code --default-vhost}) the operator set, by flag or environment
 * variable: they only act on an empty data dir, and the broker warns when they cannot.
 */
public record BrokerConfig(
        String bindAddress,
        int amqpPort,
        int httpPort,
        int metricsPort,
        Path dataDir,
        boolean persistence,
        String defaultUser,
        String defaultPassword,
        String defaultVhost,
        boolean loopbackOnlyDefaultUser,
        int channelMax,
        int frameMax,
        int heartbeatSeconds,
        long maxMessageSize,
        int ioThreads,
        int queueMemoryMessages,
        long queueMemoryBytes,
        double memoryHighWatermark,
        List<String> givenFirstStartOptions,
        String logLevel,
        TlsConfig tls,
        int handshakeTimeoutMillis,
        int maxUnauthenticatedConnections,
        int connectionMax,
        long diskFreeLimitBytes,
        LogFormat logFormat,
        Path loadDefinitions) {

    /** How log records are written: one line of text each, or one JSON object per line. */
    public enum LogFormat { TEXT, JSON }

    public static final int DEFAULT_AMQP_PORT = 5672;
    public static final int DEFAULT_HTTP_PORT = 15672;
    public static final int DEFAULT_METRICS_PORT = 15692;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.amqpPort = amqpPort;
        b.httpPort = httpPort;
        b.metricsPort = metricsPort;
        b.dataDir = dataDir;
        b.persistence = persistence;
        b.defaultUser = defaultUser;
        b.defaultPassword = defaultPassword;
        b.defaultVhost = defaultVhost;
        b.loopbackOnlyDefaultUser = loopbackOnlyDefaultUser;
        b.channelMax = channelMax;
        b.frameMax = frameMax;
        b.heartbeatSeconds = heartbeatSeconds;
        b.maxMessageSize = maxMessageSize;
        b.ioThreads = ioThreads;
        b.queueMemoryMessages = queueMemoryMessages;
        b.queueMemoryBytes = queueMemoryBytes;
        b.memoryHighWatermark = memoryHighWatermark;
        b.givenFirstStartOptions = givenFirstStartOptions;
        b.logLevel = logLevel;
        b.tls = new TlsConfig.Builder(tls);
        b.handshakeTimeoutMillis = handshakeTimeoutMillis;
        b.maxUnauthenticatedConnections = maxUnauthenticatedConnections;
        b.connectionMax = connectionMax;
        b.diskFreeLimitBytes = diskFreeLimitBytes;
        b.logFormat = logFormat;
        b.loadDefinitions = loadDefinitions;
        return b;
    }

    /** Defaults are RabbitMQ's where RabbitMQ has one. */
    public static final class Builder {
        public String bindAddress = "0.0.0.0";
        public int amqpPort = DEFAULT_AMQP_PORT;
        public int httpPort = DEFAULT_HTTP_PORT;
        public int metricsPort = DEFAULT_METRICS_PORT;
        public Path dataDir = Path.of("data");
        public boolean persistence = true;
        public String defaultUser = "guest";
        public String defaultPassword = "guest";
        public String defaultVhost = "/";
        public boolean loopbackOnlyDefaultUser = true;
        public int channelMax = 2047;
        public int frameMax = 131072;
        public int heartbeatSeconds = 60;
        public long maxMessageSize = 134_217_728L;
        /**
         * Half the cores, at least one. Every hop between loops costs a wake-up (eventfd write,
         * epoll return, context switch); fewer loops mean more publisher, queue and consumer on
         * the same thread. The other half is left to the store writer, the GC and the JIT (and,
         * on a small shared machine, to the clients). Measured on 2 cores: one loop instead of two
         * cut broker CPU per transient message from 14.9 to 8.9 µs and per persistent one from
         * 78.6 to 63.4 µs, and no throughput scenario got slower.
         */
        public int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        /**
         * Ready messages (or body bytes) a queue keeps in memory before paging the rest to disk:
         * one message per 4 KiB of maximum heap (a message in memory costs a few hundred bytes)
         * and a sixteenth of the heap in bodies, never less than 50,000 and 32 MiB. The sum over
         * many queues is bounded separately: past half the memory watermark every queue pages.
         */
        public int queueMemoryMessages = (int) Math.min(Integer.MAX_VALUE,
                Math.max(50_000, Runtime.getRuntime().maxMemory() / 4096));
        public long queueMemoryBytes = Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 16);
        /** Live heap (after GC), as a fraction of the maximum, above which publishers are blocked. */
        public double memoryHighWatermark = 0.7;
        /** Which of the first-start options the operator set (see the record's doc). */
        public List<String> givenFirstStartOptions = List.of();
        /**
         * RabbitMQ's log level name (debug, info, warning, error, critical, none) for everything
         * the broker logs, and per category (see {@link LogLevels}); null keeps what the logging
         * configuration says (info by default).
         */
        public String logLevel;
        public LogFormat logFormat = LogFormat.TEXT;
        /** The TLS listeners (AMQPS, HTTPS); off until a certificate and key are given. */
        public TlsConfig.Builder tls = new TlsConfig.Builder();
        /** RabbitMQ's handshake_timeout: a socket that has not opened a connection by then is dropped. */
        public int handshakeTimeoutMillis = 10_000;
        /**
         * Sockets still in the handshake (not yet past connection.open) at which new ones are
         * closed at once: a flood of idle sockets cannot exhaust memory or descriptors before the
         * handshake timeout reaps them. 0: no limit. RabbitMQ has no such setting.
         */
        public int maxUnauthenticatedConnections = 1000;
        /** RabbitMQ's connection_max: open connections beyond it are refused at connection.open. 0: no limit. */
        public int connectionMax = 0;
        /**
         * RabbitMQ's disk_free_limit: below this many free bytes on the data dir's file system,
         * publishers are blocked (the disk alarm). RabbitMQ's default, 50 MB.
         */
        public long diskFreeLimitBytes = 50_000_000L;
        /**
         * RabbitMQ's load_definitions: a definitions file (its export format) imported at every
         * start, after recovery; null: none.
         */
        public Path loadDefinitions;

        private Builder() {}

        public Builder amqpPort(int port) { this.amqpPort = port; return this; }
        public Builder httpPort(int port) { this.httpPort = port; return this; }
        public Builder metricsPort(int port) { this.metricsPort = port; return this; }
        public Builder dataDir(Path dir) { this.dataDir = dir; this.persistence = true; return this; }
        public Builder persistence(boolean on) { this.persistence = on; return this; }
        public Builder loadDefinitions(Path file) { this.loadDefinitions = file; return this; }
        public Builder defaultUser(String user, String password) {
            this.defaultUser = user;
            this.defaultPassword = password;
            return this;
        }
        public Builder loopbackOnlyDefaultUser(boolean on) { this.loopbackOnlyDefaultUser = on; return this; }
        public Builder heartbeatSeconds(int seconds) { this.heartbeatSeconds = seconds; return this; }
        public Builder frameMax(int bytes) { this.frameMax = bytes; return this; }
        public Builder channelMax(int channels) { this.channelMax = channels; return this; }
        public Builder maxMessageSize(long bytes) { this.maxMessageSize = bytes; return this; }
        public Builder ioThreads(int threads) { this.ioThreads = threads; return this; }
        public Builder queueMemory(int messages, long bytes) {
            this.queueMemoryMessages = messages;
            this.queueMemoryBytes = bytes;
            return this;
        }

        /** A broker for tests: free AMQP port, no HTTP, no metrics, nothing on disk. */
        public Builder ephemeral() {
            amqpPort = 0;
            httpPort = -1;
            metricsPort = -1;
            persistence = false;
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(bindAddress, amqpPort, httpPort, metricsPort, dataDir, persistence,
                    defaultUser, defaultPassword, defaultVhost, loopbackOnlyDefaultUser, channelMax, frameMax,
                    heartbeatSeconds, maxMessageSize, ioThreads, queueMemoryMessages, queueMemoryBytes,
                    memoryHighWatermark, List.copyOf(givenFirstStartOptions), logLevel, tls.build(),
                    handshakeTimeoutMillis, maxUnauthenticatedConnections, connectionMax, diskFreeLimitBytes,
                    logFormat, loadDefinitions);
        }
    }
}
