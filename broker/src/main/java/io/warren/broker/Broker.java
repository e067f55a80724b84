package io.warren.broker;

import io.netty.channel.EventLoopGroup;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.channel.ChannelServices;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.ConnectionContext;
import io.warren.broker.connection.ConnectionAdmission;
import io.warren.broker.connection.Connections;
import io.warren.broker.connection.DiskAlarm;
import io.warren.broker.connection.MemoryAlarm;
import io.warren.broker.connection.ServerProperties;
import io.warren.broker.http.ApiContext;
import io.warren.broker.http.ApiHandler;
import io.warren.broker.http.ConsoleHandler;
import io.warren.broker.http.HttpServer;
import io.warren.broker.http.MetricsHandler;
import io.warren.broker.message.MessageIds;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.metrics.BrokerMetrics;
import io.warren.broker.metrics.NodeIdentity;
import io.warren.broker.net.AmqpServer;
import io.warren.broker.net.Transport;
import io.warren.broker.tls.ServerTls;
import io.warren.broker.vhost.QueuePlacement;
import io.warren.broker.vhost.VirtualHostListener;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.persistence.Recovery;
import io.warren.broker.routing.BrokerEvents;
import io.warren.broker.routing.DeadLetters;
import io.warren.broker.routing.DirectReplyTo;
import io.warren.broker.queue.MemoryPressure;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.PagingThread;
import io.warren.store.MvPageStore;
import io.warren.store.MvStoreMessageStore;
import io.warren.store.PageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Warren: its configuration, users, virtual hosts, event loops and listeners. One per
 * process normally; tests start several side by side on free ports.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final UserRegistry users = new UserRegistry();
    private final VirtualHosts vhosts;
    private final BrokerCounters counters = new BrokerCounters();
    private final DirectReplyTo directReplyTo = new DirectReplyTo();
    private final MemoryAlarm memoryAlarm;
    private final DiskAlarm diskAlarm;
    /** Runs the disk alarm's checks: asking a file system for its free space may block. */
    private final java.util.concurrent.ScheduledExecutorService diskMonitor;
    private final Connections connections = new Connections(counters);
    private final MessageIds messageIds = new MessageIds();
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** Which loop owns each new queue (see QueuePlacement). */
    private final QueuePlacement placement;
    /**
     * The HTTP API and the metrics endpoint accept and serve here, off the AMQP loops: a slow
     * listing (100,000 queues) must not hold up AMQP traffic, nor a busy AMQP loop the API.
     */
    private final EventLoopGroup httpLoops;
    private AmqpServer amqp;
    /** The AMQPS listener; null unless TLS is configured. */
    private AmqpServer amqps;
    private HttpServer http;
    private HttpServer metricsHttp;
    private BrokerMetrics metrics;
    /** What connections and their channels get from the broker (instead of the broker itself). */
    private final ConnectionContext connectionContext;
    /** What the management API gets from the broker. */
    private final ApiContext apiContext;
    /** Changes to users, vhosts, permissions and limits, with their effects on open connections. */
    private final Administration administration;

    private final Persistence persistence;
    /** Where queues page out what they keep out of memory; thrown away at every start. */
    private final PageStore pageStore;
    /** The only thread that reads and writes {@link #pageStore}: queues never wait on it. */
    private final PagingThread pager;
    private static final long PAGE_CACHE_BYTES = 32L << 20;
    /** At shutdown, how long clients get to answer connection.close before their sockets are dropped. */
    private static final long CLOSE_WAIT_MS = 2000;
    /** The node name the metrics report, the same as the HTTP API's (its Views.NODE). */
    private static final String NODE_NAME = "warren@localhost";

    private Broker(BrokerConfig config) {
        this.config = config;
        this.persistence = config.persistence()
                ? new Persistence(MvStoreMessageStore.open(config.dataDir()))
                : null;
        Path diskDir = config.persistence() ? config.dataDir() : scratchDir();
        this.pageStore = MvPageStore.open(diskDir, PAGE_CACHE_BYTES);
        MemoryPressure pressure = new MemoryPressure();
        this.pager = new PagingThread(pageStore);
        Paging paging = new Paging(pager, config.queueMemoryMessages(), config.queueMemoryBytes(), pressure);
        this.transport = Transport.best();
        this.boss = transport.newGroup(1, "warren-accept");
        this.workers = transport.newGroup(config.ioThreads(), "warren-io");
        this.placement = new QueuePlacement(workers);
        this.vhosts = new VirtualHosts(new BrokerEvents(persistence == null ? VirtualHostListener.NONE : persistence, counters,
                new DeadLetters(messageIds, persistence, counters)), paging, placement);
        this.httpLoops = transport.newGroup(1, "warren-http");
        this.memoryAlarm = new MemoryAlarm(config.memoryHighWatermark(), pressure, raised -> {
            for (AmqpConnection c : connections.all()) {
                c.memoryAlarm(raised);
            }
        });
        this.diskAlarm = new DiskAlarm(diskDir, config.diskFreeLimitBytes(), raised -> {
            for (AmqpConnection c : connections.all()) {
                c.diskAlarm(raised);
            }
        });
        this.diskMonitor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                new io.netty.util.concurrent.DefaultThreadFactory("warren-disk-monitor", true));
        ChannelServices channelServices = new ChannelServices(persistence, counters, directReplyTo, messageIds);
        this.connectionContext = new ConnectionContext(config, users, vhosts, connections, memoryAlarm, counters,
                channelServices, new ConnectionAdmission(config.maxUnauthenticatedConnections(), config.connectionMax()),
                diskAlarm);
        this.administration = new Administration(users, vhosts, connections, persistence);
        this.apiContext = new ApiContext(vhosts, users, connections, counters, persistence, memoryAlarm, workers,
                messageIds, diskAlarm, administration);
    }

    /** Starts a broker and returns once it listens. */
    public static Broker start(BrokerConfig config) throws InterruptedException {
        Broker broker = new Broker(config);
        try {
            broker.boot();
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void boot() throws InterruptedException {
        if (persistence != null) {
            Recovery.Summary found = new Recovery(persistence).run(vhosts, users, workers,
                    administration.parameters()::recoverPolicies);
            messageIds.startAbove(persistence.store().maxMessageId());
            counters.queuesCreated.reset(); // recovered, not created: RabbitMQ counts from boot
            LOG.info("recovered from {}: {} vhosts, {} exchanges, {} queues, {} bindings, {} messages",
                    config.dataDir().toAbsolutePath(), found.vhosts(), found.exchanges(), found.queues(),
                    found.bindings(), found.messages());
            administration.parameters().recover();
        }
        if (vhosts.all().isEmpty() && users.all().isEmpty()) {
            firstStart();
        } else if (!config.givenFirstStartOptions().isEmpty()) {
            // Like RabbitMQ's default_user: it seeds an empty node and nothing else. Say so, or
            // an operator wonders why the new password does not work.
            LOG.warn(String.join(", ", config.givenFirstStartOptions()) + " ignored: the data dir "
                    + config.dataDir().toAbsolutePath() + " already has users and virtual hosts, and these"
                    + " options only apply at first start, on an empty data dir");
        }
        if (config.loadDefinitions() != null) {
            // After recovery and the first start's defaults, before any listener: clients never
            // see the broker without them, as with RabbitMQ's load_definitions.
            io.warren.broker.http.DefinitionsImport.load(apiContext, config.loadDefinitions());
        }
        // Read the certificate files before any listener binds: a start that cannot use them
        // fails without having been reachable.
        ServerTls tls = config.tls().enabled() ? new ServerTls(config.tls()) : null;
        diskAlarm.check(); // before the first client, as RabbitMQ's disk monitor at boot
        diskMonitor.scheduleWithFixedDelay(diskAlarm::check, 1, 1, TimeUnit.SECONDS);
        if (config.amqpPort() >= 0) {
            amqp = new AmqpServer(connectionContext, transport, boss, workers, config.bindAddress(), config.amqpPort());
        }
        if (tls != null && config.tls().port() >= 0) {
            amqps = new AmqpServer(connectionContext, transport, boss, workers, config.bindAddress(),
                    config.tls().port(), tls);
        }
        boss.next().scheduleAtFixedRate(memoryAlarm::check, 500, 500, TimeUnit.MILLISECONDS);
        metrics = new BrokerMetrics(counters,
                new BrokerNodeState(connections, memoryAlarm, diskAlarm, config.connectionMax()), vhosts,
                NodeIdentity.of(NODE_NAME, config.persistence() ? config.dataDir() : null),
                ServerProperties.RABBITMQ_COMPAT_VERSION);
        ApiHandler api = config.httpPort() >= 0 ? new ApiHandler(apiContext) : null;
        if (api != null) {
            ConsoleHandler console = new ConsoleHandler();
            http = new HttpServer(transport, httpLoops, "HTTP API", "--http-port", config.bindAddress(),
                    config.httpPort(), () -> console.before(api), config.tls().http() ? tls : null);
            api.startSampling(httpLoops.next());
        }
        if (config.metricsPort() >= 0) {
            MetricsHandler handler = new MetricsHandler(metrics);
            metricsHttp = new HttpServer(transport, httpLoops, "metrics", "--metrics-port", config.bindAddress(),
                    config.metricsPort(), () -> handler, config.tls().metrics() ? tls : null);
        }
        if (api != null) {
            registerListeners(api, tls);
        }
    }

    /** What the API's overview, nodes and listener health checks report. */
    private void registerListeners(ApiHandler api, ServerTls tls) {
        String ip = config.bindAddress();
        if (amqp != null) {
            api.node().listening("amqp", ip, amqp.port());
        }
        if (amqps != null) {
            api.node().listening("amqp/ssl", ip, amqps.port());
        }
        api.node().listening(config.tls().http() && tls != null ? "https" : "http", ip, http.port());
        if (metricsHttp != null) {
            api.node().listening(config.tls().metrics() && tls != null ? "https/prometheus" : "http/prometheus", ip,
                    metricsHttp.port());
        }
        if (tls != null) {
            api.node().certificate(config.tls().certificate());
        }
    }

    /** Without a data dir, paging still needs somewhere on disk: a temporary directory. */
    private static Path scratchDir() {
        try {
            Path dir = Files.createTempDirectory("warren-paging");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for paging", e);
        }
    }

    /** First start (nothing recovered): the default vhost and user, kept on disk if persistent. */
    private void firstStart() {
        administration.putVhost(config.defaultVhost(), DEFAULT_VHOST);
        users.ensureDefaultUser(config.defaultUser(), config.defaultPassword(), config.defaultVhost());
        if (persistence != null) {
            persistence.userChanged(users.find(config.defaultUser()));
        }
        LOG.info("first start: created virtual host '" + config.defaultVhost() + "' and user '"
                + config.defaultUser() + "' (administrator, all permissions on '" + config.defaultVhost() + "')"
                + (persistence != null ? " in " + config.dataDir().toAbsolutePath() : ", in memory only"));
    }

    /** RabbitMQ's description of the vhost it creates at first start. */
    private static final io.warren.broker.vhost.VhostSettings DEFAULT_VHOST =
            new io.warren.broker.vhost.VhostSettings("Default virtual host", List.of(), io.warren.broker.auth.Limits.NONE);

    /** Users, vhosts, permissions and limits, changed as the HTTP API changes them. */
    public Administration administration() {
        return administration;
    }

    /** Null when nothing is kept on disk (--no-persistence). */
    public Persistence persistence() {
        return persistence;
    }

    public BrokerConfig config() {
        return config;
    }

    public UserRegistry users() {
        return users;
    }

    public VirtualHosts vhosts() {
        return vhosts;
    }

    public MemoryAlarm memoryAlarm() {
        return memoryAlarm;
    }

    public DiskAlarm diskAlarm() {
        return diskAlarm;
    }

    public DirectReplyTo directReplyTo() {
        return directReplyTo;
    }

    public BrokerCounters counters() {
        return counters;
    }

    public Connections connections() {
        return connections;
    }

    public String transportName() {
        return transport.name();
    }

    /** The port the AMQP listener bound (the real one when configured as 0). */
    public int amqpPort() {
        return amqp == null ? -1 : amqp.port();
    }

    /** The port the AMQPS (TLS) listener bound, or -1 when TLS is off. */
    public int tlsPort() {
        return amqps == null ? -1 : amqps.port();
    }

    /** The HTTP API's port, or -1 when it is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** The Prometheus endpoint's port, or -1 when it is off. */
    public int metricsPort() {
        return metricsHttp == null ? -1 : metricsHttp.port();
    }

    /**
     * The I/O loops where AMQP connections and queues run (not the HTTP API's loop): a queue
     * the API declares is owned by one of them, and the node health check asks each of them.
     */
    public EventLoopGroup ioLoops() {
        return workers;
    }

    /**
     * What an AMQP connection is built with: with {@link io.warren.broker.net.AmqpChannelInitializer}
     * it gives a test the production pipeline on an {@code EmbeddedChannel}.
     */
    public ConnectionContext connectionContext() {
        return connectionContext;
    }

    /** What the management API ({@link ApiHandler}) is built with. */
    public ApiContext apiContext() {
        return apiContext;
    }

    /** Which loop owns each queue; for tests and the HTTP API. */
    public QueuePlacement queuePlacement() {
        return placement;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    /** A new message id, unique in the broker and increasing on the calling thread (see {@link MessageIds}). */
    public long nextMessageId() {
        return messageIds.getAsLong();
    }

    /**
     * Stops the broker: listeners first, then every client hears why (connection.close 320
     * CONNECTION_FORCED "broker forced connection closure with reason 'shutdown'", as from
     * RabbitMQ) and gets {@link #CLOSE_WAIT_MS} to answer, then the loops and the store stop.
     * Blocks; call it off the broker's event loops. What went wrong is logged; see
     * {@link #shutdown()} to report it otherwise.
     */
    @Override
    public void close() {
        for (String warning : shutdown().warnings()) {
            LOG.warn(warning);
        }
    }

    /**
     * {@link #close()}, answering what did not go as planned instead of logging it, for a
     * caller that reports it its own way.
     */
    public Stopped shutdown() {
        if (http != null) {
            http.close();
        }
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (amqp != null) {
            amqp.close();
        }
        if (amqps != null) {
            amqps.close();
        }
        // Bounded waits: a loop that does not stop in time must not keep the store from being
        // closed (seen once: a worker loop idle in epoll_wait never saw the shutdown request).
        // The HTTP loop goes first, closing its open connections: no API request runs while
        // AMQP clients are told to go. An answer a queue's loop still writes to one is dropped.
        boolean httpStopped = httpLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS)
                .awaitUninterruptibly(5, TimeUnit.SECONDS);
        diskMonitor.shutdownNow();
        int dropped = connections.closeAll("shutdown", CLOSE_WAIT_MS);
        boolean loopsStopped = httpStopped
                & boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)
                & workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (persistence != null) {
            persistence.store().close();
        }
        pager.close();
        pageStore.close();
        return new Stopped(dropped, loopsStopped);
    }

    /**
     * What a shutdown left undone: client connections that did not answer connection.close in
     * time (their sockets were dropped), event loops that did not stop in time.
     */
    public record Stopped(int droppedConnections, boolean loopsStopped) {

        /** One line for each, as logged; none after a clean stop. */
        public List<String> warnings() {
            List<String> lines = new ArrayList<>(2);
            if (droppedConnections > 0) {
                lines.add(droppedConnections + " client connection" + (droppedConnections == 1 ? "" : "s")
                        + " did not answer connection.close in " + CLOSE_WAIT_MS + " ms; dropped "
                        + (droppedConnections == 1 ? "it" : "them"));
            }
            if (!loopsStopped) {
                lines.add("event loops did not stop in time; closed the store anyway");
            }
            return lines;
        }
    }
}
