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
        if (!permission.canConfigure(name)) {
            throw refused(kind, name, m);
        }
    }

    void write(String kind, String name, AmqpMethod m) {
        if (name.equals(lastWritable)) {
            return;
        }
        if (!permission.canWrite(name)) {
            throw refused(kind, name, m);
        }
        lastWritable = name;
    }

    void read(String kind, String name, AmqpMethod m) {
        if (!permission.canRead(name)) {
            throw refused(kind, name, m);
        }
    }

    String userName() {
        return user == null ? "" : user.name();
    }

    private AmqpException refused(String kind, String name, AmqpMethod m) {
        return new AmqpException(ReplyCode.ACCESS_REFUSED, "access to " + kind + " '" + name + "' in vhost '"
                + vhost + "' refused for user '" + userName() + "'", m.classId(), m.methodId());
    }
}
