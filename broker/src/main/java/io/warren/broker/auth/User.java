package io.warren.broker.auth;

import java.util.Map;
import java.util.Set;

/**
 * A user: name, password check, tags (RabbitMQ's administrator, management...) and the vhosts
 * it may use with their permissions.
 */
public record User(String name, PasswordHash password, Set<String> tags, Map<String, Permission> permissions) {

    public User {
        tags = Set.copyOf(tags);
        permissions = Map.copyOf(permissions);
    }

    public boolean checkPassword(String candidate) {
        return password != null && password.matches(candidate);
    }

    /** This user's permission in {@code vhost}, or null when it has none there. */
    public Permission permissionIn(String vhost) {
        return permissions.get(vhost);
    }
}
