package io.warren.broker.http;

import io.warren.broker.auth.CertificateLogin;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.ServerProperties;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueStats;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.Exchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects the API answers, under RabbitMQ's field names, and which of them a user may
 * see. Read from any thread: only from the atomics and published snapshots the broker keeps for
 * that (message, unacked and consumer counts), never from a loop's private state.
 */
final class Views {

    /** The node name the API reports (RabbitMQ's overview "node"). */
    static final String NODE = "warren@localhost";

    private final ApiContext context;
    private final StatsSampler sampler;
    private final NodeInfo node;

    Views(ApiContext context, StatsSampler sampler, NodeInfo node) {
        this.context = context;
        this.sampler = sampler;
        this.node = node;
    }

    /**
     * Totals over what the user may see, as RabbitMQ counts them: monitoring and administrator
     * users everything; others the vhosts they have permissions in and their own connections.
     * Message stats are broker-wide counters, which cannot be split by vhost: shown to monitoring
     * and administrator users, an empty object to others (as RabbitMQ shows before any traffic).
     */
    Map<String, Object> overview(ManagementUser u) {
        StatsSampler.Sample sample = sampler.last();
        long ready = 0;
        long unacked = 0;
        double readyRate = 0;
        double unackedRate = 0;
        int queues = 0;
        int exchanges = 0;
        int consumers = 0;
        for (VirtualHost v : context.vhosts().all()) {
            if (!u.monitor() && !u.canLogInto(v.name())) {
                continue;
            }
            exchanges += v.topology().exchanges().size();
            for (Queue q : v.queues()) {
                queues++;
                ready += q.messageCount();
                unacked += q.unackedCount();
                consumers += q.consumerCount();
                StatsSampler.QueueSample qs = sample.queue(q);
                readyRate += qs.readyRate();
                unackedRate += qs.unackedRate();
            }
        }
        int connections = 0;
        int channels = 0;
        for (AmqpConnection conn : context.connections().all()) {
            if (u.seesConnection(conn)) {
                connections++;
                channels += conn.channelCount();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("management_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("rates_mode", "basic");
        out.put("exchange_types", exchangeTypes());
        out.put("product_version", ServerProperties.WARREN_VERSION);
        out.put("product_name", "Warren");
        out.put("rabbitmq_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("cluster_name", node.clusterName());
        out.put("disable_stats", false);
        out.put("enable_queue_totals", false);
        out.put("message_stats", u.monitor() ? counts(sample, false) : Map.of());
        out.put("churn_rates", u.monitor() ? counts(sample, true) : Map.of());
        Map<String, Object> totals = new LinkedHashMap<>();
        putWithRate(totals, "messages", ready + unacked, readyRate + unackedRate);
        putWithRate(totals, "messages_ready", ready, readyRate);
        putWithRate(totals, "messages_unacknowledged", unacked, unackedRate);
        out.put("queue_totals", totals);
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("channels", channels);
        objects.put("connections", connections);
        objects.put("consumers", consumers);
        objects.put("exchanges", exchanges);
        objects.put("queues", queues);
        out.put("object_totals", objects);
        out.put("statistics_db_event_queue", 0);
        out.put("node", NODE);
        out.put("listeners", node.listeners());
        return out;
    }

    /** Each counter (message stats or churn), and beside it its {@code _details} with the rate of the last sample. */
    private Map<String, Object> counts(StatsSampler.Sample sample, boolean churn) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (MessageStat s : MessageStat.ALL) {
            if (s.churn == churn) {
                putWithRate(out, s.field, s.read(context.counters()), sample.rate(s));
            }
        }
        return out;
    }

    /** RabbitMQ's pair of fields: {@code name: value, name_details: {rate: r}}. */
    static void putWithRate(Map<String, Object> m, String name, long value, double rate) {
        m.put(name, value);
        m.put(name + "_details", StatsSampler.details(rate));
    }

    /** The exchange types this broker declares, in RabbitMQ's form. */
    List<Object> exchangeTypes() {
        List<Object> out = new ArrayList<>();
        for (String type : List.of("direct", "fanout", "headers", "topic")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", type);
            m.put("description", "AMQP " + type + " exchange, as per the AMQP specification");
            m.put("enabled", true);
            out.add(m);
        }
        return out;
    }

    /**
     * The vhosts whose objects a list shows: one named in the path (404 if unknown; 401 "User
     * not authorised to access virtual host" for a user without access, as RabbitMQ 3.10
     * answers), or every one the user may list.
     */
    List<VirtualHost> listed(ManagementUser u, String only) {
        List<VirtualHost> out = new ArrayList<>();
        if (only != null) {
            VirtualHost v = ApiHandler.vhost(context, only);
            u.checkVhostAccess(v.name());
            out.add(v);
            return out;
        }
        for (VirtualHost v : context.vhosts().all()) {
            if (u.listsObjectsIn(v.name())) {
                out.add(v);
            }
        }
        return out;
    }

    List<Object> queues(ManagementUser u, String vhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : listed(u, vhost)) {
            for (Queue q : v.queues()) {
                out.add(queueWithRates(q));
            }
        }
        return out;
    }

    /** The queue, with the rates of change of its depths over the last sample (*_details). */
    Map<String, Object> queueWithRates(Queue q) {
        Map<String, Object> m = queue(q);
        StatsSampler.QueueSample s = sampler.last().queue(q);
        m.put("messages_details", StatsSampler.details(s.readyRate() + s.unackedRate()));
        m.put("messages_ready_details", StatsSampler.details(s.readyRate()));
        m.put("messages_unacknowledged_details", StatsSampler.details(s.unackedRate()));
        Map<String, Object> stats = messageStats(s);
        if (!stats.isEmpty()) {
            m.put("message_stats", stats);
        }
        io.warren.broker.queue.Consumer active = q.singleActiveConsumer();
        m.put("single_active_consumer_tag", active == null ? null : active.tag());
        return m;
    }

    /**
     * A queue's message_stats as RabbitMQ shows them: each count that is not 0 with its
     * *_details rate, and deliver_get summing deliveries and gets (empty for an unused queue).
     * As of the last sample: counts lag by up to {@link StatsSampler#INTERVAL_MS}, as RabbitMQ's.
     */
    private static Map<String, Object> messageStats(StatsSampler.QueueSample s) {
        Map<String, Object> out = new LinkedHashMap<>();
        long deliverGet = 0;
        double deliverGetRate = 0;
        for (QueueStats.Stat st : QueueStats.Stat.ALL) {
            long n = s.count(st);
            if (st != QueueStats.Stat.ACK && st != QueueStats.Stat.PUBLISH && st != QueueStats.Stat.REDELIVER) {
                deliverGet += n;
                deliverGetRate += s.rate(st);
            }
            if (n != 0) {
                out.put(st.field(), n);
                out.put(st.field() + "_details", StatsSampler.details(s.rate(st)));
            }
        }
        if (deliverGet != 0) {
            out.put("deliver_get", deliverGet);
            out.put("deliver_get_details", StatsSampler.details(deliverGetRate));
        }
        return out;
    }

    static Map<String, Object> queue(Queue q) {
        int ready = q.messageCount();
        int unacked = q.unackedCount();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("vhost", q.definition().vhost());
        m.put("durable", q.definition().durable());
        m.put("auto_delete", q.definition().autoDelete());
        m.put("exclusive", q.exclusiveOwner() != null);
        m.put("arguments", q.definition().arguments());
        m.put("type", QueueArguments.queueType(q.definition().arguments()));
        io.warren.broker.queue.AppliedPolicy policy = q.appliedPolicy();
        m.put("policy", policy.policy());
        m.put("operator_policy", policy.operatorPolicy());
        m.put("effective_policy_definition", policy.definition());
        m.put("state", "running");
        m.put("node", NODE);
        m.put("messages", ready + unacked);
        m.put("messages_ready", ready);
        m.put("messages_unacknowledged", unacked);
        m.put("messages_paged_out", q.pagedOutCount());
        m.put("consumers", q.consumerCount());
        return m;
    }

    List<Object> exchanges(ManagementUser u, String vhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : listed(u, vhost)) {
            for (Exchange x : v.topology().exchanges()) {
                out.add(exchange(v, x));
            }
        }
        return out;
    }

    static Map<String, Object> exchange(VirtualHost v, Exchange x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", x.name());
        m.put("vhost", v.name());
        m.put("type", x.type());
        m.put("durable", x.durable());
        m.put("auto_delete", x.autoDelete());
        m.put("internal", x.internal());
        m.put("arguments", x.arguments());
        if (x.policyName() != null) {
            m.put("policy", x.policyName()); // RabbitMQ shows the key only when a policy applies
        }
        return m;
    }

    List<Object> bindings(ManagementUser u, String vhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : listed(u, vhost)) {
            for (Queue q : v.queues()) {
                out.add(binding(v, defaultBinding(q.name())));
            }
            for (Binding b : v.topology().bindings()) {
                out.add(binding(v, b));
            }
        }
        return out;
    }

