package io.warren.store;

/** Receives one queue's stored messages at start, in message-id (publish) order. */
@FunctionalInterface
public interface RecoveryVisitor {

    /**
     * @param messageId the id the broker gave the message at publish
     * @param content   the broker-serialized message, owned by the visitor from now on
     * @param delivered true if the message had been handed to a consumer and not acked: the
     *                  broker re-queues it as ready with {@code redelivered=true}
     */
    void message(long messageId, byte[] content, boolean delivered);
}
