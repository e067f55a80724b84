package io.warren.broker.vhost;

import io.warren.broker.auth.Limits;
import java.util.List;

/**
 * What an operator says about a vhost, as RabbitMQ keeps it: description and tags (its
 * metadata) and its limits ({@code max-connections}, {@code max-queues}). Immutable.
 */
public record VhostSettings(String description, List<String> tags, Limits limits) {

    public static final VhostSettings DEFAULT = new VhostSettings("", List.of(), Limits.NONE);

    public VhostSettings {
        tags = List.copyOf(tags);
    }

    public VhostSettings withLimits(Limits newLimits) {
        return new VhostSettings(description, tags, newLimits);
    }
}
