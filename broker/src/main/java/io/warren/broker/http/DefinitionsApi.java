package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.POST;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VhostSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/definitions}, for now only the access part of RabbitMQ's definitions:
 * users (their password hashes and algorithms kept, so they log in with their old passwords),
 * vhosts, permissions and topic permissions, added to or replacing what the broker has, as
 * RabbitMQ imports them. The rest of the format (queues, exchanges, bindings, policies,
 * parameters; and the export) is issue 13: a file with any of them not empty is refused whole
 * with 400 rather than half imported, and so is a section Warren does not know.
 *
 * <p>Everything is checked before anything changes: a refused file changes nothing.
 */
final class DefinitionsApi {

    /** What an export carries besides its sections: kept out of the broker, harmless. */
    private static final Set<String> INFORMATIONAL = Set.of("rabbit_version", "rabbitmq_version", "product_name",
            "product_version");
    private static final Set<String> IMPORTED = Set.of("users", "vhosts", "permissions", "topic_permissions");
    /** Sections Warren does not import yet (issue 13): refused unless empty. */
    private static final List<String> NOT_YET = List.of("queues", "exchanges", "bindings", "policies", "parameters");
    /**
     * Node-wide parameters every RabbitMQ export has: a cluster's identity and name, which mean
     * nothing to a single Warren node. Any other global parameter is refused.
     */
    private static final Set<String> CLUSTER_IDENTITY = Set.of("internal_cluster_id", "cluster_name");

    private final ApiContext context;

    DefinitionsApi(ApiContext context) {
        this.context = context;
    }

    void route(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        only(r.path().size() == 1);
        r.allow(POST);
        UserApi.requireAdministrator(u);
        importAccess(r.json());
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    private record Vhost(String name, VhostSettings settings) {}

    private record Grant(String user, String vhost, Permission permission, TopicPermission topic) {}

    void importAccess(Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!INFORMATIONAL.contains(key) && !IMPORTED.contains(key) && !NOT_YET.contains(key)
                    && !key.equals("global_parameters")) {
                throw ApiError.badRequest("unknown definitions section '" + key + "'");
            }
        }
        for (String section : NOT_YET) {
            if (!list(body, section).isEmpty()) {
                throw ApiError.badRequest("Warren cannot import " + section + " from definitions yet; it imports"
                        + " users, vhosts, permissions and topic_permissions");
            }
        }
        for (Map<String, Object> p : list(body, "global_parameters")) {
            if (!CLUSTER_IDENTITY.contains(String.valueOf(p.get("name")))) {
                throw ApiError.badRequest("Warren cannot import global parameter '" + p.get("name") + "'");
            }
        }
        List<User> users = new ArrayList<>();
        for (Map<String, Object> m : list(body, "users")) {
            Bodies.require(m, "name");
            users.add(UserApi.userFrom(String.valueOf(m.get("name")), m));
        }
        List<Vhost> vhosts = new ArrayList<>();
        for (Map<String, Object> m : list(body, "vhosts")) {
            Bodies.require(m, "name");
            Map<String, Object> metadata = m.get("metadata") instanceof Map<?, ?> md ? stringKeys(md) : m;
            vhosts.add(new Vhost(String.valueOf(m.get("name")), new VhostSettings(
                    Bodies.string(metadata, "description", ""), UserApi.tags(metadata.get("tags")),
                    io.warren.broker.auth.Limits.NONE)));
        }
        List<Grant> grants = new ArrayList<>();
        for (Map<String, Object> m : list(body, "permissions")) {
            Bodies.require(m, "user", "vhost", "configure", "write", "read");
            grants.add(new Grant(String.valueOf(m.get("user")), String.valueOf(m.get("vhost")),
                    PermissionApi.permission(m), null));
        }
        for (Map<String, Object> m : list(body, "topic_permissions")) {
            Bodies.require(m, "user", "vhost", "exchange", "write", "read");
            grants.add(new Grant(String.valueOf(m.get("user")), String.valueOf(m.get("vhost")), null,
                    PermissionApi.topicPermission(m)));
        }
        Administration admin = context.admin();
        synchronized (admin) {
            for (Grant g : grants) {
                if (users.stream().noneMatch(x -> x.name().equals(g.user())) && context.users().find(g.user()) == null) {
                    throw ApiError.badRequest(List.of("no_such_user", g.user()));
                }
                if (vhosts.stream().noneMatch(x -> x.name().equals(g.vhost())) && context.vhosts().find(g.vhost()) == null) {
                    throw ApiError.badRequest(List.of("no_such_vhost", g.vhost()));
                }
            }
            for (Vhost v : vhosts) {
                if (context.vhosts().find(v.name()) == null) {
                    admin.putVhost(v.name(), v.settings());
                }
            }
            for (User user : users) {
                User current = context.users().find(user.name());
                admin.putUser(current == null ? user : new User(user.name(), user.password(), user.tags(),
                        current.permissions(), current.topicPermissions(), user.limits()));
            }
            for (Grant g : grants) {
                if (g.permission() != null) {
                    admin.setPermission(g.user(), g.vhost(), g.permission());
                } else {
                    admin.updateUser(g.user(), x -> x.withTopicPermission(g.vhost(), g.topic()));
                }
            }
        }
    }

    /** A section: a list of objects (absent: empty); anything else is refused. */
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw ApiError.badRequest("definitions section '" + key + "' is not a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m)) {
                throw ApiError.badRequest("definitions section '" + key + "' holds something other than objects");
            }
            out.add(stringKeys(m));
        }
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
    }
}
