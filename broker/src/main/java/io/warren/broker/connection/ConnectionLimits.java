package io.warren.broker.connection;

import io.warren.amqp.AmqpException;
import io.warren.amqp.ReplyCode;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VirtualHost;

/**
 * RabbitMQ's connection and channel limits: a vhost's and a user's {@code max-connections} at
 * connection.open, a user's {@code max-channels} at channel.open, refused with 530 NOT_ALLOWED
 * and RabbitMQ's texts. Open connections are counted only when a limit is set, so a broker
 * without limits pays nothing; two connections racing may both pass, as in RabbitMQ.
 */
final class ConnectionLimits {

    private ConnectionLimits() {}

    /** At connection.open, for {@code user} into {@code vhost} (null when there is no such vhost). */
    static void checkOpen(Connections connections, VirtualHost vhost, User user) {
        if (vhost != null) {
            Limits limits = vhost.settings().limits();
            if (limits.get(Limits.MAX_CONNECTIONS) >= 0) {
                int open = 0;
                for (AmqpConnection c : connections.all()) {
                    if (c.vhost() == vhost) { // set at open-ok
                        open++;
                    }
                }
                if (limits.reached(Limits.MAX_CONNECTIONS, open)) {
                    throw new AmqpException(ReplyCode.NOT_ALLOWED, "access to vhost '" + vhost.name()
                            + "' refused for user '" + user.name() + "': connection limit ("
                            + limits.get(Limits.MAX_CONNECTIONS) + ") is reached", 10, 40);
                }
            }
        }
        if (user.limits().get(Limits.MAX_CONNECTIONS) >= 0) {
            int open = 0;
            for (AmqpConnection c : connections.all()) {
                User u = c.vhost() != null ? c.user() : null; // opened ones only
                if (u != null && u.name().equals(user.name())) {
                    open++;
                }
            }
            if (user.limits().reached(Limits.MAX_CONNECTIONS, open)) {
                throw new AmqpException(ReplyCode.NOT_ALLOWED, "connection refused for user '" + user.name()
                        + "': user connection limit (" + user.limits().get(Limits.MAX_CONNECTIONS)
                        + ") is reached", 10, 40);
            }
        }
    }

    /** At channel.open: the user's {@code max-channels} over all its connections. */
    static void checkChannelOpen(Connections connections, User user) {
        if (user == null || user.limits().get(Limits.MAX_CHANNELS) < 0) {
            return;
        }
        int open = 0;
        for (AmqpConnection c : connections.all()) {
            User u = c.user();
            if (u != null && u.name().equals(user.name())) {
                open += c.channelCount();
            }
        }
        if (user.limits().reached(Limits.MAX_CHANNELS, open)) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "number of channels opened for user '" + user.name()
                    + "' has reached the maximum allowed user limit of (" + user.limits().get(Limits.MAX_CHANNELS)
                    + ")", 0, 0);
        }
    }
}
