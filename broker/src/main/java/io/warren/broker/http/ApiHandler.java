package io.warren.broker.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.warren.broker.Broker;
import io.warren.broker.auth.User;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.ServerProperties;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.Binding;
import io.warren.exchange.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-mostly subset of RabbitMQ's management HTTP API, same paths and field names, for the
 * scripts and dashboards that poll it: overview, vhosts, queues, exchanges, bindings,
 * connections, whoami, health checks; deleting a queue or a connection. HTTP basic auth with the
 * broker's users; like RabbitMQ, only users tagged administrator, management or monitoring.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Broker broker;

    public ApiHandler(Broker broker) {
        this.broker = broker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        User user = authenticate(req);
        if (user == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.UNAUTHORIZED, "Not_Authorized");
            return;
        }
        List<String> path = segments(req.uri());
        try {
            route(ctx, req, user, path);
        } catch (RuntimeException e) {
            HttpResponses.error(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, User user, List<String> p) {
        HttpMethod method = req.method();
        if (p.isEmpty() || !p.get(0).equals("api")) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "Not Found");
            return;
        }
        String what = p.size() > 1 ? p.get(1) : "";
        String vhost = p.size() > 2 ? p.get(2) : null;
        String name = p.size() > 3 ? p.get(3) : null;
        if (method.equals(HttpMethod.DELETE)) {
            delete(ctx, req, what, vhost, name);
            return;
        }
        Object body = switch (what) {
            case "overview" -> overview();
            case "whoami" -> Map.of("name", user.name(), "tags", String.join(",", user.tags()));
            case "vhosts" -> vhosts(vhost);
            case "queues" -> queues(vhost, name);
            case "exchanges" -> exchanges(vhost, name);
            case "bindings" -> bindings(vhost);
            case "connections" -> connections();
            case "healthchecks", "aliveness-test" -> Map.of("status", "ok");
            default -> null;
        };
        if (body == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "Object Not Found");
        } else {
            HttpResponses.json(ctx, req, HttpResponseStatus.OK, body);
        }
    }

    private void delete(ChannelHandlerContext ctx, FullHttpRequest req, String what, String vhostName, String name) {
        boolean done = false;
        if (what.equals("queues") && vhostName != null && name != null) {
            VirtualHost vhost = broker.vhosts().find(vhostName);
            Queue q = vhost == null ? null : vhost.queue(name);
            done = q != null && vhost.deleteQueue(q);
        } else if (what.equals("connections") && vhostName != null) {
            for (AmqpConnection c : broker.connections().all()) {
                if (c.name().equals(vhostName)) {
                    c.closeByAdministrator();
                    done = true;
                }
            }
        }
        if (done) {
            HttpResponses.send(ctx, req, HttpResponseStatus.NO_CONTENT, "application/json", "");
        } else {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "Object Not Found");
        }
    }

    private Map<String, Object> overview() {
        BrokerCounters c = broker.counters();
        long ready = 0;
        long unacked = 0;
        int queues = 0;
        int exchanges = 0;
        int consumers = 0;
        for (VirtualHost v : broker.vhosts().all()) {
            exchanges += v.topology().exchanges().size();
            for (Queue q : v.queues()) {
                queues++;
                ready += q.messageCount();
                unacked += q.unackedCount();
                consumers += q.consumerCount();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("management_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("rabbitmq_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("product_name", "Warren");
        out.put("product_version", ServerProperties.WARREN_VERSION);
        out.put("node", "warren@localhost");
        out.put("object_totals", Map.of("connections", broker.connections().count(),
                "channels", c.channelsOpened.sum() - c.channelsClosed.sum(), "exchanges", exchanges,
                "queues", queues, "consumers", consumers));
        out.put("queue_totals", Map.of("messages", ready + unacked, "messages_ready", ready,
                "messages_unacknowledged", unacked));
        out.put("message_stats", Map.of("publish", c.received.sum(), "confirm", c.confirmed.sum(),
                "deliver", c.delivered.sum(), "get", c.deliveredGet.sum(), "get_no_ack", c.deliveredGetAutoAck.sum(),
                "ack", c.acknowledged.sum(),
                "redeliver", c.redelivered.sum(), "return_unroutable", c.unroutableReturned.sum(),
                "drop_unroutable", c.unroutableDropped.sum()));
        return out;
    }

    private Object vhosts(String only) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : broker.vhosts().all()) {
            if (only == null || only.equals(v.name())) {
                out.add(Map.of("name", v.name()));
            }
        }
        return only == null ? out : out.isEmpty() ? null : out.get(0);
    }

    private Object queues(String vhostName, String name) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : broker.vhosts().all()) {
            if (vhostName != null && !vhostName.equals(v.name())) {
                continue;
            }
            for (Queue q : v.queues()) {
                if (name == null || name.equals(q.name())) {
                    out.add(queue(q));
                }
            }
        }
        return name == null ? out : out.isEmpty() ? null : out.get(0);
    }

    private static Map<String, Object> queue(Queue q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("vhost", q.definition().vhost());
        m.put("durable", q.definition().durable());
        m.put("auto_delete", q.definition().autoDelete());
        m.put("exclusive", q.exclusiveOwner() != null);
        m.put("arguments", q.definition().arguments());
        m.put("type", QueueArguments.queueType(q.definition().arguments()));
        m.put("state", "running");
        m.put("messages", q.messageCount() + q.unackedCount());
        m.put("messages_ready", q.messageCount());
        m.put("messages_unacknowledged", q.unackedCount());
        m.put("consumers", q.consumerCount());
        return m;
    }

    private Object exchanges(String vhostName, String name) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : broker.vhosts().all()) {
            if (vhostName != null && !vhostName.equals(v.name())) {
                continue;
            }
            for (Exchange x : v.topology().exchanges()) {
                if (name == null || name.equals(x.name())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", x.name());
                    m.put("vhost", v.name());
                    m.put("type", x.type());
                    m.put("durable", x.durable());
                    m.put("auto_delete", x.autoDelete());
                    m.put("internal", x.internal());
                    m.put("arguments", x.arguments());
                    out.add(m);
                }
            }
        }
        return name == null ? out : out.isEmpty() ? null : out.get(0);
    }

    private Object bindings(String vhostName) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : broker.vhosts().all()) {
            if (vhostName != null && !vhostName.equals(v.name())) {
                continue;
            }
            for (Binding b : v.topology().bindings()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", b.source());
                m.put("vhost", v.name());
                m.put("destination", b.destination());
                m.put("destination_type", b.kind().name().toLowerCase());
                m.put("routing_key", b.routingKey());
                m.put("arguments", b.arguments());
                out.add(m);
            }
        }
        return out;
    }

    private Object connections() {
        List<Object> out = new ArrayList<>();
        for (AmqpConnection c : broker.connections().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("user", c.user() == null ? "" : c.user().name());
            m.put("vhost", c.vhost() == null ? "" : c.vhost().name());
            m.put("channels", c.channelCount());
            m.put("client_properties", c.client().properties());
            m.put("state", "running");
            out.add(m);
        }
        return out;
    }

    private User authenticate(FullHttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        User user = broker.users().find(decoded.substring(0, colon));
        if (user == null || !user.checkPassword(decoded.substring(colon + 1))) {
            return null;
        }
        boolean allowed = user.tags().contains("administrator") || user.tags().contains("management")
                || user.tags().contains("monitoring");
        return allowed ? user : null;
    }

    /** Path segments, percent-decoded (RabbitMQ's API spells vhost "/" as %2F). */
    private static List<String> segments(String uri) {
        String path = new QueryStringDecoder(uri).rawPath();
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return out;
    }
}
