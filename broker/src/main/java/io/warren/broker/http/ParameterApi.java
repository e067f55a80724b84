package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.DELETE;
import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.PUT;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.admin.RuntimeParameters;
import io.warren.broker.policy.Policy;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/parameters...} and {@code /api/global-parameters...} as RabbitMQ without plugins
 * answers them. Vhost parameters belong to components; the only ones RabbitMQ has without its
 * plugins are its policies ("policy", listed under its own component only, and set only through
 * {@code /api/policies}) and operator policies ("operator_policy"). Warren has no shovel or
 * federation, so any other component is refused ("component shovel not found"), as RabbitMQ
 * refuses it without those plugins. Global parameters hold any JSON value under any name.
 */
final class ParameterApi {

    static final String POLICY = "policy";
    static final String OPERATOR_POLICY = "operator_policy";
    /** A vhost's limits are a parameter too, named "limits" (the same as {@code /api/vhost-limits}). */
    static final String VHOST_LIMITS = "vhost-limits";

    private final ApiContext context;

    ParameterApi(ApiContext context) {
        this.context = context;
    }

    private RuntimeParameters parameters() {
        return context.admin().parameters();
    }

    void routeParameters(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 4);
        if (!u.administrator() && !u.user().tags().contains("policymaker")) {
            throw ApiError.notAuthorised("User not authorised to access object");
        }
        if (n < 4) {
            r.allow(GET);
            String component = n >= 2 ? r.segment(1) : null;
            String vhost = n == 3 ? r.segment(2) : null;
            if (vhost != null) {
                ApiHandler.vhost(context, vhost);
                u.checkVhostAccess(vhost);
            }
            reply.json(HttpResponseStatus.OK, views(u, component, vhost));
            return;
        }
        r.allow(GET, PUT, DELETE);
        String component = r.segment(1);
        String vhost = r.segment(2);
        String name = r.segment(3);
        boolean operator = component.equals(OPERATOR_POLICY);
        if (component.equals(VHOST_LIMITS)) {
            vhostLimits(r, u, reply, vhost, name);
            return;
        }
        switch (r.method()) {
            case GET -> {
                VirtualHost v = ApiHandler.vhost(context, vhost);
                u.checkVhostAccess(vhost);
                Policy p = operator || component.equals(POLICY) ? v.policies().find(name, operator) : null;
                if (p == null) {
                    throw ApiError.notFound();
                }
                reply.json(HttpResponseStatus.OK, view(p, component));
            }
            case PUT -> {
                if (context.vhosts().find(vhost) == null) {
                    throw ApiError.notFound("vhost_not_found");
                }
                if (operator) {
                    PolicyApi.mayChange(u, true, vhost); // who may, before what: RabbitMQ's order
                }
                Policy p = operatorPolicy(component, vhost, name, r.json());
                boolean created = parameters().putPolicy(p, true, u.name());
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                if (!operator) {
                    throw ApiError.notFound();
                }
                PolicyApi.mayChange(u, true, vhost);
                if (!parameters().deletePolicy(vhost, name, true, u.name())) {
                    throw ApiError.notFound();
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    /** {@code /api/parameters/vhost-limits/{vhost}/limits}: all of a vhost's limits at once. */
    private void vhostLimits(ApiHandler.Request r, ManagementUser u, HttpResponses reply, String vhost, String name) {
        VirtualHost v = context.vhosts().find(vhost);
        if (r.method().equals(GET)) {
            if (v == null || !name.equals("limits") || v.settings().limits().isEmpty()) {
                throw ApiError.notFound();
            }
            u.checkVhostAccess(vhost);
            reply.json(HttpResponseStatus.OK, limitsView(v));
            return;
        }
        UserApi.requireAdministrator(u);
        if (v == null) {
            throw r.method().equals(PUT) ? ApiError.notFound("vhost_not_found") : ApiError.notFound();
        }
        if (r.method().equals(PUT)) {
            io.warren.broker.auth.Limits limits = vhostLimits(name, r.json());
            context.admin().updateVhost(vhost, s -> s.withLimits(limits));
            reply.empty(HttpResponseStatus.NO_CONTENT);
        } else {
            if (!name.equals("limits") || v.settings().limits().isEmpty()) {
                throw ApiError.notFound();
            }
            context.admin().updateVhost(vhost, s -> s.withLimits(io.warren.broker.auth.Limits.NONE));
            reply.empty(HttpResponseStatus.NO_CONTENT);
        }
    }

    /** The limits a vhost-limits parameter sets (all of them: the ones it leaves out are cleared). */
    static io.warren.broker.auth.Limits vhostLimits(String name, Map<String, Object> body) {
        if (!name.equals("limits")) {
            throw ApiError.badRequest("Validation failed\n\nvhost limits are named 'limits', not '" + name + "'\n");
        }
        Bodies.require(body, "value");
        if (!(body.get("value") instanceof Map<?, ?> m)) {
            throw ApiError.badRequest("Validation failed\n\n" + name + " not a JSON object\n");
        }
        Map<String, Long> values = new LinkedHashMap<>();
        try {
            m.forEach((k, v) -> values.put(String.valueOf(k), VhostApi.vhostLimit(String.valueOf(k), v)));
        } catch (ApiError e) {
            throw ApiError.badRequest(String.valueOf(e.reason).replace("<", "&lt;").replace(">", "&gt;"));
        }
        return new io.warren.broker.auth.Limits(values);
    }

    static Map<String, Object> limitsView(VirtualHost v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", AccessViews.limits(v.settings().limits()));
        m.put("vhost", v.name());
        m.put("component", VHOST_LIMITS);
        m.put("name", "limits");
        return m;
    }

    /**
     * The operator policy a parameter PUT (or a definitions file's parameter) describes; any
     * other component is refused with RabbitMQ's reasons.
     */
    static Policy operatorPolicy(String component, String vhost, String name, Map<String, Object> body) {
        if (component.equals(POLICY)) {
            throw ApiError.badRequest("policies may not be set using this method");
        }
        if (!component.equals(OPERATOR_POLICY)) {
            throw ApiError.badRequest("Validation failed\n\ncomponent " + component + " not found\n");
        }
        Bodies.require(body, "value");
        if (!(body.get("value") instanceof Map<?, ?> m)) {
            throw ApiError.badRequest("Validation failed\n\n" + name + " not a JSON object\n");
        }
        Map<String, Object> value = new LinkedHashMap<>();
        m.forEach((k, x) -> value.put(String.valueOf(k), x));
        if (value.get("priority") == null) {
            throw ApiError.badRequest("Validation failed\n\nKey \"priority\" not found in " + name + "\n");
        }
        return PolicyApi.parse(vhost, name, value, true);
    }

    /** A policy as RabbitMQ shows it as a runtime parameter. */
    static Map<String, Object> view(Policy p, String component) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", p.value());
        m.put("vhost", p.vhost());
        m.put("component", component);
        m.put("name", p.name());
        return m;
    }

    /** RabbitMQ's list leaves policies out unless asked for by component. */
    private List<Object> views(ManagementUser u, String component, String vhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : context.vhosts().all()) {
            if ((vhost != null && !v.name().equals(vhost)) || !u.listsObjectsIn(v.name())) {
                continue;
            }
            if ((component == null || component.equals(VHOST_LIMITS)) && !v.settings().limits().isEmpty()) {
                out.add(limitsView(v));
            }
            if (component == null || component.equals(OPERATOR_POLICY)) {
                v.policies().list(true).forEach(p -> out.add(view(p, OPERATOR_POLICY)));
            }
            if (POLICY.equals(component)) {
                v.policies().list(false).forEach(p -> out.add(view(p, POLICY)));
            }
        }
        return out;
    }

    // ---- global parameters ------------------------------------------------------------------

    void routeGlobal(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 2);
        if (!u.administrator()) {
            throw ApiError.notAuthorised("User not authorised to access object");
        }
        if (n == 1) {
            r.allow(GET);
            reply.json(HttpResponseStatus.OK, globalViews(parameters().globalParameters()));
            return;
        }
        r.allow(GET, PUT, DELETE);
        String name = r.segment(1);
        switch (r.method()) {
            case GET -> {
                Map<String, Object> all = parameters().globalParameters();
                if (!all.containsKey(name)) {
                    throw ApiError.notFound();
                }
                reply.json(HttpResponseStatus.OK, globalView(name, all.get(name)));
            }
            case PUT -> {
                Map<String, Object> body = r.json();
                Bodies.require(body, "value");
                boolean created = parameters().putGlobal(name, body.get("value"));
                reply.empty(created ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
            default -> {
                if (!parameters().deleteGlobal(name)) {
                    throw ApiError.notFound();
                }
                reply.empty(HttpResponseStatus.NO_CONTENT);
            }
        }
    }

    /** Global parameters as RabbitMQ lists them (and exports them): name and value, by name. */
    static List<Object> globalViews(Map<String, Object> all) {
        List<Object> out = new ArrayList<>();
        new TreeMap<>(all).forEach((name, value) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("value", value);
            out.add(m);
        });
        return out;
    }

    private static Map<String, Object> globalView(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("name", name);
        return m;
    }
}
