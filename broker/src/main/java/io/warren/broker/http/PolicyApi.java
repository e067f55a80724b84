package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.DELETE;
import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.PUT;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.RuntimeParameters;
import io.warren.broker.policy.Policy;
import io.warren.broker.policy.PolicyException;
import io.warren.broker.policy.PolicyRules;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/policies[/{vhost}[/{name}]]} and {@code /api/operator-policies...} as RabbitMQ
 * answers them: any management user lists those of the vhosts it may access; policymakers and
 * administrators read one, set and clear policies, administrators alone operator policies.
 * A refused definition answers 400 with RabbitMQ's reason (HTML-escaped for policies, as its
 * management plugin escapes them, and not for operator policies).
 */
final class PolicyApi {

    private final ApiContext context;

    PolicyApi(ApiContext context) {
        this.context = context;
    }

    private RuntimeParameters parameters() {
        return context.admin().parameters();
    }

    void route(ApiHandler.Request r, ManagementUser u, HttpResponses reply, boolean operator) {
        int n = r.path().size();
        only(n <= 3);
        if (n < 3) {
            r.allow(GET);
            if (n == 2) {
                ApiHandler.vhost(context, r.segment(1));
                u.checkVhostAccess(r.segment(1));
            }
            reply.json(HttpResponseStatus.OK, views(u, n == 2 ? r.segment(1) : null, operator));
            return;
        }
        r.allow(GET, PUT, DELETE);
        String vhost = r.segment(1);
        String name = r.segment(2);
        switch (r.method()) {
            case GET -> {
                VirtualHost v = ApiHandler.vhost(context, vhost);
                mayChange(u, operator, vhost); // RabbitMQ: anyone lists them, one is the policymaker's
                Policy p = v.policies().find(name, operator);
                if (p == null) {
                    throw ApiError.notFound();
                }
                reply.json(HttpResponseStatus.OK, p.view());
            }
            case PUT -> {
                mayChange(u, operator, vhost);
                if (context.vhosts().find(vhost) == null) {
                    throw ApiError.notFound("vhost_not_found");
                }
                Policy p = parse(vhost, name, r.json(), operator);
                boolean created = parameters().putPolicy(p, operator, u.name());
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                mayChange(u, operator, vhost);
                if (!parameters().deletePolicy(vhost, name, operator, u.name())) {
                    throw ApiError.notFound();
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    /** RabbitMQ's refusals: operator policies are the administrator's, policies the policymaker's too. */
    static void mayChange(ManagementUser u, boolean operator, String vhost) {
        if (operator) {
            UserApi.requireAdministrator(u);
        } else if (!u.administrator() && !u.user().tags().contains("policymaker")) {
            throw ApiError.notAuthorised("User not authorised to access object");
        }
        if (!u.administrator()) {
            u.checkVhostAccess(vhost);
        }
    }

    /** A policy from a request body, or 400 with RabbitMQ's reason. */
    static Policy parse(String vhost, String name, Map<String, Object> body, boolean operator) {
        try {
            return PolicyRules.parse(vhost, name, body, operator);
        } catch (PolicyException e) {
            throw ApiError.badRequest(operator ? e.getMessage() : escapeHtml(e.getMessage()));
        }
    }

    /** As RabbitMQ's management plugin escapes the reasons of policy refusals. */
    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private List<Object> views(ManagementUser u, String vhost, boolean operator) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : context.vhosts().all()) {
            if ((vhost == null || v.name().equals(vhost)) && u.listsObjectsIn(v.name())) {
                for (Policy p : v.policies().list(operator)) {
                    out.add(p.view());
                }
            }
        }
        return out;
    }
}
