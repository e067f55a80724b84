package io.warren.compat;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The broker the compatibility tests talk to: Warren, started in this JVM on a free port with its
 * store in a temporary directory, or —
 * when the system property {@code warren.compat.uri} names one (for example
 * {@code amqp://guest:guest@localhost:5673}) — a real RabbitMQ. The same tests, two brokers,
 * same answers: a test that passes on Warren and fails on RabbitMQ asserts the wrong thing.
 */
public final class BrokerUnderTest {

    public static final String URI_PROPERTY = "warren.compat.uri";
    /** The management HTTP API of the broker named by {@link #URI_PROPERTY}, e.g. {@code http://localhost:15673}. */
    public static final String HTTP_PROPERTY = "warren.compat.http";
    /** The Prometheus endpoint of that broker (its rabbitmq_prometheus plugin), e.g. {@code http://localhost:15692}. */
    public static final String METRICS_PROPERTY = "warren.compat.metrics";

    private static Broker warren;
    private static URI uri;

    private BrokerUnderTest() {}

    /** True when the tests run against Warren (Warren-only tests are skipped otherwise). */
    public static boolean isWarren() {
        return System.getProperty(URI_PROPERTY, "").isBlank();
    }

    public static synchronized URI uri() {
        if (uri == null) {
            String configured = System.getProperty(URI_PROPERTY, "");
            if (!configured.isBlank()) {
                uri = URI.create(configured);
            } else {
                // two loops whatever the machine: the suite must cross loops (publisher, queue and
                // consumer on different threads), which the default of half the cores may not do.
                // A store on disk, as every real broker has: persistent messages to durable
                // queues then take the store's path in every test, not only in durability/.
                Path dataDir = temporaryDataDir();
                warren = startWarren(BrokerConfig.builder().ephemeral().dataDir(dataDir)
                        .httpPort(0).metricsPort(0).heartbeatSeconds(60).ioThreads(2));
                uri = URI.create("amqp://guest:guest@localhost:" + warren.amqpPort());
                Broker started = warren;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteRecursively(dataDir);
                }));
            }
        }
        return uri;
    }

    private static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("warren-compat-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind
        }
    }

    /** The in-process Warren, for tests that look inside it; null when testing RabbitMQ. */
    public static Broker warren() {
        uri();
        return warren;
    }

    /** Starts a separate Warren with its own settings (the caller closes it). */
    public static Broker startWarren(BrokerConfig.Builder config) {
        try {
            return Broker.start(config.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The management HTTP API's base URL (no trailing slash): {@link #HTTP_PROPERTY} when set,
     * else the in-process Warren's; null for a RabbitMQ whose API was not given.
     */
    public static String httpBase() {
        String configured = System.getProperty(HTTP_PROPERTY, "");
        if (!configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        Broker w = warren();
        return w == null ? null : "http://localhost:" + w.httpPort();
    }

    /**
     * The Prometheus endpoint's base URL (no trailing slash): {@link #METRICS_PROPERTY} when set,
     * else the in-process Warren's; null for a RabbitMQ whose endpoint was not given.
     */
    public static String metricsBase() {
        String configured = System.getProperty(METRICS_PROPERTY, "");
        if (!configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        Broker w = warren();
        return w == null ? null : "http://localhost:" + w.metricsPort();
    }

    public static ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        try {
            f.setUri(uri());
        } catch (Exception e) {
            throw new IllegalStateException("bad broker URI " + uri, e);
        }
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        f.setConnectionTimeout(10_000);
        f.setShutdownTimeout(2_000);
        return f;
    }

    public static int port() {
        int p = uri().getPort();
        return p < 0 ? 5672 : p;
    }
}
