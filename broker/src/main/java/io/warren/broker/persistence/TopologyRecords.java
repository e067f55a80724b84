package io.warren.broker.persistence;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.amqp.FieldTables;
import io.warren.broker.auth.HashingAlgorithm;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.PasswordHash;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VhostSettings;
import io.warren.broker.queue.QueueDefinition;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.ExchangeDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable topology as metadata records: the key says what and where, the value is an AMQP field
 * table (the codec already round-trips every argument type exactly, so arguments come back as
 * declared). Keys are {@code kind \0 vhost \0 name...}: NUL never appears in AMQP short strings
 * that RabbitMQ accepts, and it sorts each kind's records together for prefix scans.
 */
public final class TopologyRecords {

    public static final String VHOST = "vhost\0";
    public static final String EXCHANGE = "exchange\0";
    public static final String QUEUE = "queue\0";
    public static final String BINDING = "binding\0";
    public static final String USER = "user\0";
    /** Policies and operator policies: {@code policy \0 vhost \0 policy|operator \0 name}. */
    public static final String POLICY = "policy\0";
    public static final String GLOBAL_PARAMETER = "global-parameter\0";

    private TopologyRecords() {}

    public static String vhostKey(String vhost) {
        return VHOST + vhost;
    }

    public static String exchangeKey(String vhost, String name) {
        return EXCHANGE + vhost + "\0" + name;
    }

    public static String queueKey(String vhost, String name) {
        return QUEUE + vhost + "\0" + name;
    }

    /** The key of a binding: its full identity, arguments included (as their encoded bytes, hex). */
    public static String bindingKey(String vhost, Binding b) {
        return BINDING + vhost + "\0" + b.source() + "\0" + b.kind() + "\0" + b.destination() + "\0"
                + b.routingKey() + "\0" + ByteBufUtil.hexDump(table(b.arguments()));
    }

    public static String policyKey(String vhost, boolean operator, String name) {
        return POLICY + vhost + "\0" + (operator ? "operator" : "policy") + "\0" + name;
    }

    public static String globalParameterKey(String name) {
        return GLOBAL_PARAMETER + name;
    }

    public static String userKey(String name) {
        return USER + name;
    }

    /**
     * The store's name for the message entries of one incarnation of a durable queue: a queue
     * deleted and declared again under the same name gets other entries, so that a message the
     * store took in for the old one after its deletion can never come back in the new one.
     * Incarnation 0 is a queue recorded before incarnations existed.
     */
    public static String messageQueueKey(String vhost, String name, long incarnation) {
        String key = vhost + "\0" + name;
        return incarnation == 0 ? key : key + "\0" + Long.toHexString(incarnation);
    }

    // ---- encode -----------------------------------------------------------------------------

