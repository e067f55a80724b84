package io.warren.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/** The contract, in memory: reopening keeps the same store; "durable" means "applied". */
class InMemoryMessageStoreTest extends MessageStoreContract {

    @Override
    MessageStore open(Path dataDir) {
        return new InMemoryMessageStore();
    }

    @Override
    MessageStore reopen(MessageStore store, Path dataDir) {
        return store;
    }

    @Override
    MessageStore durableView(MessageStore store, Path dataDir) {
        return new MessageStore() { // the same store, whose close() leaves it open
            public void putMetadata(String k, byte[] v, Completion d) { store.putMetadata(k, v, d); }
            public void removeMetadata(String k, Completion d) { store.removeMetadata(k, d); }
            public SortedMap<String, byte[]> metadata(String p) { return store.metadata(p); }
            public void enqueue(long id, byte[] c, List<String> q, Completion d) {
                store.enqueue(id, c, q, d);
            }
            public void remove(String q, long id, Completion d) { store.remove(q, id, d); }
            public void markDelivered(String q, long id) { store.markDelivered(q, id); }
            public void deleteQueue(String q, Completion d) { store.deleteQueue(q, d); }
            public void recover(String q, RecoveryVisitor v) { store.recover(q, v); }
            public Set<String> queues() { return store.queues(); }
            public long maxMessageId() { return store.maxMessageId(); }
            public void flush(Completion d) { store.flush(d); }
            public StoreStats stats() { return store.stats(); }
            public void close() { }
        };
    }
}
