package io.warren.broker.channel;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ReplyCode;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.User;

/**
 * RabbitMQ's permission checks for one user in one vhost, with its 403 texts. The user's
 * permission is read once per channel; a publish checks write access only when the exchange
 * differs from the previous one.
 */
final class AccessControl {

    private final User user;
    private final String vhost;
    private final Permission permission;
    private String lastWritable;

    AccessControl(User user, String vhost) {
        this.user = user;
        this.vhost = vhost;
        Permission p = user == null ? null : user.permissionIn(vhost);
        this.permission = p == null ? Permission.of("", "", "") : p;
    }

    void configure(String kind, String name, AmqpMethod m) {
        String resource = resource(kind, name);
        if (!permission.canConfigure(resource)) {
            throw refused(kind, resource, m);
        }
    }

    void write(String kind, String name, AmqpMethod m) {
        if (name.equals(lastWritable)) {
            return;
        }
        String resource = resource(kind, name);
        if (!permission.canWrite(resource)) {
            throw refused(kind, resource, m);
        }
        lastWritable = name;
    }

    void read(String kind, String name, AmqpMethod m) {
        String resource = resource(kind, name);
        if (!permission.canRead(resource)) {
            throw refused(kind, resource, m);
        }
    }

    /** The name RabbitMQ checks: the default exchange as {@code amq.default}. */
    private static String resource(String kind, String name) {
        return "exchange".equals(kind) ? Permission.exchangeResource(name) : name;
    }

    String userName() {
        return user == null ? "" : user.name();
    }

    private AmqpException refused(String kind, String resource, AmqpMethod m) {
        return new AmqpException(ReplyCode.ACCESS_REFUSED, "access to " + kind + " '" + resource + "' in vhost '"
                + vhost + "' refused for user '" + userName() + "'", m.classId(), m.methodId());
    }
}
