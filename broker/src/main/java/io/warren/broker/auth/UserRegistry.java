package io.warren.broker.auth;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's users. Logins read it lock-free; changes (HTTP API, definitions) replace a user's
 * immutable record whole.
 */
public final class UserRegistry {

    private final Map<String, User> users = new ConcurrentHashMap<>();

    public User find(String name) {
        return users.get(name);
    }

    public void put(User user) {
        users.put(user.name(), user);
    }

    public User remove(String name) {
        return users.remove(name);
    }

    public Collection<User> all() {
        return users.values();
    }

    /** Creates {@code name} with full permissions on {@code vhost} unless it exists already. */
    public void ensureDefaultUser(String name, String password, String vhost) {
        users.computeIfAbsent(name, n -> new User(n, PasswordHash.of(password), Set.of("administrator"),
                Map.of(vhost, Permission.ALL)));
    }
}
