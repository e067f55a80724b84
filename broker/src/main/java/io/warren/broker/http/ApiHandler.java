package io.warren.broker.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VirtualHost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A subset of RabbitMQ's management HTTP API, same paths, field names, status codes and error
 * bodies, for the scripts, dashboards and {@code rabbitmqadmin} that use it: overview (with
 * rates, see {@link StatsSampler}), nodes, vhosts (and their limits), users (and their limits),
 * permissions, topic permissions, policies and operator policies, parameters and global
 * parameters, definitions export and import, queues (declare, delete, purge, get, actions),
 * exchanges (declare, delete, publish), bindings, connections, channels and consumers
 * ({@link ChannelApi}), whoami, cluster-name, extensions, auth, the aliveness test, the node
 * health check and the health checks of {@code /api/health/checks} ({@link HealthChecks}).
 * Lists take RabbitMQ's sort, pagination and columns parameters ({@link Listing}). HTTP basic
 * auth with the broker's users, under RabbitMQ's tag rules (see {@link ManagementUser}).
 *
 * <p>A path Warren does not serve answers 404, a method a path does not support 405 with an Allow
 * header, as RabbitMQ does: never a success for something that was not done.
 *
 * <p>Concurrency: runs on the HTTP loop (its own, never an AMQP one). What touches a queue's
 * state runs on the queue's loop ({@link io.warren.broker.queue.Queue#submit}), which answers the
 * request from there; Netty hands that write to the HTTP connection's loop.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiHandler.class);

    static final String GET = "GET";
    static final String PUT = "PUT";
    static final String POST = "POST";
    static final String DELETE = "DELETE";

    private final ApiContext context;
    private final Views views;
    private final QueueApi queues;
    private final ExchangeApi exchanges;
    private final HealthApi health;
    private final UserApi users;
    private final PermissionApi permissions;
    private final VhostApi vhosts;
    private final DefinitionsApi definitions;
    private final NodeInfo node = new NodeInfo();
    private final StatsSampler sampler;
    private final NodeApi nodes;
    private final HealthChecks healthChecks;
    private final ChannelApi channels;
    private final ConnectionApi connections;
    private final PolicyApi policies;
    private final ParameterApi parameters;

    public ApiHandler(ApiContext context) {
        this.context = context;
        this.sampler = new StatsSampler(context);
        this.views = new Views(context, sampler, node);
        this.nodes = new NodeApi(context, node, views);
        this.healthChecks = new HealthChecks(context, node);
        this.channels = new ChannelApi(context);
        this.connections = new ConnectionApi(context, views, channels);
        this.queues = new QueueApi(context);
        this.exchanges = new ExchangeApi(context);
        this.health = new HealthApi(context);
        this.users = new UserApi(context);
        this.permissions = new PermissionApi(context);
        this.vhosts = new VhostApi(context);
        this.definitions = new DefinitionsApi(context);
        this.policies = new PolicyApi(context);
        this.parameters = new ParameterApi(context);
    }

    /** What the broker tells the API about the node (its listeners, its TLS certificate). */
    public NodeInfo node() {
        return node;
    }

    /** Starts taking the samples rates are computed from, on {@code executor} (the HTTP loop). */
    public void startSampling(io.netty.util.concurrent.EventExecutor executor) {
        sampler.start(executor);
    }

    /** One request: method, decoded path segments after {@code /api}, query, body, headers. */
    record Request(String method, List<String> path, Map<String, List<String>> query, String body,
            io.netty.handler.codec.http.HttpHeaders headers) {

        String segment(int i) {
            return path.get(i);
        }

        boolean flag(String name) {
            List<String> v = query.get(name);
            return v != null && !v.isEmpty() && v.get(0).equals("true");
        }

        /** The body as a JSON object (empty when there is none), else 400 as RabbitMQ answers. */
        Map<String, Object> json() {
            String text = body.strip();
            if (text.isEmpty() || text.equals("null")) {
                return Map.of();
            }
            Object v;
            try {
                v = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("not_json");
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw ApiError.badRequest("not_json");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return map;
        }

        /** Refuses any other method with 405 and the methods this path has. */
        void allow(String... methods) {
            for (String m : methods) {
                if (m.equals(method)) {
                    return;
                }
            }
            throw ApiError.methodNotAllowed(String.join(", ", methods));
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpResponses reply = new HttpResponses(ctx, req);
        try {
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            List<String> segments = segments(uri.rawPath());
            if (segments.size() == 2 && segments.get(0).equals("api") && segments.get(1).equals("auth")) {
                auth(req.method().name(), reply); // the login page asks before anyone has logged in
                return;
            }
            ManagementUser user = authenticate(req);
            if (segments.isEmpty() || !segments.get(0).equals("api") || segments.size() < 2) {
                throw ApiError.notFound();
            }
            Request r = new Request(req.method().name(), segments.subList(1, segments.size()), uri.parameters(),
                    req.content().toString(StandardCharsets.UTF_8), req.headers());
            route(r, user, reply);
        } catch (ApiError e) {
            reply.error(e);
        } catch (Throwable e) {
            // Whatever failed (an Error included), the client gets an answer instead of waiting
            // for one forever on a keep-alive connection.
            LOG.warn("HTTP API request {} {} failed", req.method(), req.uri(), e);
            reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    HttpResponses.errorBody("internal_server_error", String.valueOf(e.getMessage())));
        }
    }

    private void route(Request r, ManagementUser u, HttpResponses reply) {
        List<String> p = r.path();
        int n = p.size();
        switch (p.get(0)) {
            case "overview" -> {
                only(n == 1);
                r.allow(GET);
                reply.json(HttpResponseStatus.OK, views.overview(u));
            }
            case "whoami" -> {
                only(n == 1);
                r.allow(GET);
                Map<String, Object> me = new java.util.LinkedHashMap<>();
                me.put("name", u.name());
                me.put("tags", u.user().tags());
                reply.json(HttpResponseStatus.OK, me);
            }
            case "vhosts" -> {
                if (n == 3 && (r.segment(2).equals("connections") || r.segment(2).equals("channels"))) {
                    connections.vhostConnectionsOrChannels(r, u, reply);
                } else {
                    vhosts.routeVhosts(r, u, reply);
                }
            }
            case "vhost-limits" -> vhosts.routeVhostLimits(r, u, reply);
            case "users" -> users.routeUsers(r, u, reply);
            case "user-limits" -> users.routeUserLimits(r, u, reply);
            case "permissions" -> permissions.routePermissions(r, u, reply);
            case "topic-permissions" -> permissions.routeTopicPermissions(r, u, reply);
            case "definitions" -> definitions.route(r, u, reply);
            case "policies" -> policies.route(r, u, reply, false);
            case "operator-policies" -> policies.route(r, u, reply, true);
            case "parameters" -> parameters.routeParameters(r, u, reply);
            case "global-parameters" -> parameters.routeGlobal(r, u, reply);
            case "queues" -> queues.route(r, u, reply, views);
            case "exchanges" -> exchanges.routeExchanges(r, u, reply, views);
            case "bindings" -> exchanges.routeBindings(r, u, reply, views);
            case "connections" -> connections.route(r, u, reply);
            case "channels" -> channels.routeChannels(r, u, reply);
            case "consumers" -> channels.routeConsumers(r, u, reply);
            case "nodes" -> nodes.routeNodes(r, u, reply);
            case "cluster-name" -> nodes.routeClusterName(r, u, reply);
            case "extensions" -> nodes.routeExtensions(r, reply);
            case "health" -> healthChecks.route(r, reply);
            case "aliveness-test" -> {
                only(n == 2);
                r.allow(GET);
                health.aliveness(r.segment(1), u, reply);
            }
            case "healthchecks" -> {
                only((n == 2 || n == 3) && r.segment(1).equals("node"));
                r.allow(GET);
                if (n == 3 && !r.segment(2).equals(Views.NODE)) {
                    throw ApiError.notFound();
                }
                health.node(reply);
            }
            default -> throw ApiError.notFound();
        }
    }

    /** {@code /api/auth}: no OAuth 2 (UAA) here, basic auth only; served without credentials. */
    private static void auth(String method, HttpResponses reply) {
        if (!method.equals(GET)) {
            throw ApiError.methodNotAllowed(GET);
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("enable_uaa", false);
        m.put("uaa_client_id", "");
        m.put("uaa_location", "");
        reply.json(HttpResponseStatus.OK, m);
    }

    /** A path outside what Warren serves: 404, as RabbitMQ answers an unknown path. */
    static void only(boolean served) {
        if (!served) {
            throw ApiError.notFound();
        }
    }

    /** The vhost a path names: 404 if there is none. */
    static VirtualHost vhost(ApiContext context, String name) {
        VirtualHost v = context.vhosts().find(name);
        if (v == null) {
            throw ApiError.notFound();
        }
        return v;
    }

    /**
     * The vhost segment 1 of a queue's or exchange's path names: 404, with RabbitMQ's
     * "vhost_not_found" reason when the request would have created something in it (PUT).
     */
    static VirtualHost vhostOf(ApiContext context, Request r) {
        VirtualHost v = context.vhosts().find(r.segment(1));
        if (v == null) {
            throw r.method().equals(PUT) ? ApiError.notFound("vhost_not_found") : ApiError.notFound();
        }
        return v;
    }

    /**
     * RabbitMQ's answers: no credentials, 401 with an empty body; wrong ones, "Login failed";
     * a user without a management tag, "Not management user".
     */
    private ManagementUser authenticate(FullHttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ApiError.loginRequired();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.loginFailed();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ApiError.loginFailed();
        }
        User user = context.users().find(decoded.substring(0, colon));
        if (user == null || !user.checkPassword(decoded.substring(colon + 1))) {
            throw ApiError.loginFailed();
        }
        if (!ManagementUser.mayLogIn(user)) {
            throw ApiError.notAuthorised("Not management user");
        }
        return new ManagementUser(user);
    }

    /**
     * Path segments, percent-decoded (RabbitMQ's API spells vhost "/" as %2F). A '+' in a path
     * is a plus, not a space as in a form: "a+b" names the queue a+b.
     */
    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s.replace("+", "%2B")));
            }
        }
        return out;
    }
}
