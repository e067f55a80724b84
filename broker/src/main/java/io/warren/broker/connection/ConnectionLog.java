package io.warren.broker.connection;

import io.warren.amqp.AmqpException;
import io.warren.broker.auth.User;
import io.warren.broker.vhost.VirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's life in the log, worded as RabbitMQ words it, so that an operator's greps and
 * alerts written for RabbitMQ's log keep working: "accepting AMQP connection (peer -> local)",
 * "user 'guest' authenticated and granted access to vhost '/'", "closing AMQP connection (...,
 * vhost: '/', user: 'guest')" and "client unexpectedly closed TCP connection". RabbitMQ's Erlang
 * process id has no counterpart here; the peer's address and port identify the connection.
 *
 * <p>Like RabbitMQ, nothing is logged for a socket closed before it sent the AMQP protocol
 * header (port probes, load-balancer health checks); one that stays silent until the handshake
 * timeout is logged when the broker drops it.
 */
final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLog.class);

    private ConnectionLog() {}

    /** The protocol header arrived: an AMQP connection starts. */
    static void accepting(AmqpConnection c) {
        LOG.info("accepting AMQP connection ({})", c.name());
    }

    /** The handshake completed (connection.open-ok sent). */
    static void opened(AmqpConnection c) {
        if (LOG.isInfoEnabled()) {
            String clientName = clientProvidedName(c);
            if (clientName != null) {
                LOG.info("connection ({}) has a client-provided name: {}", c.name(), clientName);
            }
            LOG.info("connection ({}): user '{}' authenticated and granted access to vhost '{}'",
                    addresses(c), c.user().name(), c.vhost().name());
        }
    }

    /** A login refused; what was wrong is said here only, never to the client (as RabbitMQ). */
    static void loginRefused(AmqpConnection c, Object mechanism, String why) {
        LOG.error("Error on AMQP connection ({}, state: starting): {} login refused: {}", c.name(), mechanism, why);
    }

    /** The broker closes the connection with connection.close for this error. */
    static void error(AmqpConnection c, AmqpException e, String state) {
        LOG.error("Error on AMQP connection ({}, state: {}), channel {}: operation {} caused a connection"
                        + " exception {}: \"{}\"", describe(c), state, e.channel(), operation(e),
                e.replyCode().name().toLowerCase(java.util.Locale.ROOT), e.replyText());
    }

    /** The socket is gone after the close protocol ran (either side's connection.close, then close-ok). */
    static void closed(AmqpConnection c) {
        LOG.info("closing AMQP connection ({})", describe(c));
    }

    /** The socket is gone without connection.close: the client crashed, was killed or lost the network. */
    static void closedUnexpectedly(AmqpConnection c) {
        LOG.warn("closing AMQP connection ({}): client unexpectedly closed TCP connection", describe(c));
    }

    /** The broker drops the socket for {@code reason} without the close protocol (missed heartbeats...). */
    static void dropping(AmqpConnection c, String reason) {
        LOG.error("closing AMQP connection ({}): {}", describe(c), reason);
    }

    /** "peer -> local - client-provided name", as RabbitMQ names a connection in its log. */
    private static String addresses(AmqpConnection c) {
        String clientName = clientProvidedName(c);
        return clientName == null ? c.name() : c.name() + " - " + clientName;
    }

    /** {@link #addresses}, then the vhost and user once the client has logged in. */
    private static String describe(AmqpConnection c) {
        User user = c.user();
        if (user == null) {
            return addresses(c);
        }
        VirtualHost vhost = c.vhost();
        return addresses(c) + ", vhost: '" + (vhost == null ? "none" : vhost.name()) + "', user: '" + user.name() + "'";
    }

    private static String clientProvidedName(AmqpConnection c) {
        Object name = c.client().properties().get("connection_name");
        return name == null ? null : name.toString();
    }

    private static String operation(AmqpException e) {
        return e.classId() == 0 ? "none" : "class " + e.classId() + " method " + e.methodId();
    }
}
