package io.warren.broker.admin;

import io.warren.broker.auth.Permission;
import io.warren.broker.auth.User;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.connection.Connections;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VhostSettings;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to users, vhosts, permissions and limits (HTTP API, definitions import), with
 * what RabbitMQ does around it: the change is written to the store, and open connections feel
 * it. A changed user's connections see its new permissions at their next check; a deleted
 * user's or vhost's connections are closed with 320 CONNECTION_FORCED; a deleted vhost takes its
 * queues (their messages on disk included), exchanges, bindings and permissions with it.
 *
 * <p>Each change is on disk when its method returns (it waits for the store's fsync).
 *
 * <p>Concurrency: any thread but an event loop the store's completions need (it blocks for the
 * fsync); changes are serialised on this object (they are rare), so two changes to one user
 * never lose each other.
 */
public final class Administration {

    private static final Logger LOG = LoggerFactory.getLogger(Administration.class);
    private static final long DURABLE_TIMEOUT_SECONDS = 30;

    private final UserRegistry users;
    private final VirtualHosts vhosts;
    private final Connections connections;
    /** Null when nothing is kept on disk. */
    private final Persistence persistence;
    private final RuntimeParameters parameters;

    public Administration(UserRegistry users, VirtualHosts vhosts, Connections connections, Persistence persistence) {
        this.users = users;
        this.vhosts = vhosts;
        this.connections = connections;
        this.persistence = persistence;
        this.parameters = new RuntimeParameters(vhosts, persistence, this::awaitDurable);
    }

    /** Policies, operator policies and global parameters. */
    public RuntimeParameters parameters() {
        return parameters;
    }

    public UserRegistry users() {
        return users;
    }

    public VirtualHosts vhosts() {
        return vhosts;
    }

    // ---- users ------------------------------------------------------------------------------

    /** Creates or replaces a user; answers whether it was created. */
    public synchronized boolean putUser(User user) {
        boolean created = users.find(user.name()) == null;
        save(user);
        awaitDurable();
        if (created) {
            LOG.info("Created user '{}'", user.name()); // RabbitMQ's lines, here and below
        }
        return created;
    }

    /**
     * Changes an existing user; answers the new record, or null when there is no such user.
     */
    public synchronized User updateUser(String name, UnaryOperator<User> change) {
        User current = users.find(name);
        if (current == null) {
            return null;
        }
        User changed = change.apply(current);
        if (changed != current) {
            save(changed);
            awaitDurable();
        }
        return changed;
    }

    /**
     * Deletes a user (its permissions go with it) and closes its connections, as RabbitMQ
     * does; answers false when there was no such user.
     */
    public synchronized boolean deleteUser(String name) {
        User gone = users.remove(name);
        if (gone == null) {
            return false;
        }
        if (persistence != null) {
            persistence.userDeleted(name);
        }
        awaitDurable();
        LOG.info("Deleted user '{}'", name);
        LOG.info("Closing all connections from user '{}' because it's being deleted", name);
        for (AmqpConnection c : connections.all()) {
            User u = c.user();
            if (u != null && u.name().equals(name)) {
                c.closeForced("user '" + name + "' is deleted");
            }
        }
        return true;
    }

    public synchronized void setPermission(String user, String vhost, Permission permission) {
        if (updateUser(user, u -> u.withPermission(vhost, permission)) == null) {
            return;
        }
        if (permission == null) {
            LOG.info("Successfully cleared permissions for '{}' in virtual host '{}'", user, vhost);
        } else {
            LOG.info("Successfully set permissions for '{}' in virtual host '{}' to '{}', '{}', '{}'", user, vhost,
                    permission.configure(), permission.write(), permission.read());
        }
    }

    /**
     * Waits until what was written so far is on disk, so that a change the API answered
     * survives a crash (kill -9) right after the answer. Changes are rare; the wait is one fsync.
     */
    public void awaitDurable() {
        if (persistence == null) {
            return;
        }
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        persistence.flush(done::complete);
        Throwable failure;
        try {
            failure = done.get(DURABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the store did not confirm the change in " + DURABLE_TIMEOUT_SECONDS
                    + " s", e);
        }
        if (failure != null) {
            throw new IllegalStateException("the store could not write the change", failure);
        }
    }

    private void save(User user) {
        users.put(user);
        if (persistence != null) {
            persistence.userChanged(user);
        }
    }

    // ---- vhosts -----------------------------------------------------------------------------

    /** Creates a vhost or changes its settings; answers whether it was created. */
    public synchronized boolean putVhost(String name, VhostSettings settings) {
        boolean created = vhosts.find(name) == null;
        if (created) {
            LOG.info("Adding vhost '{}' (description: '{}', tags: {})", name,
                    settings.description() == null ? "" : settings.description(), settings.tags());
        }
        VirtualHost v = vhosts.create(name);
        v.settings(settings);
        if (persistence != null) {
            persistence.vhostChanged(name, settings);
        }
        awaitDurable();
        return created;
    }

    /** Changes an existing vhost's settings; false when there is no such vhost. */
    public synchronized boolean updateVhost(String name, UnaryOperator<VhostSettings> change) {
        VirtualHost v = vhosts.find(name);
        if (v == null) {
            return false;
        }
        VhostSettings settings = change.apply(v.settings());
        v.settings(settings);
        if (persistence != null) {
            persistence.vhostChanged(name, settings);
        }
        awaitDurable();
        return true;
    }

    /**
     * Deletes a vhost and everything in it, as RabbitMQ does: no new connection finds it, its
     * connections are closed (320, "vhost 'v' is deleted"), its queues are deleted with their
     * messages, its exchanges and bindings are forgotten on disk, and every user loses its
     * permissions there. Answers false when there was no such vhost.
     */
    public synchronized boolean deleteVhost(String name) {
        VirtualHost v = vhosts.remove(name);
        if (v == null) {
            return false;
        }
        LOG.info("Deleting vhost '{}'", name);
        if (persistence != null) {
            persistence.vhostDeleted(name);
        }
        awaitDurable(); // the commit point: from here on a restart finds no trace of the vhost
        LOG.info("Closing all connections in vhost '{}' because it's being deleted", name);
        for (AmqpConnection c : connections.all()) {
            if (c.vhost() == v) {
                c.closeForced("vhost '" + name + "' is deleted");
            }
        }
        for (Queue q : new ArrayList<>(v.queues())) {
            v.deleteQueue(q);
        }
        List<String> exchanges = new ArrayList<>();
        for (Exchange x : v.topology().exchanges()) {
            exchanges.add(x.name());
        }
        for (String x : exchanges) {
            v.listener().exchangeDeleted(v, x);
        }
        if (persistence != null) {
            persistence.forgetVhost(name);
        }
        for (User u : users.all()) {
            if (u.permissionIn(name) != null || !u.topicPermissionsIn(name).isEmpty()) {
                save(u.withoutVhost(name));
            }
        }
        awaitDurable();
        return true;
    }
}
