package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any sequence of writes, with restarts in between, leaves the MVStore store in the same state
 * as the in-memory one (the model): same entries, order, marks, message count and maximum id.
 * This is what checks the reference counting against fan-out, removal and queue deletion.
 * Histories are random but seeded: a failure names its seed and prints its history.
 */
class StoreModelTest {

    private static final List<String> QUEUES = List.of("a", "b", "c");

    /** One step of a generated history. */
    record Step(int kind, int back, int queueMask) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "enqueue " + queues();
                case 3, 4 -> "remove " + queue() + " -" + back + (kind == 3 ? "" : " (lazy)");
                case 5 -> "mark " + queue() + " -" + back;
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

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= 40; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theDurableStoreBehavesLikeTheModel(long seed) throws IOException {
        Random random = new Random(seed);
        List<Step> history = new ArrayList<>();
        for (int i = 1 + random.nextInt(60); i > 0; i--) {
            history.add(new Step(random.nextInt(8), random.nextInt(8), random.nextInt(8)));
        }
        Path dir = Files.createTempDirectory("warren-model");
        MessageStore model = new InMemoryMessageStore();
        MessageStore store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
        try {
            int lastId = 0;
            for (Step s : history) {
                if (s.kind() == 7) {
                    store.close();
                    store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
                    continue;
                }
                // enqueue ids increase, as the broker's do; other steps aim at recent ids
                int id = s.kind() <= 2 ? ++lastId : Math.max(1, lastId - s.back());
                apply(model, s, id);
                apply(store, s, id);
            }
            Done flushed = new Done();
            store.flush(flushed);
            flushed.ok();
            String why = "seed " + seed + ": " + history;
            assertEquals(snapshot(model), snapshot(store), why);
            assertEquals(model.stats().messages(), store.stats().messages(), why);
            assertEquals(model.maxMessageId(), store.maxMessageId(), why);
            store.close();
            store = MvStoreMessageStore.open(dir, MvStoreMessageStoreTest.QUIET);
            assertEquals(snapshot(model), snapshot(store), "after reopen, " + why);
            assertEquals(model.stats().messages(), store.stats().messages(), why);
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
