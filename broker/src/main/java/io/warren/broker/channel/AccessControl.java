package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.auth.UserRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RabbitMQ's permission checks for one user in one vhost, with its 403 texts. Each check reads
 * the user's current record (one volatile read): a permission changed through the API applies to
 * the next check, and what was derived from the old record (the permission in this vhost, the
 * last exchange published to, expanded topic patterns) is dropped then. A deleted user has no
 * permission at all (its connection is being closed).
 *
 * <p>Concurrency: the channel's connection loop only.
 */
final class AccessControl {

    private static final String TOPIC = "topic";

    private final UserRegistry.Account account;
    private final String vhost;
    private final String userName;
    /** The record {@link #permission} and {@link #topics} were read from. */
    private User seen;
    private Permission permission = Permission.NONE;
    private Map<String, TopicPermission> topics = Map.of();
    /** Topic patterns with {username} and {vhost} expanded, by exchange: [write, read]. */
    private final Map<String, Pattern[]> expandedTopics = new HashMap<>();
    /** The exchange the last publish was allowed to write to: publishing there again needs no check. */
    private String lastPublished;

    AccessControl(UserRegistry.Account account, String vhost) {
        this.account = account;
        this.vhost = vhost;
        User u = account == null ? null : account.current();
        this.userName = u == null ? "" : u.name();
        refresh();
    }

    private void refresh() {
        User now = account == null ? null : account.current();
        if (now == seen) {
            return;
        }
        seen = now;
        Permission p = now == null ? null : now.permissionIn(vhost);
        permission = p == null ? Permission.NONE : p;
        topics = now == null ? Map.of() : now.topicPermissionsIn(vhost);
        expandedTopics.clear();
        lastPublished = null;
    }

    void configure(String kind, String name, AmqpMethod m) {
        refresh();
        String resource = resource(kind, name);
        if (!permission.canConfigure(resource)) {
            throw refused(kind, resource, m);
        }
    }

    void write(String kind, String name, AmqpMethod m) {
        refresh();
        String resource = resource(kind, name);
        if (!permission.canWrite(resource)) {
            throw refused(kind, resource, m);
        }
    }

    /** basic.publish: write on the exchange, checked again only when the exchange or the user changed. */
    void publish(String exchange, AmqpMethod m) {
        refresh();
        if (exchange.equals(lastPublished)) {
            return;
        }
        write("exchange", exchange, m);
        lastPublished = exchange;
    }

    void read(String kind, String name, AmqpMethod m) {
        refresh();
        String resource = resource(kind, name);
        if (!permission.canRead(resource)) {
            throw refused(kind, resource, m);
        }
    }

    /**
     * RabbitMQ's topic authorisation of a publish: only on a topic exchange, and only when the
     * user has a topic permission for that exchange in this vhost (none means allowed).
     */
    void topicWrite(String exchange, String exchangeType, String routingKey, AmqpMethod m) {
        refresh();
        if (!topics.isEmpty() && TOPIC.equals(exchangeType)) {
            checkTopic(exchange, routingKey, 0, m);
        }
    }

    /** The same for a binding from a topic exchange: the read pattern against the binding key. */
    void topicRead(String exchange, String exchangeType, String bindingKey, AmqpMethod m) {
        refresh();
        if (!topics.isEmpty() && TOPIC.equals(exchangeType)) {
            checkTopic(exchange, bindingKey, 1, m);
        }
    }

    private void checkTopic(String exchange, String key, int which, AmqpMethod m) {
        TopicPermission tp = topics.get(exchange);
        if (tp == null) {
            return;
        }
        Pattern[] patterns = expandedTopics.computeIfAbsent(exchange, x -> new Pattern[] {
            tp.writePattern(userName, vhost), tp.readPattern(userName, vhost)});
        Pattern p = patterns[which];
        if (p == null || !p.matcher(key).find()) {
            throw new AmqpException(ReplyCode.ACCESS_REFUSED, "access to topic '" + key + "' in exchange '"
                    + exchange + "' in vhost '" + vhost + "' refused for user '" + userName + "'",
                    m.classId(), m.methodId());
        }
    }

    /** The name RabbitMQ checks: the default exchange as {@code amq.default}. */
    private static String resource(String kind, String name) {
        return "exchange".equals(kind) ? Permission.exchangeResource(name) : name;
    }

    String userName() {
        return userName;
    }

    /** RabbitMQ's impersonator tag: the user may publish messages with another user_id. */
    boolean impersonator() {
        refresh();
        return seen != null && seen.hasTag("impersonator");
    }

    private AmqpException refused(String kind, String resource, AmqpMethod m) {
        return new AmqpException(ReplyCode.ACCESS_REFUSED, "access to " + kind + " '" + resource + "' in vhost '"
                + vhost + "' refused for user '" + userName + "'", m.classId(), m.methodId());
    }
}