    public static byte[] exchange(ExchangeDefinition d) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", d.name());
        t.put("type", d.type());
        t.put("durable", d.durable());
        t.put("auto_delete", d.autoDelete());
        t.put("internal", d.internal());
        t.put("arguments", d.arguments());
        return table(t);
    }

    public static byte[] queue(QueueDefinition d, long incarnation) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("vhost", d.vhost());
        t.put("name", d.name());
        t.put("durable", d.durable());
        t.put("auto_delete", d.autoDelete());
        t.put("arguments", d.arguments());
        t.put("incarnation", incarnation);
        return table(t);
    }

    public static byte[] binding(Binding b) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("source", b.source());
        t.put("kind", b.kind().name());
        t.put("destination", b.destination());
        t.put("routing_key", b.routingKey());
        t.put("arguments", b.arguments());
        return table(t);
    }

    /** A user whole: hash and algorithm, tags, permissions, topic permissions, limits. */
    public static byte[] user(User u) {
        Map<String, Object> perms = new LinkedHashMap<>();
        for (Map.Entry<String, Permission> e : u.permissions().entrySet()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("configure", e.getValue().configure());
            p.put("write", e.getValue().write());
            p.put("read", e.getValue().read());
            perms.put(e.getKey(), p);
        }
        Map<String, Object> topics = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, TopicPermission>> e : u.topicPermissions().entrySet()) {
            List<Object> inVhost = new ArrayList<>();
            for (TopicPermission tp : e.getValue().values()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("exchange", tp.exchange());
                p.put("write", tp.write());
                p.put("read", tp.read());
                inVhost.add(p);
            }
            topics.put(e.getKey(), inVhost);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", u.name());
        t.put("password_hash", u.password().toBase64());
        t.put("hashing_algorithm", u.password().algorithm().rabbitName());
        t.put("tags", List.copyOf(u.tags()));
        t.put("permissions", perms);
        t.put("topic_permissions", topics);
        t.put("limits", new LinkedHashMap<String, Object>(u.limits().values()));
        return table(t);
    }

    /** A vhost's settings; an empty record (written before vhosts had settings) reads as the defaults. */
    public static byte[] vhost(VhostSettings v) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("description", v.description());
        t.put("tags", List.copyOf(v.tags()));
        t.put("limits", new LinkedHashMap<String, Object>(v.limits().values()));
        return table(t);
    }

    /** A policy as its HTTP body has it (with its vhost and name): recovery validates it again. */
    public static byte[] policy(io.warren.broker.policy.Policy p, boolean operator) {
        Map<String, Object> t = new LinkedHashMap<>(p.view());
        t.put("operator", operator);
        return table(t);
    }

    /** A global parameter's value: any JSON value, kept under "value". */
    public static byte[] globalParameter(Object value) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("value", value);
        return table(t);
    }

    // ---- decode -----------------------------------------------------------------------------

    /**
     * A policy record: vhost, name, pattern, apply-to, priority, definition and "operator", with
     * strings as Java strings (as the HTTP API's JSON gives them).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> policy(byte[] bytes) {
        return (Map<String, Object>) plain(table(bytes));
    }

    public static Object globalParameter(byte[] bytes) {
        return plain(table(bytes).get("value"));
    }

    /** A decoded field-table value with its long strings as Java strings, all the way down. */
    private static Object plain(Object v) {
        if (v instanceof io.warren.amqp.LongString s) {
            return s.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    public static ExchangeDefinition exchange(byte[] bytes) {
        Map<String, Object> t = table(bytes);
        return new ExchangeDefinition(str(t, "name"), str(t, "type"), bool(t, "durable"), bool(t, "auto_delete"),
                bool(t, "internal"), map(t, "arguments"));
    }

    public static QueueDefinition queue(byte[] bytes) {
        Map<String, Object> t = table(bytes);
        return new QueueDefinition(str(t, "vhost"), str(t, "name"), bool(t, "durable"), false,
                bool(t, "auto_delete"), map(t, "arguments"));
    }

    /** The incarnation of a queue record (see {@link #messageQueueKey}); 0 in older records. */
    public static long queueIncarnation(byte[] bytes) {
        return table(bytes).get("incarnation") instanceof Number n ? n.longValue() : 0;
    }

    public static Binding binding(byte[] bytes) {
        Map<String, Object> t = table(bytes);
        return new Binding(str(t, "source"), DestinationKind.valueOf(str(t, "kind")), str(t, "destination"),
                str(t, "routing_key"), map(t, "arguments"));
    }

    public static User user(byte[] bytes) {
        Map<String, Object> t = table(bytes);
        Map<String, Permission> perms = new HashMap<>();
        for (Map.Entry<String, Object> e : map(t, "permissions").entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) e.getValue();
            perms.put(e.getKey(), Permission.of(str(p, "configure"), str(p, "write"), str(p, "read")));
        }
        Map<String, Map<String, TopicPermission>> topics = new HashMap<>();
        for (Map.Entry<String, Object> e : map(t, "topic_permissions").entrySet()) {
            Map<String, TopicPermission> inVhost = new LinkedHashMap<>();
            if (e.getValue() instanceof List<?> l) {
                for (Object o : l) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> p = (Map<String, Object>) o;
                    inVhost.put(str(p, "exchange"), new TopicPermission(str(p, "exchange"), str(p, "write"),
                            str(p, "read")));
                }
            }
            topics.put(e.getKey(), inVhost);
        }
        // records written before algorithms were kept are SHA-256, the only one there was
        HashingAlgorithm algorithm = java.util.Objects.requireNonNullElse(
                HashingAlgorithm.of(str(t, "hashing_algorithm")), HashingAlgorithm.SHA256);
        return new User(str(t, "name"), PasswordHash.fromBase64(str(t, "password_hash"), algorithm), strings(t, "tags"),
                perms, topics, limits(t));
    }

    public static VhostSettings vhost(byte[] bytes) {
        if (bytes.length == 0) {
            return VhostSettings.DEFAULT;
        }
        Map<String, Object> t = table(bytes);
        return new VhostSettings(str(t, "description"), strings(t, "tags"), limits(t));
    }

    private static List<String> strings(Map<String, Object> t, String key) {
        List<String> out = new ArrayList<>();
        if (t.get(key) instanceof List<?> l) {
            for (Object o : l) {
                out.add(o.toString());
            }
        }
        return out;
    }

    private static Limits limits(Map<String, Object> t) {
        Map<String, Long> values = new HashMap<>();
        for (Map.Entry<String, Object> e : map(t, "limits").entrySet()) {
            if (e.getValue() instanceof Number n) {
                values.put(e.getKey(), n.longValue());
            }
        }
        return new Limits(values);
    }

    // ---- field tables -----------------------------------------------------------------------

    private static byte[] table(Map<String, Object> t) {
        ByteBuf buf = Unpooled.buffer(FieldTables.encodedSize(t));
        FieldTables.encode(t, buf);
        return ByteBufUtil.getBytes(buf);
    }

    private static Map<String, Object> table(byte[] bytes) {
        return FieldTables.decode(Unpooled.wrappedBuffer(bytes));
    }

    private static String str(Map<String, Object> t, String key) {
        Object v = t.get(key);
        return v == null ? "" : v.toString();
    }

    private static boolean bool(Map<String, Object> t, String key) {
        return Boolean.TRUE.equals(t.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> t, String key) {
        Object v = t.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
