package io.warren.broker.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user as RabbitMQ's internal backend keeps one: name, password hash (empty: no password, for
 * certificate-only users), tags in the order given (administrator, monitoring, management,
 * policymaker, impersonator, or any other), permissions and topic permissions per vhost, and its
 * limits. Immutable: a change makes a new record, which the {@link UserRegistry} publishes whole.
 *
 * @param topicPermissions vhost → exchange → topic permission
 */
public record User(String name, PasswordHash password, List<String> tags, Map<String, Permission> permissions,
                   Map<String, Map<String, TopicPermission>> topicPermissions, Limits limits) {

    public User {
        tags = List.copyOf(new java.util.LinkedHashSet<>(tags));
        permissions = Map.copyOf(permissions);
        Map<String, Map<String, TopicPermission>> topics = new HashMap<>();
        topicPermissions.forEach((vhost, byExchange) -> {
            if (!byExchange.isEmpty()) {
                topics.put(vhost, Map.copyOf(byExchange));
            }
        });
        topicPermissions = Map.copyOf(topics);
    }

    /** A user without topic permissions or limits. */
    public User(String name, PasswordHash password, Collection<String> tags, Map<String, Permission> permissions) {
        this(name, password, List.copyOf(tags), permissions, Map.of(), Limits.NONE);
    }

    public boolean checkPassword(String candidate) {
        return password != null && password.matches(candidate);
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** This user's permission in {@code vhost}, or null when it has none there. */
    public Permission permissionIn(String vhost) {
        return permissions.get(vhost);
    }

    /** Topic permissions in {@code vhost} by exchange; empty when none. */
    public Map<String, TopicPermission> topicPermissionsIn(String vhost) {
        return topicPermissions.getOrDefault(vhost, Map.of());
    }

    public User withPassword(PasswordHash hash) {
        return new User(name, hash, tags, permissions, topicPermissions, limits);
    }

    public User withTags(List<String> newTags) {
        return new User(name, password, newTags, permissions, topicPermissions, limits);
    }

    public User withLimits(Limits newLimits) {
        return new User(name, password, tags, permissions, topicPermissions, newLimits);
    }

    /** {@code permission} null clears the user's permission in {@code vhost}. */
    public User withPermission(String vhost, Permission permission) {
        Map<String, Permission> m = new HashMap<>(permissions);
        if (permission == null) {
            m.remove(vhost);
        } else {
            m.put(vhost, permission);
        }
        return new User(name, password, tags, m, topicPermissions, limits);
    }

    /** Sets the topic permission on {@code p.exchange()} in {@code vhost}. */
    public User withTopicPermission(String vhost, TopicPermission p) {
        Map<String, Map<String, TopicPermission>> m = new HashMap<>(topicPermissions);
        Map<String, TopicPermission> inVhost = new LinkedHashMap<>(topicPermissionsIn(vhost));
        inVhost.put(p.exchange(), p);
        m.put(vhost, inVhost);
        return new User(name, password, tags, permissions, m, limits);
    }

    /** Clears the topic permissions in {@code vhost}: all of them, or only {@code exchange}'s when not null. */
    public User withoutTopicPermissions(String vhost, String exchange) {
        Map<String, Map<String, TopicPermission>> m = new HashMap<>(topicPermissions);
        if (exchange == null) {
            m.remove(vhost);
        } else {
            Map<String, TopicPermission> inVhost = new LinkedHashMap<>(topicPermissionsIn(vhost));
            inVhost.remove(exchange);
            m.put(vhost, inVhost);
        }
        return new User(name, password, tags, permissions, m, limits);
    }

    /** What a deleted vhost leaves: no permission nor topic permission in it. */
    public User withoutVhost(String vhost) {
        return withPermission(vhost, null).withoutTopicPermissions(vhost, null);
    }
}
