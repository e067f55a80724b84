package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.DELETE;
import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.PUT;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.Administration;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * {@code /api/permissions...} and {@code /api/topic-permissions...}: administrators only, with
 * RabbitMQ's answers (201 created, 204 changed or deleted, 400 "vhost_or_user_not_found", 404
 * for none).
 */
final class PermissionApi {

    private final ApiContext context;

    PermissionApi(ApiContext context) {
        this.context = context;
    }

    private Administration admin() {
        return context.admin();
    }

    void routePermissions(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        if (answeredList(r, u, reply, () -> AccessViews.permissions(context.users().all(), null, false))) {
            return;
        }
        String vhost = r.segment(1);
        String name = r.segment(2);
        switch (r.method()) {
            case GET -> {
                User user = context.users().find(name);
                Permission p = user == null || context.vhosts().find(vhost) == null ? null : user.permissionIn(vhost);
                if (p == null) {
                    throw ApiError.notFound();
                }
                reply.json(HttpResponseStatus.OK, AccessViews.permission(name, vhost, p, false));
            }
            case PUT -> {
                Map<String, Object> body = r.json();
                Bodies.require(body, "configure", "write", "read");
                Permission p = permission(body);
                boolean created;
                synchronized (admin()) {
                    User user = existing(name, vhost);
                    created = user.permissionIn(vhost) == null;
                    admin().setPermission(name, vhost, p);
                }
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                synchronized (admin()) {
                    User user = context.users().find(name);
                    if (user == null || user.permissionIn(vhost) == null) {
                        throw ApiError.notFound();
                    }
                    admin().setPermission(name, vhost, null);
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    void routeTopicPermissions(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        if (answeredList(r, u, reply, () -> AccessViews.topicPermissions(context.users().all(), null, false))) {
            return;
        }
        String vhost = r.segment(1);
        String name = r.segment(2);
        switch (r.method()) {
            case GET -> {
                User user = context.users().find(name);
                if (user == null || user.topicPermissionsIn(vhost).isEmpty()) {
                    throw ApiError.notFound();
                }
                reply.json(HttpResponseStatus.OK, AccessViews.topicPermissions(List.of(user), vhost, false));
            }
            case PUT -> {
                Map<String, Object> body = r.json();
                Bodies.require(body, "exchange", "write", "read");
                TopicPermission p = topicPermission(body);
                boolean created;
                synchronized (admin()) {
                    User user = existing(name, vhost);
                    // RabbitMQ: 201 only for the user's first topic permission in the vhost
                    created = user.topicPermissionsIn(vhost).isEmpty();
                    admin().updateUser(name, x -> x.withTopicPermission(vhost, p));
                }
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                synchronized (admin()) {
                    User user = context.users().find(name);
                    if (user == null || user.topicPermissionsIn(vhost).isEmpty()) {
                        throw ApiError.notFound();
                    }
                    admin().updateUser(name, x -> x.withoutTopicPermissions(vhost, null));
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    /**
     * The shared part of both paths, for administrators only: the list form ({@code /permissions})
     * is answered here (true); a {@code /permissions/{vhost}/{user}} request is left to the caller.
     */
    private static boolean answeredList(ApiHandler.Request r, ManagementUser u, HttpResponses reply,
                                        java.util.function.Supplier<Object> list) {
        int n = r.path().size();
        only(n == 1 || n == 3);
        r.allow(n == 1 ? new String[] {GET} : new String[] {GET, PUT, DELETE});
        UserApi.requireAdministrator(u);
        if (n == 1) {
            reply.json(HttpResponseStatus.OK, list.get());
        }
        return n == 1;
    }

    /** The user, when both it and the vhost exist; else RabbitMQ's 400. */
    private User existing(String name, String vhost) {
        User user = context.users().find(name);
        if (user == null || context.vhosts().find(vhost) == null) {
            throw ApiError.badRequest("vhost_or_user_not_found");
        }
        return user;
    }

    static Permission permission(Map<String, Object> body) {
        String configure = String.valueOf(body.get("configure"));
        String write = String.valueOf(body.get("write"));
        String read = String.valueOf(body.get("read"));
        try {
            return Permission.of(configure, write, read);
        } catch (PatternSyntaxException e) {
            throw invalidRegexp(e);
        }
    }

    static TopicPermission topicPermission(Map<String, Object> body) {
        try {
            return new TopicPermission(String.valueOf(body.get("exchange")), String.valueOf(body.get("write")),
                    String.valueOf(body.get("read")));
        } catch (PatternSyntaxException e) {
            throw invalidRegexp(e);
        }
    }

    /** RabbitMQ: 400 ["invalid_regexp", pattern, why]. */
    private static ApiError invalidRegexp(PatternSyntaxException e) {
        return ApiError.badRequest(List.of("invalid_regexp", e.getPattern(), e.getDescription()));
    }
}
