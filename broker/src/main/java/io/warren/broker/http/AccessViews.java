package io.warren.broker.http;

import io.warren.broker.auth.Limits;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Users, permissions and limits as RabbitMQ's API shows them (field names and order). */
final class AccessViews {

    private AccessViews() {}

    static Map<String, Object> user(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("password_hash", u.password().toBase64());
        m.put("hashing_algorithm", u.password().algorithm().rabbitName());
        m.put("tags", u.tags());
        m.put("limits", limits(u.limits()));
        return m;
    }

    static Map<String, Object> limits(Limits limits) {
        return new LinkedHashMap<>(limits.values());
    }

    /** An entry of {@code /api/vhost-limits} or {@code /api/user-limits}: {"vhost": v, "value": {...}}. */
    static Map<String, Object> limitsOf(String kind, String name, Limits limits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(kind, name);
        m.put("value", limits(limits));
        return m;
    }

    /** {@code vhostFirst}: the order of {@code /api/vhosts/{v}/permissions}, which names the vhost first. */
    static Map<String, Object> permission(String user, String vhost, Permission p, boolean vhostFirst) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (vhostFirst) {
            m.put("vhost", vhost);
            m.put("user", user);
        } else {
            m.put("user", user);
            m.put("vhost", vhost);
        }
        m.put("configure", p.configure());
        m.put("write", p.write());
        m.put("read", p.read());
        return m;
    }

    static Map<String, Object> topicPermission(String user, String vhost, TopicPermission p, boolean vhostFirst) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (vhostFirst) {
            m.put("vhost", vhost);
            m.put("user", user);
        } else {
            m.put("user", user);
            m.put("vhost", vhost);
        }
        m.put("exchange", p.exchange());
        m.put("write", p.write());
        m.put("read", p.read());
        return m;
    }

    static List<User> sorted(Iterable<User> users) {
        List<User> out = new ArrayList<>();
        users.forEach(out::add);
        out.sort(Comparator.comparing(User::name));
        return out;
    }

    /** Every permission of {@code users} in {@code vhost} (all vhosts when null), by user then vhost. */
    static List<Object> permissions(Iterable<User> users, String vhost, boolean vhostFirst) {
        List<Object> out = new ArrayList<>();
        for (User u : sorted(users)) {
            for (Map.Entry<String, Permission> e : new TreeMap<>(u.permissions()).entrySet()) {
                if (vhost == null || vhost.equals(e.getKey())) {
                    out.add(permission(u.name(), e.getKey(), e.getValue(), vhostFirst));
                }
            }
        }
        return out;
    }

    static List<Object> topicPermissions(Iterable<User> users, String vhost, boolean vhostFirst) {
        List<Object> out = new ArrayList<>();
        for (User u : sorted(users)) {
            for (Map.Entry<String, Map<String, TopicPermission>> e : new TreeMap<>(u.topicPermissions()).entrySet()) {
                if (vhost == null || vhost.equals(e.getKey())) {
                    for (TopicPermission p : new TreeMap<>(e.getValue()).values()) {
                        out.add(topicPermission(u.name(), e.getKey(), p, vhostFirst));
                    }
                }
            }
        }
        return out;
    }

    /** A vhost as {@code GET /api/vhosts/{v}} shows it (Warren has no tracing and one node). */
    static Map<String, Object> vhost(VirtualHost v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("description", v.settings().description());
        m.put("tags", v.settings().tags());
        m.put("default_queue_type", "undefined");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("description", v.settings().description());
        metadata.put("tags", v.settings().tags());
        m.put("metadata", metadata);
        m.put("tracing", false);
        m.put("cluster_state", Map.of(Views.NODE, "running"));
        // the depths of its queues, as RabbitMQ sums them (rabbitmqadmin list vhosts shows messages)
        long ready = 0;
        long unacked = 0;
        for (io.warren.broker.queue.Queue q : v.queues()) {
            ready += q.messageCount();
            unacked += q.unackedCount();
        }
        m.put("messages", ready + unacked);
        m.put("messages_ready", ready);
        m.put("messages_unacknowledged", unacked);
        return m;
    }
}
