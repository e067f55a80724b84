package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.DELETE;
import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.PUT;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.Permission;
import io.warren.broker.vhost.VhostSettings;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/vhosts...} and {@code /api/vhost-limits...} as RabbitMQ answers them. Anyone with
 * a management tag lists the vhosts it may see; only administrators create, change or delete
 * them, or read their permissions. Creating a vhost grants its creator full permissions there,
 * as RabbitMQ's management plugin does.
 */
final class VhostApi {

    static final Set<String> VHOST_LIMITS = Set.of(Limits.MAX_CONNECTIONS, Limits.MAX_QUEUES);

    private final ApiContext context;

    VhostApi(ApiContext context) {
        this.context = context;
    }

    private Administration admin() {
        return context.admin();
    }

    void routeVhosts(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 3);
        if (n == 1) {
            r.allow(GET);
            List<Object> out = new ArrayList<>();
            for (VirtualHost v : sorted()) {
                if (u.seesVhost(v.name())) {
                    out.add(AccessViews.vhost(v));
                }
            }
            reply.json(HttpResponseStatus.OK, Listing.of(out, r.query()));
            return;
        }
        String name = r.segment(1);
        if (n == 3) {
            only(r.segment(2).equals("permissions") || r.segment(2).equals("topic-permissions"));
            r.allow(GET);
            UserApi.requireAdministrator(u);
            ApiHandler.vhost(context, name);
            reply.json(HttpResponseStatus.OK, r.segment(2).equals("permissions")
                    ? AccessViews.permissions(context.users().all(), name, true)
                    : AccessViews.topicPermissions(context.users().all(), name, true));
            return;
        }
        r.allow(GET, PUT, DELETE);
        switch (r.method()) {
            case GET -> {
                VirtualHost v = ApiHandler.vhost(context, name);
                if (!u.seesVhost(v.name())) {
                    throw ApiError.notAuthorised("User not authorised to access virtual host");
                }
                reply.json(HttpResponseStatus.OK, AccessViews.vhost(v));
            }
            case PUT -> {
                UserApi.requireAdministrator(u);
                Map<String, Object> body = r.json();
                if (Bodies.bool(body, "tracing", false)) {
                    throw ApiError.badRequest("tracing is not supported by Warren");
                }
                boolean created;
                synchronized (admin()) {
                    VirtualHost existing = context.vhosts().find(name);
                    Limits limits = existing == null ? Limits.NONE : existing.settings().limits();
                    // RabbitMQ replaces description and tags with what the body says (none: empty)
                    VhostSettings settings = new VhostSettings(Bodies.string(body, "description", ""),
                            UserApi.tags(body.get("tags")), limits);
                    created = admin().putVhost(name, settings);
                    if (created) {
                        admin().setPermission(u.name(), name, Permission.ALL);
                    }
                }
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                UserApi.requireAdministrator(u);
                if (!admin().deleteVhost(name)) {
                    throw ApiError.notFound();
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    private List<VirtualHost> sorted() {
        List<VirtualHost> out = new ArrayList<>(context.vhosts().all());
        out.sort(Comparator.comparing(VirtualHost::name));
        return out;
    }

    void routeVhostLimits(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 3);
        if (n <= 2) {
            r.allow(GET);
            List<Object> out = new ArrayList<>();
            List<VirtualHost> listed;
            if (n == 2) {
                VirtualHost v = ApiHandler.vhost(context, r.segment(1));
                u.checkVhostAccess(v.name());
                listed = List.of(v);
            } else {
                listed = sorted();
            }
            for (VirtualHost v : listed) {
                if (u.seesVhost(v.name()) && !v.settings().limits().isEmpty()) {
                    out.add(AccessViews.limitsOf("vhost", v.name(), v.settings().limits()));
                }
            }
            reply.json(HttpResponseStatus.OK, out);
            return;
        }
        r.allow(PUT, DELETE);
        UserApi.requireAdministrator(u);
        String name = r.segment(1);
        String limit = r.segment(2);
        boolean found;
        if (r.method().equals(PUT)) {
            Map<String, Object> body = r.json();
            Bodies.require(body, "value");
            long value = vhostLimit(limit, body.get("value"));
            found = admin().updateVhost(name, s -> s.withLimits(s.limits().with(limit, value)));
        } else {
            found = admin().updateVhost(name, s -> s.withLimits(s.limits().without(limit)));
        }
        if (!found) {
            throw ApiError.notFound("vhost_not_found");
        }
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    static long vhostLimit(String name, Object value) {
        if (!VHOST_LIMITS.contains(name)) {
            throw ApiError.badRequest("Validation failed\n\nUnrecognised terms [{<<\"" + name + "\">>,"
                    + UserApi.erlang(value) + "}] in limits\n");
        }
        if (!(value instanceof Long l)) {
            throw ApiError.badRequest("Validation failed\n\n" + name + " should be a number, actually was "
                    + UserApi.erlang(value) + "\n");
        }
        return l;
    }
}
