package io.warren.broker.http;

import io.warren.broker.auth.Permission;
import io.warren.broker.auth.User;
import io.warren.broker.connection.AmqpConnection;

/**
 * What an authenticated user may see and do through the HTTP API: RabbitMQ's management plugin
 * rules for its tags.
 *
 * <ul>
 *   <li>management: lists and reads objects in the vhosts it can log into (any permission
 *       there), sees and closes its own connections only;</li>
 *   <li>policymaker: as management, and sets and clears policies and parameters;</li>
 *   <li>monitoring: as management, and also sees every vhost and every connection;</li>
 *   <li>administrator: everything, including closing other users' connections, and lists the
 *       objects of every vhost.</li>
 * </ul>
 * Whatever the tag, changing an object (declare, delete, purge, bind, publish, get) also needs
 * the user's AMQP permission on it, as the same operation over AMQP would.
 */
record ManagementUser(User user) {

    /** Whether the user has a tag that lets it in at all (others get 401 "Not management user"). */
    static boolean mayLogIn(User user) {
        return user.tags().contains("administrator") || user.tags().contains("monitoring")
                || user.tags().contains("policymaker") || user.tags().contains("management");
    }

    String name() {
        return user.name();
    }

    boolean administrator() {
        return user.tags().contains("administrator");
    }

    /** RabbitMQ's is_monitor: monitoring or administrator. */
    boolean monitor() {
        return administrator() || user.tags().contains("monitoring");
    }

    /** Else 401 "Not administrator user", as RabbitMQ's admin-only resources answer. */
    void requireAdministrator() {
        if (!administrator()) {
            throw ApiError.notAuthorised("Not administrator user");
        }
    }

    /** Else 401 "Not monitor user" (nodes and other monitoring-only resources). */
    void requireMonitor() {
        if (!monitor()) {
            throw ApiError.notAuthorised("Not monitor user");
        }
    }

    /** Can log into {@code vhost} over AMQP: has a permission entry there, even an empty one. */
    boolean canLogInto(String vhost) {
        return user.permissionIn(vhost) != null;
    }

    /** Whether {@code /api/vhosts} shows it. */
    boolean seesVhost(String vhost) {
        return monitor() || canLogInto(vhost);
    }

    /** Whether the lists of queues, exchanges and bindings show this vhost's objects. */
    boolean listsObjectsIn(String vhost) {
        return administrator() || canLogInto(vhost);
    }

    /** Reading or acting on one object of {@code vhost}: else 401 "User not authorised to access virtual host". */
    void checkVhostAccess(String vhost) {
        if (!listsObjectsIn(vhost)) {
            throw ApiError.notAuthorised("User not authorised to access virtual host");
        }
    }

    boolean seesConnection(AmqpConnection c) {
        return monitor() || owns(c);
    }

    boolean mayClose(AmqpConnection c) {
        return administrator() || owns(c);
    }

    private boolean owns(AmqpConnection c) {
        User owner = c.user();
        return owner != null && owner.name().equals(user.name());
    }

    private Permission permission(String vhost) {
        Permission p = user.permissionIn(vhost);
        return p == null ? Permission.of("", "", "") : p;
    }

    void checkConfigure(String vhost, String resource) {
        if (!permission(vhost).canConfigure(resource)) {
            throw ApiError.accessRefused();
        }
    }

    void checkWrite(String vhost, String resource) {
        if (!permission(vhost).canWrite(resource)) {
            throw ApiError.accessRefused();
        }
    }

    void checkRead(String vhost, String resource) {
        if (!permission(vhost).canRead(resource)) {
            throw ApiError.accessRefused();
        }
    }

    /** RabbitMQ's AMQP refusal text, which its API passes on for checks it runs as a channel would. */
    String refusal(String kind, String resource, String vhost) {
        return "ACCESS_REFUSED - access to " + kind + " '" + resource + "' in vhost '" + vhost
                + "' refused for user '" + name() + "'";
    }
}