    /** The default exchange's implicit binding to a queue, which RabbitMQ lists too. */
    static Binding defaultBinding(String queue) {
        return new Binding("", DestinationKind.QUEUE, queue, queue, Map.of());
    }

    static Map<String, Object> binding(VirtualHost v, Binding b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", b.source());
        m.put("vhost", v.name());
        m.put("destination", b.destination());
        m.put("destination_type", b.kind() == DestinationKind.QUEUE ? "queue" : "exchange");
        m.put("routing_key", b.routingKey());
        m.put("arguments", b.arguments());
        m.put("properties_key", propertiesKey(b));
        return m;
    }

    /**
     * What names one binding between a source and a destination in a path, as RabbitMQ's
     * properties_key: the routing key ("~" when empty) when there are no arguments, else the key,
     * "~" and a digest of the arguments.
     */
    static String propertiesKey(Binding b) {
        if (b.arguments().isEmpty()) {
            return b.routingKey().isEmpty() ? "~" : b.routingKey();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(new java.util.TreeMap<>(b.arguments())).getBytes(StandardCharsets.UTF_8));
            return b.routingKey() + "~" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    List<Object> connections(ManagementUser u) {
        List<Object> out = new ArrayList<>();
        for (AmqpConnection c : context.connections().all()) {
            if (u.seesConnection(c)) {
                out.add(connection(c));
            }
        }
        return out;
    }

    Map<String, Object> connection(AmqpConnection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("node", NODE);
        m.put("user", c.user() == null ? "" : c.user().name());
        m.put("vhost", c.vhost() == null ? "" : c.vhost().name());
        m.put("channels", c.channelCount());
        m.put("client_properties", c.client().properties());
        m.put("state", "running");
        // RabbitMQ's TLS fields (null on a plain connection); its Erlang cipher names have no
        // JDK counterpart, so ssl_cipher and the like are left out rather than made up
        m.put("auth_mechanism", c.authMechanism());
        String tls = c.tlsProtocol();
        m.put("ssl", c.overTls());
        m.put("ssl_protocol", tls == null ? null : tls.toLowerCase(java.util.Locale.ROOT));
        java.security.cert.X509Certificate cert = c.peerCertificate();
        m.put("peer_cert_subject", cert == null ? null : CertificateLogin.distinguishedName(cert));
        m.put("peer_cert_issuer", cert == null ? null : CertificateLogin.issuerName(cert));
        // what rabbitmqctl list_connections shows by default (user, peer_host, peer_port, state)
        m.put("protocol", "AMQP 0-9-1");
        java.net.InetSocketAddress peer = c.peerAddress();
        java.net.InetSocketAddress local = c.localAddress();
        m.put("peer_host", peer == null ? null : peer.getAddress().getHostAddress());
        m.put("peer_port", peer == null ? null : peer.getPort());
        m.put("host", local == null ? null : local.getAddress().getHostAddress());
        m.put("port", local == null ? null : local.getPort());
        return m;
    }
}
