package io.warren.broker;

import io.netty.util.ResourceLeakDetector;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.ConfigParser;
import io.warren.broker.config.Version;
import io.warren.broker.net.Listener;
import io.warren.broker.tls.ServerTls;
import io.warren.store.StoreException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar warren-broker.jar [options]}: starts a broker and runs until stopped.
 *
 * <p>stdout carries only what the README promises scripts (the version, the "listening" line
 * with the ports, the shutdown's start and end) and the answers to --help and --version; a
 * usage or start error is one "warren: ..." line on stderr. Everything else is logged (SLF4J,
 * to stderr by default).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (ConfigParser.wantsHelp(args)) {
            System.out.print(ConfigParser.help());
            return;
        }
        if (ConfigParser.wantsVersion(args)) {
            System.out.println("Warren " + Version.number());
            return;
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // SIMPLE: one buffer in 128 is tracked, and a leaked one is reported in the log (as an
            // ERROR from io.netty.util.ResourceLeakDetector), which is how a leak that only
            // production's traffic triggers gets found. It was DISABLED for ~2 % of broker CPU
            // at 20k msg/s; measured again (issue 11), the transient and latency benchmarks did
            // not show the difference above their noise. -Dio.netty.leakDetection.level=... wins.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        }
        BrokerConfig config;
        try {
            config = ConfigParser.parse(args, System.getenv());
        } catch (ConfigParser.ConfigException e) {
            System.err.println("warren: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.install(config.logLevel(), config.logFormat());
        System.out.println("Warren " + Version.number() + " starting (Java " + Runtime.version() + ")");
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (StoreException | Listener.CannotListenException | ServerTls.TlsSetupException
                 | io.warren.broker.http.DefinitionsImport.LoadException e) {
            // A damaged, locked or inaccessible store, a port in use, a bad --bind: the
            // operator's to fix, so one line saying what and where (the exception says both),
            // not a stack trace; never an empty broker.
            System.err.println("warren: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Logback, unlike java.util.logging, is not reset by a shutdown hook of its own, so
            // what goes wrong here can still be logged.
            int clients = broker.connections().count();
            System.out.println("Warren stopping: closing " + clients + " client connection"
                    + (clients == 1 ? "" : "s") + " (320 CONNECTION_FORCED, reason 'shutdown')");
            System.out.flush();
            for (String warning : broker.shutdown().warnings()) {
                LOG.warn(warning);
            }
            System.out.println("Warren stopped");
            System.out.flush();
            stopped.countDown();
        }, "warren-shutdown"));
        // Scripts and tests read this line to learn the port when they asked for port 0.
        System.out.println("Warren listening on AMQP port " + broker.amqpPort() + " (" + broker.transportName() + ")"
                + (broker.tlsPort() >= 0 ? ", AMQPS on " + broker.tlsPort() : "")
                + (broker.httpPort() >= 0 ? ", HTTP" + (config.tls().http() ? "S" : "") + " API on " + broker.httpPort() : "")
                + (broker.metricsPort() >= 0 ? ", metrics" + (config.tls().metrics() ? " (HTTPS)" : "")
                        + " on " + broker.metricsPort() : ""));
        System.out.flush();
        stopped.await();
    }
}
