package io.warren.broker.queue;

import io.warren.broker.message.Message;
import java.util.List;

/**
 * A queue's own handle on the message store, given once when the queue is created or recovered:
 * the queue tells it directly that a message left for good or was handed out, with the store key
 * (vhost, name, incarnation) already built. A queue whose messages are never stored (transient,
 * exclusive) keeps {@link #NONE}, which does nothing.
 *
 * <p>Only persistent messages are written; the handle checks that, so the queue does not.
 *
 * <p>Concurrency: called on the queue's loop; the store serialises its writes itself.
 */
public interface QueueStore {

    /** Whether the queue's persistent messages are kept on disk. */
    boolean durable();

    /** The store's name for the queue's messages, or null for {@link #NONE}. */
    String key();

    /** {@link #key()} as a one-element list, for a message stored for this queue alone. */
    List<String> keyList();

    /** A message left the queue for good (acked, dropped, expired, purged). */
    void removed(Message message);

    /** A message was handed to a consumer that must ack it (a restart would mark it redelivered). */
    void delivered(Message message);

    /** The queue was deleted: its stored entries go. */
    void deleteQueue();

    QueueStore NONE = new QueueStore() {
        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public String key() {
            return null;
        }

        @Override
        public List<String> keyList() {
            return List.of();
        }

        @Override
        public void removed(Message message) {
        }

        @Override
        public void delivered(Message message) {
        }

        @Override
        public void deleteQueue() {
        }

        @Override
        public String toString() {
            return "no store";
        }
    };
}
