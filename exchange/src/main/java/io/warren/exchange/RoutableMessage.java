package io.warren.exchange;

import java.util.Map;

/**
 * What routing needs to know about a message. The broker implements this over its own message
 * type, so this module stays independent of the protocol.
 */
public interface RoutableMessage {

    /** The routing key the message was published with; never null ("" when absent). */
    String routingKey();

    /**
     * The message's headers table, or null when it has none. Called only by exchange types that
     * look at headers (at most once per {@link Topology#route} call), so the broker may decode
     * the table lazily.
     */
    Map<String, Object> headers();
}
