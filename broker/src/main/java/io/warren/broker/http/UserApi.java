package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.DELETE;
import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.POST;
import static io.warren.broker.http.ApiHandler.PUT;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.HashingAlgorithm;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.PasswordHash;
import io.warren.broker.auth.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/users...} and {@code /api/user-limits...}, as RabbitMQ's management plugin answers
 * them: only administrators list or change users (others: 401 "Not administrator user"), except
 * that any management user may read user limits, as in RabbitMQ 3.10.
 */
final class UserApi {

    static final Set<String> USER_LIMITS = Set.of(Limits.MAX_CONNECTIONS, Limits.MAX_CHANNELS);

    private final ApiContext context;

    UserApi(ApiContext context) {
        this.context = context;
    }

    private Administration admin() {
        return context.admin();
    }

    static void requireAdministrator(ManagementUser u) {
        if (!u.administrator()) {
            throw ApiError.notAuthorised("Not administrator user");
        }
    }

    void routeUsers(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 3);
        if (n == 1) {
            r.allow(GET);
            requireAdministrator(u);
            List<Object> out = new ArrayList<>();
            for (User user : AccessViews.sorted(context.users().all())) {
                out.add(AccessViews.user(user));
            }
            reply.json(HttpResponseStatus.OK, Listing.unpaged(out, r.query()));
            return;
        }
        String name = r.segment(1);
        if (n == 2 && name.equals("without-permissions")) {
            r.allow(GET);
            requireAdministrator(u);
            List<Object> out = new ArrayList<>();
            for (User user : AccessViews.sorted(context.users().all())) {
                if (user.permissions().isEmpty()) {
                    out.add(AccessViews.user(user));
                }
            }
            reply.json(HttpResponseStatus.OK, out);
            return;
        }
        if (n == 2 && name.equals("bulk-delete")) {
            r.allow(POST);
            requireAdministrator(u);
            bulkDelete(r, reply);
            return;
        }
        if (n == 3) {
            only(r.segment(2).equals("permissions") || r.segment(2).equals("topic-permissions"));
            r.allow(GET);
            requireAdministrator(u);
            User user = existing(name);
            reply.json(HttpResponseStatus.OK, r.segment(2).equals("permissions")
                    ? AccessViews.permissions(List.of(user), null, false)
                    : AccessViews.topicPermissions(List.of(user), null, false));
            return;
        }
        r.allow(GET, PUT, DELETE);
        requireAdministrator(u);
        switch (r.method()) {
            case GET -> reply.json(HttpResponseStatus.OK, AccessViews.user(existing(name)));
            case PUT -> {
                boolean created = putUser(name, r.json());
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                if (!admin().deleteUser(name)) {
                    throw ApiError.notFound();
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    private User existing(String name) {
        User user = context.users().find(name);
        if (user == null) {
            throw ApiError.notFound();
        }
        return user;
    }

    /**
     * RabbitMQ 3.10's PUT of a user: tags required; a password or a password_hash (with its
     * hashing_algorithm), not both; neither creates a user without a password, or clears the
     * password of an existing one.
     */
    boolean putUser(String name, Map<String, Object> body) {
        if (!body.containsKey("tags")) {
            throw ApiError.badRequest("tags_not_present");
        }
        User user = userFrom(name, body);
        synchronized (admin()) {
            User current = context.users().find(name);
            if (current != null) {
                user = new User(name, user.password(), user.tags(), current.permissions(), current.topicPermissions(),
                        body.containsKey("limits") ? user.limits() : current.limits());
            }
            return admin().putUser(user);
        }
    }

    /** A user (without permissions) from RabbitMQ's JSON: the HTTP API's PUT and definitions. */
    static User userFrom(String name, Map<String, Object> body) {
        Object password = body.get("password");
        Object hash = body.get("password_hash");
        if (password != null && hash != null) {
            throw ApiError.badRequest("both_password_and_password_hash_are_provided");
        }
        PasswordHash passwordHash;
        if (password != null) {
            // RabbitMQ hashes a given password with its default algorithm, whatever hashing_algorithm says
            passwordHash = PasswordHash.of(password.toString());
        } else {
            String algorithmName = Bodies.string(body, "hashing_algorithm", HashingAlgorithm.DEFAULT.rabbitName());
            HashingAlgorithm algorithm = HashingAlgorithm.of(algorithmName);
            if (algorithm == null) {
                throw ApiError.badRequest("unknown hashing_algorithm '" + algorithmName + "' (Warren knows "
                        + "rabbit_password_hashing_sha256, rabbit_password_hashing_sha512 and rabbit_password_hashing_md5)");
            }
            String encoded = hash == null ? "" : hash.toString();
            try {
                passwordHash = PasswordHash.fromBase64(encoded, algorithm);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(List.of("not_base64", encoded));
            }
        }
        Limits limits = Limits.NONE;
        if (body.get("limits") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                limits = limits.with(String.valueOf(e.getKey()), userLimit(String.valueOf(e.getKey()), e.getValue()));
            }
        }
        return new User(name, passwordHash, tags(body.get("tags")), Map.of(), Map.of(), limits);
    }

    /** Tags as RabbitMQ 3.10 takes them: a comma-separated string ("a, b") or a list. */
    static List<String> tags(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(String.valueOf(o).strip());
            }
        } else if (v != null) {
            for (String t : v.toString().split(",")) {
                out.add(t.strip());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private void bulkDelete(ApiHandler.Request r, HttpResponses reply) {
        Map<String, Object> body = r.json();
        Bodies.require(body, "users");
        if (!(body.get("users") instanceof List<?> names)) {
            throw ApiError.badRequest("[{key_missing,users}]");
        }
        // RabbitMQ deletes in order and stops at the first unknown user
        for (Object o : names) {
            String name = String.valueOf(o);
            if (!admin().deleteUser(name)) {
                throw ApiError.badRequest(List.of("no_such_user", name));
            }
        }
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    // ---- /api/user-limits -------------------------------------------------------------------

    void routeUserLimits(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 3);
        if (n <= 2) {
            r.allow(GET);
            List<Object> out = new ArrayList<>();
            if (n == 2) {
                User user = existing(r.segment(1));
                if (!user.limits().isEmpty()) {
                    out.add(AccessViews.limitsOf("user", user.name(), user.limits()));
                }
            } else {
                for (User user : AccessViews.sorted(context.users().all())) {
                    if (!user.limits().isEmpty()) {
                        out.add(AccessViews.limitsOf("user", user.name(), user.limits()));
                    }
                }
            }
            reply.json(HttpResponseStatus.OK, out);
            return;
        }
        r.allow(PUT, DELETE);
        requireAdministrator(u);
        String name = r.segment(1);
        String limit = r.segment(2);
        if (r.method().equals(PUT)) {
            Map<String, Object> body = r.json();
            Bodies.require(body, "value");
            long value = userLimit(limit, body.get("value"));
            if (admin().updateUser(name, user -> user.withLimits(user.limits().with(limit, value))) == null) {
                throw ApiError.badRequest(List.of("no_such_user", name));
            }
        } else {
            admin().updateUser(name, user -> user.withLimits(user.limits().without(limit)));
        }
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    private static long userLimit(String name, Object value) {
        if (!USER_LIMITS.contains(name)) {
            throw ApiError.badRequest("Unrecognised terms [{<<\"" + name + "\">>," + erlang(value) + "}] in user-limits");
        }
        if (!(value instanceof Long l)) {
            throw ApiError.badRequest(name + " should be a number, actually was " + erlang(value));
        }
        return l;
    }

    /** A JSON value as RabbitMQ's error texts print it (an Erlang term). */
    static String erlang(Object value) {
        return value instanceof String s ? "<<\"" + s + "\">>" : String.valueOf(value);
    }
}
