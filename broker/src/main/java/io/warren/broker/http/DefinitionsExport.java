package io.warren.broker.http;

import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.connection.ServerProperties;
import io.warren.broker.policy.Policy;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.Exchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/definitions[/{vhost}]}: the broker's definitions in RabbitMQ's export format,
 * field for field, so that RabbitMQ (or Warren) imports them. As RabbitMQ exports: exclusive
 * queues, the default exchange, the {@code amq.*} exchanges and the default exchange's implicit
 * bindings are left out; operator policies and vhost limits are runtime parameters
 * ({@code operator_policy}, {@code vhost-limits}). A single vhost's export has only its
 * parameters, policies, queues, exchanges and bindings, the last three without their vhost.
 */
final class DefinitionsExport {

    private final ApiContext context;

    DefinitionsExport(ApiContext context) {
        this.context = context;
    }

    Map<String, Object> all() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rabbit_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("rabbitmq_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        out.put("product_name", "Warren");
        out.put("product_version", ServerProperties.WARREN_VERSION);
        List<VirtualHost> vhosts = vhosts();
        List<User> users = AccessViews.sorted(context.users().all());
        out.put("users", users(users));
        out.put("vhosts", vhostViews(vhosts));
        out.put("permissions", permissions(users));
        out.put("topic_permissions", topicPermissions(users));
        out.put("parameters", parameters(vhosts));
        out.put("global_parameters", ParameterApi.globalViews(context.admin().parameters().globalParameters()));
        out.put("policies", policies(vhosts));
        out.put("queues", queues(vhosts, true));
        out.put("exchanges", exchanges(vhosts, true));
        out.put("bindings", bindings(vhosts, true));
        return out;
    }

    Map<String, Object> of(VirtualHost v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rabbit_version", ServerProperties.RABBITMQ_COMPAT_VERSION);
        List<VirtualHost> one = List.of(v);
        out.put("parameters", parameters(one));
        out.put("policies", policies(one));
        out.put("queues", queues(one, false));
        out.put("exchanges", exchanges(one, false));
        out.put("bindings", bindings(one, false));
        return out;
    }

    private List<VirtualHost> vhosts() {
        List<VirtualHost> out = new ArrayList<>(context.vhosts().all());
        out.sort(Comparator.comparing(VirtualHost::name));
        return out;
    }

    private static List<Object> users(List<User> users) {
        List<Object> out = new ArrayList<>();
        for (User u : users) {
            Map<String, Object> m = AccessViews.user(u);
            m.put("tags", List.copyOf(u.tags()));
            out.add(m);
        }
        return out;
    }

    /** Name, and the metadata RabbitMQ 3.11+ exports (3.10 ignores what it does not read). */
    private static List<Object> vhostViews(List<VirtualHost> vhosts) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("description", v.settings().description());
            metadata.put("tags", v.settings().tags());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.putAll(metadata);
            m.put("metadata", metadata);
            out.add(m);
        }
        return out;
    }

    private static List<Object> permissions(List<User> users) {
        List<Object> out = new ArrayList<>();
        for (User u : users) {
            for (Map.Entry<String, Permission> e : u.permissions().entrySet()) {
                out.add(AccessViews.permission(u.name(), e.getKey(), e.getValue(), false));
            }
        }
        return out;
    }

    private static List<Object> topicPermissions(List<User> users) {
        List<Object> out = new ArrayList<>();
        for (User u : users) {
            for (Map.Entry<String, Map<String, TopicPermission>> e : u.topicPermissions().entrySet()) {
                for (TopicPermission p : e.getValue().values()) {
                    out.add(AccessViews.topicPermission(u.name(), e.getKey(), p, false));
                }
            }
        }
        return out;
    }

    private static List<Object> parameters(List<VirtualHost> vhosts) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            for (Policy p : v.policies().list(true)) {
                out.add(ParameterApi.view(p, ParameterApi.OPERATOR_POLICY));
            }
            if (!v.settings().limits().isEmpty()) {
                out.add(ParameterApi.limitsView(v));
            }
        }
        return out;
    }

    private static List<Object> policies(List<VirtualHost> vhosts) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            for (Policy p : v.policies().list(false)) {
                out.add(p.view());
            }
        }
        return out;
    }

    private static List<Object> queues(List<VirtualHost> vhosts, boolean withVhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            List<Queue> queues = new ArrayList<>(v.queues());
            queues.sort(Comparator.comparing(Queue::name));
            for (Queue q : queues) {
                if (q.exclusiveOwner() != null) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", q.name());
                if (withVhost) {
                    m.put("vhost", v.name());
                }
                m.put("durable", q.definition().durable());
                m.put("auto_delete", q.definition().autoDelete());
                m.put("arguments", q.definition().arguments());
                out.add(m);
            }
        }
        return out;
    }

    private static List<Object> exchanges(List<VirtualHost> vhosts, boolean withVhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            for (Exchange x : v.topology().exchanges()) {
                if (x.isDefault() || x.name().startsWith("amq.")) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", x.name());
                if (withVhost) {
                    m.put("vhost", v.name());
                }
                m.put("type", x.type());
                m.put("durable", x.durable());
                m.put("auto_delete", x.autoDelete());
                m.put("internal", x.internal());
                m.put("arguments", x.arguments());
                out.add(m);
            }
        }
        return out;
    }

    private static List<Object> bindings(List<VirtualHost> vhosts, boolean withVhost) {
        List<Object> out = new ArrayList<>();
        for (VirtualHost v : vhosts) {
            for (Binding b : v.topology().bindings()) {
                if (b.kind() == DestinationKind.QUEUE) {
                    Queue q = v.queue(b.destination());
                    if (q == null || q.exclusiveOwner() != null) {
                        continue;
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", b.source());
                if (withVhost) {
                    m.put("vhost", v.name());
                }
                m.put("destination", b.destination());
                m.put("destination_type", b.kind() == DestinationKind.QUEUE ? "queue" : "exchange");
                m.put("routing_key", b.routingKey());
                m.put("arguments", b.arguments());
                out.add(m);
            }
        }
        return out;
    }
}
