package io.warren.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@link BrokerConfig} from command-line flags and environment variables. A flag wins over
 * its environment variable, which wins over the default. Each option is one row of
 * {@link #OPTIONS}, so {@code --help} cannot drift from what is parsed.
 */
public final class ConfigParser {

    /** Thrown for a bad flag or value; the message is meant for the person at the terminal. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private record Option(String flag, String env, String valueName, String help,
                          BiConsumer<BrokerConfig.Builder, String> apply) {}

    private static final List<Option> OPTIONS = List.of(
            new Option("--amqp-port", "WARREN_AMQP_PORT", "PORT",
                    "AMQP 0-9-1 listener port (default 5672; 0 picks a free port)",
                    (b, v) -> b.amqpPort = port(v)),
            new Option("--http-port", "WARREN_HTTP_PORT", "PORT",
                    "HTTP API port (default 15672; 0 picks a free port; -1 disables)",
                    (b, v) -> b.httpPort = port(v)),
            new Option("--metrics-port", "WARREN_METRICS_PORT", "PORT",
                    "Prometheus metrics port (default 15692; 0 picks a free port; -1 disables)",
                    (b, v) -> b.metricsPort = port(v)),
            new Option("--bind", "WARREN_BIND", "ADDRESS",
                    "address the listeners bind to (default 0.0.0.0)",
                    (b, v) -> b.bindAddress = v),
            new Option("--data-dir", "WARREN_DATA_DIR", "DIR",
                    "where durable queues and persistent messages live (default ./data)",
                    (b, v) -> b.dataDir = Path.of(v)),
            new Option("--load-definitions", "WARREN_LOAD_DEFINITIONS", "FILE",
                    "import this definitions file (RabbitMQ's export format) at every start, as RabbitMQ's"
                            + " load_definitions",
                    (b, v) -> b.loadDefinitions = Path.of(v)),
            new Option("--no-persistence", "WARREN_NO_PERSISTENCE", null,
                    "keep everything in memory; nothing is written to the data dir",
                    (b, v) -> b.persistence = !Boolean.parseBoolean(v)),
            new Option("--default-user", "WARREN_DEFAULT_USER", "NAME",
                    "user created at first start, on an empty data dir (default guest)",
                    (b, v) -> b.defaultUser = v),
            new Option("--default-pass", "WARREN_DEFAULT_PASS", "PASSWORD",
                    "that user's password (default guest)",
                    (b, v) -> b.defaultPassword = v),
            new Option("--default-vhost", "WARREN_DEFAULT_VHOST", "NAME",
                    "virtual host created at first start, on an empty data dir (default /)",
                    (b, v) -> b.defaultVhost = v),
            new Option("--allow-remote-default-user", "WARREN_ALLOW_REMOTE_DEFAULT_USER", null,
                    "let the default user log in from other hosts (RabbitMQ's loopback_users = none)",
                    (b, v) -> b.loopbackOnlyDefaultUser = !Boolean.parseBoolean(v)),
            new Option("--heartbeat", "WARREN_HEARTBEAT", "SECONDS",
                    "heartbeat interval proposed to clients (default 60; 0 disables)",
                    (b, v) -> b.heartbeatSeconds = integer(v, 0, 65535, "--heartbeat")),
            new Option("--frame-max", "WARREN_FRAME_MAX", "BYTES",
                    "largest frame accepted (default 131072)",
                    (b, v) -> b.frameMax = integer(v, 4096, Integer.MAX_VALUE, "--frame-max")),
            new Option("--channel-max", "WARREN_CHANNEL_MAX", "N",
                    "channels per connection (default 2047)",
                    (b, v) -> b.channelMax = integer(v, 1, 65535, "--channel-max")),
            new Option("--max-message-size", "WARREN_MAX_MESSAGE_SIZE", "BYTES",
                    "largest message body accepted (default 134217728)",
                    (b, v) -> b.maxMessageSize = integer(v, 1, Integer.MAX_VALUE, "--max-message-size")),
            new Option("--queue-memory-messages", "WARREN_QUEUE_MEMORY_MESSAGES", "N",
                    "ready messages a queue keeps in memory before paging to disk (default: max heap / 4 KiB, at least 50000)",
                    (b, v) -> b.queueMemoryMessages = integer(v, 1, Integer.MAX_VALUE, "--queue-memory-messages")),
            new Option("--queue-memory-bytes", "WARREN_QUEUE_MEMORY_BYTES", "BYTES",
                    "body bytes a queue keeps in memory before paging to disk (default: max heap / 16, at least 32 MiB)",
                    (b, v) -> b.queueMemoryBytes = integer(v, 1, Integer.MAX_VALUE, "--queue-memory-bytes")),
            new Option("--memory-high-watermark", "WARREN_MEMORY_HIGH_WATERMARK", "FRACTION",
                    "live heap fraction above which publishers are blocked (default 0.7)",
                    (b, v) -> b.memoryHighWatermark = fraction(v)),
            new Option("--io-threads", "WARREN_IO_THREADS", "N",
                    "event-loop threads (default: half the cores, at least 1)",
                    (b, v) -> b.ioThreads = integer(v, 1, 1024, "--io-threads")),
            new Option("--log-level", "WARREN_LOG_LEVEL", "LEVELS",
                    "debug, info, warning, error, critical or none (RabbitMQ's log.console.level; default info),"
                            + " and per category as RabbitMQ's log.<category>.level: e.g. info,connection=debug"
                            + " (categories connection, channel, queue, default, or a logger name)",
                    (b, v) -> b.logLevel = logLevel(v)),
            new Option("--log-format", "WARREN_LOG_FORMAT", "FORMAT",
                    "text (one line per record, default) or json (one JSON object per line)",
                    (b, v) -> b.logFormat = choice(v, "--log-format", BrokerConfig.LogFormat.class)),
            new Option("--tls-port", "WARREN_TLS_PORT", "PORT",
                    "AMQPS (AMQP over TLS) listener port (default 5671; 0 picks a free port; -1 disables); needs --tls-cert and --tls-key",
                    (b, v) -> b.tls.port = port(v)),
            new Option("--tls-cert", "WARREN_TLS_CERT", "FILE",
                    "the server's certificate chain, PEM (RabbitMQ's ssl_options.certfile); with --tls-key turns TLS on",
                    (b, v) -> b.tls.certificate = Path.of(v)),
            new Option("--tls-key", "WARREN_TLS_KEY", "FILE",
                    "the server's private key, PEM, PKCS#8, unencrypted (ssl_options.keyfile)",
                    (b, v) -> b.tls.key = Path.of(v)),
            new Option("--tls-ca", "WARREN_TLS_CA", "FILE",
                    "CA certificates client certificates must chain to, PEM (ssl_options.cacertfile)",
                    (b, v) -> b.tls.caBundle = Path.of(v)),
            new Option("--tls-verify", "WARREN_TLS_VERIFY", "MODE",
                    "client certificates: none, optional (checked when shown) or required (default none)",
                    (b, v) -> b.tls.verify = choice(v, "--tls-verify", TlsConfig.ClientCertificates.class)),
            new Option("--tls-versions", "WARREN_TLS_VERSIONS", "LIST",
                    "TLS versions accepted, comma-separated (default TLSv1.3,TLSv1.2)",
                    (b, v) -> b.tls.protocols = tlsVersions(v)),
            new Option("--http-tls", "WARREN_HTTP_TLS", null,
                    "serve the HTTP API over HTTPS on --http-port, with the TLS certificate (RabbitMQ's management.ssl)",
                    (b, v) -> b.tls.http = Boolean.parseBoolean(v)),
            new Option("--metrics-tls", "WARREN_METRICS_TLS", null,
                    "serve metrics over HTTPS on --metrics-port, with the TLS certificate",
                    (b, v) -> b.tls.metrics = Boolean.parseBoolean(v)),
            new Option("--cert-login-from", "WARREN_CERT_LOGIN_FROM", "FIELD",
                    "user name for SASL EXTERNAL: distinguished_name or common_name of the client certificate (RabbitMQ's ssl_cert_login_from; default distinguished_name)",
                    (b, v) -> b.tls.loginFrom = choice(v, "--cert-login-from", TlsConfig.CertLogin.class)),
            new Option("--handshake-timeout", "WARREN_HANDSHAKE_TIMEOUT", "MS",
                    "a socket that has not opened a connection in this time is closed (RabbitMQ's handshake_timeout; default 10000)",
                    (b, v) -> b.handshakeTimeoutMillis = integer(v, 1, Integer.MAX_VALUE, "--handshake-timeout")),
            new Option("--max-unauthenticated-connections", "WARREN_MAX_UNAUTHENTICATED_CONNECTIONS", "N",
                    "sockets not yet past connection.open at which new ones are closed at once (default 1000; 0: no limit)",
                    (b, v) -> b.maxUnauthenticatedConnections = integer(v, 0, Integer.MAX_VALUE, "--max-unauthenticated-connections")),
            new Option("--connection-max", "WARREN_CONNECTION_MAX", "N",
                    "open connections beyond which connection.open is refused (RabbitMQ's connection_max; default 0: no limit)",
                    (b, v) -> b.connectionMax = integer(v, 0, Integer.MAX_VALUE, "--connection-max")),
            new Option("--disk-free-limit", "WARREN_DISK_FREE_LIMIT", "BYTES",
                    "free space on the data dir's file system below which publishers are blocked (RabbitMQ's"
                            + " disk_free_limit: 50MB, 2GiB, or mem_relative:1.0 for a multiple of RAM; default 50MB)",
                    (b, v) -> b.diskFreeLimitBytes = DiskFreeLimit.parse(v)));

    /** Options that only act when the data dir is empty (see BrokerConfig#givenFirstStartOptions). */
    private static final Set<String> FIRST_START_ONLY = Set.of("--default-user", "--default-pass", "--default-vhost");

    private ConfigParser() {}

    /** True when the arguments ask for help rather than a broker. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** True when the arguments ask for the version rather than a broker. */
    public static boolean wantsVersion(String[] args) {
        for (String a : args) {
            if (a.equals("--version")) {
                return true;
            }
        }
        return false;
    }

    public static BrokerConfig parse(String[] args, Map<String, String> env) {
        BrokerConfig.Builder builder = BrokerConfig.builder();
        // flag -> how the operator gave it (the flag, or its variable when only that was set)
        Map<String, String> firstStartGiven = new HashMap<>();
        for (Option option : OPTIONS) {
            String value = env.get(option.env);
            if (value != null && !value.isEmpty()) {
                option.apply.accept(builder, option.valueName == null ? normaliseFlagValue(value) : value);
                if (FIRST_START_ONLY.contains(option.flag)) {
                    firstStartGiven.put(option.flag, option.env);
                }
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Option option = find(name);
            if (FIRST_START_ONLY.contains(option.flag)) {
                firstStartGiven.put(option.flag, option.flag);
            }
            if (option.valueName == null) {
                option.apply.accept(builder, value == null ? "true" : normaliseFlagValue(value));
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(name + " needs a value: " + name + " " + option.valueName);
                }
                value = args[++i];
            }
            option.apply.accept(builder, value);
        }
        List<String> given = new ArrayList<>();
        for (Option option : OPTIONS) {
            if (firstStartGiven.containsKey(option.flag)) {
                given.add(firstStartGiven.get(option.flag));
            }
        }
        builder.givenFirstStartOptions = given;
        return builder.build();
    }

    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar warren-broker.jar [options]\n\n");
        sb.append("Warren, an AMQP 0-9-1 broker for RabbitMQ clients. Every option can also be set\n");
        sb.append("by the environment variable shown; a flag wins over the variable.\n\n");
        for (Option o : OPTIONS) {
            String left = o.flag + (o.valueName == null ? "" : " " + o.valueName);
            sb.append(String.format("  %-32s %s%n  %-32s [env %s]%n", left, o.help, "", o.env));
        }
        sb.append(String.format("  %-32s %s%n", "--version", "print the version and exit"));
        sb.append(String.format("  %-32s %s%n", "--help", "print this and exit"));
        return sb.toString();
    }

    private static Option find(String flag) {
        for (Option o : OPTIONS) {
            if (o.flag.equals(flag)) {
                return o;
            }
        }
        throw new ConfigException("unknown option '" + flag + "' (try --help)");
    }

    /** Boolean variables accept 1/yes/true. */
    private static String normaliseFlagValue(String v) {
        String s = v.trim().toLowerCase();
        return String.valueOf(s.equals("1") || s.equals("yes") || s.equals("true") || s.equals("on"));
    }

    private static double fraction(String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (d <= 0 || d > 1) {
                throw new ConfigException("--memory-high-watermark must be in (0, 1], got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException("--memory-high-watermark must be a number, got '" + v + "'");
        }
    }

    /** RabbitMQ's level names; Logging maps them onto the backend's. */
    public static final List<String> LOG_LEVELS = LogLevels.LEVELS;

    /** The setting, checked and in lower case (see {@link LogLevels}). */
    private static String logLevel(String v) {
        try {
            return LogLevels.parse(v).toString();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--log-level: " + e.getMessage());
        }
    }

    /** One of an enum's constants, written in lower case as RabbitMQ's settings are. */
    private static <E extends Enum<E>> E choice(String v, String flag, Class<E> type) {
        String wanted = v.trim().toUpperCase(java.util.Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
            names.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new ConfigException(flag + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
    }

    /** The JDK's protocol names; anything older than TLS 1.2 only if the operator names it. */
    private static final List<String> TLS_VERSIONS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

    private static List<String> tlsVersions(String v) {
        List<String> versions = new ArrayList<>();
        for (String part : v.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            String known = TLS_VERSIONS.stream().filter(t -> t.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ConfigException("--tls-versions: unknown version '" + name + "' (known: "
                            + String.join(", ", TLS_VERSIONS) + ")"));
            versions.add(known);
        }
        return versions;
    }

    private static int port(String v) {
        return integer(v, -1, 65535, "port");
    }

    private static int integer(String v, int min, int max, String what) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new ConfigException(what + " must be between " + min + " and " + max + ", got " + v);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " must be a number, got '" + v + "'");
        }
    }
}
