package io.warren.broker.persistence;

import io.warren.broker.message.Message;
import io.warren.broker.queue.QueueStore;
import io.warren.store.MessageStore;
import java.util.List;

/**
 * The store handle of one durable queue's incarnation: its key is built once, at declare or
 * recovery, and every later write names it. Removes and delivered marks are not waited for (they
 * ride along with the next group commit; see {@link Persistence}).
 */
final class DurableQueueStore implements QueueStore {

    private final MessageStore store;
    private final String key;
    private final List<String> keyList;

    DurableQueueStore(MessageStore store, String key) {
        this.store = store;
        this.key = key;
        this.keyList = List.of(key);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public List<String> keyList() {
        return keyList;
    }

    @Override
    public void removed(Message message) {
        if (message.persistent()) {
            store.remove(key, message.id(), null);
        }
    }

    @Override
    public void delivered(Message message) {
        if (message.persistent()) {
            store.markDelivered(key, message.id());
        }
    }

    @Override
    public void deleteQueue() {
        store.deleteQueue(key, Persistence.LOG_FAILURE);
    }

    @Override
    public String toString() {
        return "store key " + key.replace('\0', '/');
    }
}
