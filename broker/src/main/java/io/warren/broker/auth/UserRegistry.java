package io.warren.broker.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users. Logins read it lock-free; changes (HTTP API, definitions) replace a user's
 * immutable record whole. Each user has one {@link Account} for as long as it exists: an open
 * connection keeps its account and sees a change of the user's permissions at its next check by
 * a single volatile read, without looking the user up again.
 */
public final class UserRegistry {

    /**
     * A user's current record, shared by its connections. {@link #current()} turns null when the
     * user is deleted (its connections are being closed then).
     */
    public static final class Account {

        private volatile User current;

        private Account(User user) {
            this.current = user;
        }

        /** An account nobody changes, for a connection outside the registry (tests). */
        public static Account fixed(User user) {
            return new Account(user);
        }

        public User current() {
            return current;
        }
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    public User find(String name) {
        Account a = accounts.get(name);
        return a == null ? null : a.current;
    }

    /** The account of {@code name}, or null when there is no such user. */
    public Account account(String name) {
        return accounts.get(name);
    }

    /** Creates or replaces the user of that name; its connections see the new record from now on. */
    public void put(User user) {
        accounts.compute(user.name(), (n, a) -> {
            if (a == null) {
                return new Account(user);
            }
            a.current = user;
            return a;
        });
    }

    public User remove(String name) {
        Account a = accounts.remove(name);
        if (a == null) {
            return null;
        }
        User was = a.current;
        a.current = null;
        return was;
    }

    public Collection<User> all() {
        Collection<User> out = new ArrayList<>(accounts.size());
        for (Account a : accounts.values()) {
            User u = a.current;
            if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    /** Creates {@code name} with full permissions on {@code vhost} unless it exists already. */
    public void ensureDefaultUser(String name, String password, String vhost) {
        accounts.computeIfAbsent(name, n -> new Account(new User(n, PasswordHash.of(password),
                Set.of("administrator"), Map.of(vhost, Permission.ALL))));
    }
}
