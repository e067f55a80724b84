package io.warren.broker.http;

import io.warren.broker.admin.Administration;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.policy.Policy;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.vhost.VhostSettings;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.ExchangeDefinition;
import io.warren.exchange.ExchangeTypes;
import io.warren.exchange.InvalidBindingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports RabbitMQ's definitions ({@code POST /api/definitions}, {@code POST
 * /api/definitions/{vhost}}, {@code --load-definitions FILE}) in RabbitMQ's order: users,
 * vhosts, permissions, topic permissions, parameters (operator policies, vhost limits), global
 * parameters, policies, queues, exchanges, bindings. Users keep their password hashes and
 * algorithms (they log in with their old passwords); objects that exist already are left as
 * they are, as RabbitMQ leaves them; exchanges named {@code amq.*} are skipped, as RabbitMQ
 * skips them. A vhost's import takes only the vhost's sections and puts everything into that
 * vhost.
 *
 * <p>Everything is checked before anything changes: a file Warren cannot import whole (a
 * parameter of a component it does not have, such as a shovel; a bad policy, queue argument or
 * exchange type; a reference to a vhost, user or exchange it has nowhere) changes nothing and
 * is answered 400 with the reason.
 */
public final class DefinitionsImport {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsImport.class);

    /** What an export carries besides its sections: kept out of the broker, harmless. */
    private static final Set<String> INFORMATIONAL = Set.of("rabbit_version", "rabbitmq_version", "product_name",
            "product_version", "explanation");
    private static final Set<String> SECTIONS = Set.of("users", "vhosts", "permissions", "topic_permissions",
            "parameters", "global_parameters", "policies", "queues", "exchanges", "bindings");
    private static final ExchangeTypes TYPES = ExchangeTypes.standard();

    private final ApiContext context;

    private record Vhost(String name, VhostSettings settings) {}

    private record Grant(String user, String vhost, Permission permission, TopicPermission topic) {}

    private record VhostLimits(String vhost, Limits limits) {}

    /** Everything a file holds, checked: what {@link #apply} changes. */
    private record Plan(List<User> users, List<Vhost> vhosts, List<Grant> grants, List<Policy> operatorPolicies,
                        List<VhostLimits> limits, Map<String, Object> globals, List<Policy> policies,
                        List<QueueDefinition> queues, Map<String, List<ExchangeDefinition>> exchanges,
                        Map<String, List<Binding>> bindings) {}

    DefinitionsImport(ApiContext context) {
        this.context = context;
    }

    /** {@code --load-definitions} could not read or import its file: the broker does not start. */
    public static final class LoadException extends RuntimeException {
        LoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * {@code --load-definitions}: imports a definitions file at start-up, as RabbitMQ's
     * load_definitions does; a file that cannot be read or imported stops the start.
     */
    public static void load(ApiContext context, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LoadException("cannot read definitions file " + file + ": " + e.getMessage(), e);
        }
        Object body;
        try {
            body = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new LoadException("definitions file " + file + " is not JSON: " + e.getMessage(), e);
        }
        if (!(body instanceof Map<?, ?> m)) {
            throw new LoadException("definitions file " + file + " is not a JSON object", null);
        }
        try {
            new DefinitionsImport(context).run(stringKeys(m), null, "rmq-internal");
        } catch (ApiError e) {
            throw new LoadException("cannot import definitions file " + file + ": " + e.reason, e);
        }
        LOG.info("imported definitions from {}", file.toAbsolutePath());
    }

    /** Imports a file; {@code intoVhost} non-null: a vhost's import (its sections only, all into it). */
    void run(Map<String, Object> body, String intoVhost, String actingUser) {
        for (String key : body.keySet()) {
            if (!INFORMATIONAL.contains(key) && !SECTIONS.contains(key)) {
                throw ApiError.badRequest("unknown definitions section '" + key + "'");
            }
        }
        Administration admin = context.admin();
        synchronized (admin) {
            Plan plan = plan(body, intoVhost);
            apply(plan, actingUser);
        }
    }

    // ---- check ------------------------------------------------------------------------------

    private Plan plan(Map<String, Object> body, String intoVhost) {
        boolean whole = intoVhost == null;
        List<User> users = new ArrayList<>();
        List<Vhost> vhosts = new ArrayList<>();
        List<Grant> grants = new ArrayList<>();
        Map<String, Object> globals = new LinkedHashMap<>();
        if (whole) {
            for (Map<String, Object> m : list(body, "users")) {
                Bodies.require(m, "name");
                users.add(UserApi.userFrom(String.valueOf(m.get("name")), m));
            }
            for (Map<String, Object> m : list(body, "vhosts")) {
                Bodies.require(m, "name");
                Map<String, Object> metadata = m.get("metadata") instanceof Map<?, ?> md ? stringKeys(md) : m;
                vhosts.add(new Vhost(String.valueOf(m.get("name")), new VhostSettings(
                        Bodies.string(metadata, "description", ""), UserApi.tags(metadata.get("tags")), Limits.NONE)));
            }
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
            for (Map<String, Object> m : list(body, "global_parameters")) {
                Bodies.require(m, "name", "value");
                globals.put(String.valueOf(m.get("name")), m.get("value"));
            }
        }
        Set<String> knownVhosts = new HashSet<>();
        vhosts.forEach(v -> knownVhosts.add(v.name()));
        context.vhosts().all().forEach(v -> knownVhosts.add(v.name()));
        for (Grant g : grants) {
            if (users.stream().noneMatch(x -> x.name().equals(g.user())) && context.users().find(g.user()) == null) {
                throw ApiError.badRequest(List.of("no_such_user", g.user()));
            }
            vhostIn(knownVhosts, g.vhost());
        }
        List<Policy> operatorPolicies = new ArrayList<>();
        List<VhostLimits> limits = new ArrayList<>();
        for (Map<String, Object> m : list(body, "parameters")) {
            Bodies.require(m, "component", "name", "value");
            String vhost = vhostIn(knownVhosts, intoVhost != null ? intoVhost : String.valueOf(m.get("vhost")));
            String component = String.valueOf(m.get("component"));
            String name = String.valueOf(m.get("name"));
            if (component.equals(ParameterApi.VHOST_LIMITS)) {
                limits.add(new VhostLimits(vhost, ParameterApi.vhostLimits(name, m)));
            } else {
                try {
                    operatorPolicies.add(ParameterApi.operatorPolicy(component, vhost, name, m));
                } catch (ApiError e) {
                    // RabbitMQ names the parameter after its reason
                    throw ApiError.badRequest(e.reason + " (" + vhost + "/" + component + "/" + name + ")");
                }
            }
        }
        List<Policy> policies = new ArrayList<>();
        for (Map<String, Object> m : list(body, "policies")) {
            Bodies.require(m, "name");
            String vhost = vhostIn(knownVhosts, intoVhost != null ? intoVhost : String.valueOf(m.get("vhost")));
            policies.add(PolicyApi.parse(vhost, String.valueOf(m.get("name")), m, false));
        }
        List<QueueDefinition> queues = new ArrayList<>();
        for (Map<String, Object> m : list(body, "queues")) {
            Bodies.require(m, "name");
            String vhost = vhostIn(knownVhosts, intoVhost != null ? intoVhost : String.valueOf(m.get("vhost")));
            String name = String.valueOf(m.get("name"));
            QueueDefinition q = new QueueDefinition(vhost, name, Bodies.bool(m, "durable", false), false,
                    Bodies.bool(m, "auto_delete", false), Bodies.table(m, "arguments"));
            QueueArguments.Invalid invalid = QueueArguments.validate(q);
            if (invalid != null) {
                throw ApiError.badRequest(invalid.explain(name, vhost));
            }
            queues.add(q);
        }
        Map<String, List<ExchangeDefinition>> exchanges = new LinkedHashMap<>();
        for (Map<String, Object> m : list(body, "exchanges")) {
            Bodies.require(m, "name", "type");
            String vhost = vhostIn(knownVhosts, intoVhost != null ? intoVhost : String.valueOf(m.get("vhost")));
            String type = String.valueOf(m.get("type"));
            if (!TYPES.isKnown(type)) {
                throw ApiError.badRequest("invalid exchange type '" + type + "'");
            }
            exchanges.computeIfAbsent(vhost, v -> new ArrayList<>()).add(new ExchangeDefinition(
                    String.valueOf(m.get("name")), type, Bodies.bool(m, "durable", false),
                    Bodies.bool(m, "auto_delete", false), Bodies.bool(m, "internal", false),
                    Bodies.table(m, "arguments")));
        }
        Map<String, List<Binding>> bindings = new LinkedHashMap<>();
        for (Map<String, Object> m : list(body, "bindings")) {
            Bodies.require(m, "source", "destination", "destination_type");
            String vhost = vhostIn(knownVhosts, intoVhost != null ? intoVhost : String.valueOf(m.get("vhost")));
            String type = String.valueOf(m.get("destination_type"));
            if (!type.equals("queue") && !type.equals("exchange")) {
                throw ApiError.badRequest("invalid destination_type '" + type + "'");
            }
            Binding b = new Binding(String.valueOf(m.get("source")),
                    type.equals("queue") ? DestinationKind.QUEUE : DestinationKind.EXCHANGE,
                    String.valueOf(m.get("destination")), Bodies.string(m, "routing_key", ""),
                    Bodies.table(m, "arguments"));
            checkEnds(vhost, b, queues, exchanges.getOrDefault(vhost, List.of()));
            bindings.computeIfAbsent(vhost, v -> new ArrayList<>()).add(b);
        }
        return new Plan(users, vhosts, grants, operatorPolicies, limits, globals, policies, queues, exchanges,
                bindings);
    }

    private static String vhostIn(Set<String> known, String vhost) {
        if (!known.contains(vhost)) {
            throw ApiError.badRequest(List.of("no_such_vhost", vhost));
        }
        return vhost;
    }

    /** A binding's source and destination exist, in the broker or in the file ({@code amq.*} in every vhost). */
    private void checkEnds(String vhost, Binding b, List<QueueDefinition> queues, List<ExchangeDefinition> exchanges) {
        if (!exchangeExists(vhost, b.source(), exchanges)) {
            throw ApiError.badRequest("no exchange '" + b.source() + "' in vhost '" + vhost + "'");
        }
        boolean destination = b.kind() == DestinationKind.EXCHANGE ? exchangeExists(vhost, b.destination(), exchanges)
                : queues.stream().anyMatch(q -> q.vhost().equals(vhost) && q.name().equals(b.destination()))
                        || (context.vhosts().find(vhost) != null && context.vhosts().find(vhost).queue(b.destination()) != null);
        if (!destination) {
            throw ApiError.badRequest("no " + (b.kind() == DestinationKind.QUEUE ? "queue" : "exchange") + " '"
                    + b.destination() + "' in vhost '" + vhost + "'");
        }
    }

    private boolean exchangeExists(String vhost, String name, List<ExchangeDefinition> exchanges) {
        if (name.startsWith("amq.")) {
            return true; // the standard exchanges of every vhost; any other amq.* is refused by bind
        }
        VirtualHost v = context.vhosts().find(vhost);
        return exchanges.stream().anyMatch(x -> x.name().equals(name))
                || (v != null && v.topology().exchange(name) != null);
    }

    // ---- apply ------------------------------------------------------------------------------

    private void apply(Plan plan, String actingUser) {
        Administration admin = context.admin();
        for (Vhost v : plan.vhosts()) {
            if (context.vhosts().find(v.name()) == null) {
                admin.putVhost(v.name(), v.settings());
            }
        }
        for (User user : plan.users()) {
            User current = context.users().find(user.name());
            admin.putUser(current == null ? user : new User(user.name(), user.password(), user.tags(),
                    current.permissions(), current.topicPermissions(), user.limits()));
        }
        for (Grant g : plan.grants()) {
            if (g.permission() != null) {
                admin.setPermission(g.user(), g.vhost(), g.permission());
            } else {
                admin.updateUser(g.user(), x -> x.withTopicPermission(g.vhost(), g.topic()));
            }
        }
        for (VhostLimits l : plan.limits()) {
            admin.updateVhost(l.vhost(), s -> s.withLimits(l.limits())); // the parameter is all the limits
        }
        plan.globals().forEach(admin.parameters()::putGlobal);
        for (Policy p : plan.operatorPolicies()) {
            admin.parameters().putPolicy(p, true, actingUser);
        }
        for (Policy p : plan.policies()) {
            admin.parameters().putPolicy(p, false, actingUser);
        }
        for (QueueDefinition q : plan.queues()) {
            VirtualHost v = context.vhosts().find(q.vhost());
            v.declareQueue(q, context.ioLoops().next(), null);
        }
        plan.exchanges().forEach((vhost, list) -> {
            VirtualHost v = context.vhosts().find(vhost);
            for (ExchangeDefinition x : list) {
                if (x.name().startsWith("amq.") || x.name().isEmpty()) {
                    LOG.warn("Skipping import of an exchange whose name begins with 'amq.', name: {}, acting user: {}",
                            x.name(), actingUser);
                    continue;
                }
                var declared = v.topology().declareExchange(x);
                if (declared.created()) {
                    v.listener().exchangeDeclared(v, declared.exchange());
                }
            }
        });
        plan.bindings().forEach((vhost, list) -> {
            VirtualHost v = context.vhosts().find(vhost);
            for (Binding b : list) {
                BindResult result;
                try {
                    result = v.topology().bind(b);
                } catch (InvalidBindingException e) {
                    throw ApiError.badRequest(e.getMessage());
                }
                if (result == BindResult.CREATED) {
                    v.listener().bindingAdded(v, b);
                }
            }
        });
        admin.awaitDurable();
        LOG.info("imported definitions: {} users, {} vhosts, {} permissions, {} policies, {} operator policies,"
                + " {} queues, {} exchanges, {} bindings", plan.users().size(), plan.vhosts().size(),
                plan.grants().size(), plan.policies().size(), plan.operatorPolicies().size(), plan.queues().size(),
                plan.exchanges().values().stream().mapToInt(List::size).sum(),
                plan.bindings().values().stream().mapToInt(List::size).sum());
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

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
    }
}
