package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any sequence of writes, with restarts in between, leaves the MVStore store in the same state
 * as the in-memory one (the model): same entries, order, marks, message count and maximum id.
 * This is what checks the reference counting against fan-out, removal and queue deletion.
 */
class StoreModelProperties {

    private static final List<String> QUEUES = List.of("a", "b", "c");

    /** One step of a generated history. */
    record Step(int kind, int id, int queueMask) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "enqueue " + id + " " + queues();
                case 3, 4 -> "remove " + queue() + " " + id;
                case 5 -> "mark " + queue() + " " + id;
                case 6 -> "delete " + queue();
                default -> "reopen";
            };
        }

        List<String> queues() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < QUEUES.size(); i++) {
                if ((queueMask & (1 << i)) != 0) {
                    names.add(QUEUES.get(i));
                }
            }
            return names;
        }

        String queue() {
            return QUEUES.get(queueMask % QUEUES.size());
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 7))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 40)
    void theDurableStoreBehavesLikeTheModel(@ForAll("histories") List<Step> history)
            throws IOException {
        Path dir = Files.createTempDirectory("warren-model");
        MessageStore model = new InMemoryMessageStore();
        MessageStore store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
        try {
            int nextId = 0;
            for (Step s : history) {
                if (s.kind() == 7) {
                    store.close();
                    store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
                    continue;
                }
                // enqueue ids must increase, as the broker's do; other steps aim at earlier ids
                int id = s.kind() <= 2 ? ++nextId : Math.max(1, nextId - s.id() % 8);
                for (MessageStore m : List.of(model, store)) {
                    apply(m, s, id);
                }
            }
            Done flushed = new Done();
            store.flush(flushed);
            flushed.ok();
            assertEquals(snapshot(model), snapshot(store), history.toString());
            assertEquals(model.stats().messages(), store.stats().messages(), history.toString());
            assertEquals(model.maxMessageId(), store.maxMessageId(), history.toString());
            store.close();
            store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
            assertEquals(snapshot(model), snapshot(store), "after reopen: " + history);
            assertEquals(model.stats().messages(), store.stats().messages());
        } finally {
            store.close();
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void apply(MessageStore m, Step s, int id) {
        Done done = new Done();
        switch (s.kind()) {
            case 0, 1, 2 -> m.enqueue(id, ("m" + id).getBytes(), s.queues(), done);
            case 3, 4 -> m.remove(s.queue(), id, s.kind() == 3 ? done : null);
            case 5 -> m.markDelivered(s.queue(), id);
            case 6 -> m.deleteQueue(s.queue(), done);
            default -> throw new IllegalArgumentException();
        }
        if (s.kind() <= 3 || s.kind() == 6) {
            done.ok();
        }
    }

    /** queue → list of "id:content:delivered", for every queue with entries. */
    private static Map<String, List<String>> snapshot(MessageStore m) {
        Map<String, List<String>> all = new TreeMap<>();
        for (String q : m.queues()) {
            List<String> entries = new ArrayList<>();
            m.recover(q, (id, content, delivered) ->
                    entries.add(id + ":" + new String(content) + ":" + delivered));
            all.put(q, entries);
        }
        return all;
    }
}
