package io.warren.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MessageStore} does. Subclasses say how to open one, how to reopen it (a
 * durable store closes and reopens its file; the in-memory one stays as it is) and how to look
 * at what is durable right now, as if the process died at this instant.
 */
abstract class MessageStoreContract {

    @TempDir
    Path dir;
    MessageStore store;

    abstract MessageStore open(Path dataDir);

    /** Closes and reopens a durable store; returns the same store otherwise. */
    abstract MessageStore reopen(MessageStore store, Path dataDir);

    /** A store showing only what is durable now (closed by the caller). */
    abstract MessageStore durableView(MessageStore store, Path dataDir);

    /** One stored entry as recovery reports it. */
    record Entry(long id, String content, boolean delivered) {
    }

    @BeforeEach
    void openStore() {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aMessageForSeveralQueuesIsStoredOnceAndGoesWithItsLastEntry() {
        enqueue(1, "fan-out", "a", "b", "c");
        assertEquals(1, store.stats().messages());
        for (String q : List.of("a", "b", "c")) {
            assertEquals(List.of(new Entry(1, "fan-out", false)), entries(q));
        }
        removeDurably("a", 1);
        removeDurably("b", 1);
        store = reopen(store, dir);
        assertEquals(1, store.stats().messages());
        assertEquals(List.of(), entries("a"));
        assertEquals(List.of(new Entry(1, "fan-out", false)), entries("c"));
        removeDurably("c", 1);
        assertEquals(0, store.stats().messages());
        store = reopen(store, dir);
        assertEquals(0, store.stats().messages());
        assertEquals(Set.of(), store.queues());
    }

    @Test
    void removingAnAbsentEntryIsHarmlessAndDoesNotReleaseTheContentTwice() {
        enqueue(7, "m", "a", "b");
        removeDurably("a", 7);
        removeDurably("a", 7);
        removeDurably("nowhere", 7);
        store = reopen(store, dir);
        assertEquals(List.of(new Entry(7, "m", false)), entries("b"));
        assertEquals(1, store.stats().messages());
    }

    @Test
    void deleteQueueDropsItsEntriesAndTheContentsOnlyItHeld() {
        enqueue(1, "shared", "a", "b");
        enqueue(2, "only-a", "a");
        enqueue(3, "only-b", "b");
        Done deleted = new Done();
        store.deleteQueue("a", deleted);
        deleted.ok();
        assertEquals(Set.of("b"), store.queues());
        assertEquals(2, store.stats().messages());
        store = reopen(store, dir);
        assertEquals(Set.of("b"), store.queues());
        assertEquals(List.of(new Entry(1, "shared", false), new Entry(3, "only-b", false)),
                entries("b"));
        assertEquals(List.of(), entries("a"));
        removeDurably("b", 1);
        assertEquals(1, store.stats().messages());
        enqueue(4, "a again", "a");
        assertEquals(List.of(new Entry(4, "a again", false)), entries("a"));
    }

    @Test
    void recoveryIsInMessageIdOrderAndTheMaximumIdOutlivesTheMessages() {
        for (long id : new long[] {5, 3, 9, 1, 7}) {
            enqueue(id, "m" + id, "q");
        }
        store = reopen(store, dir);
        assertEquals(List.of(1L, 3L, 5L, 7L, 9L), entries("q").stream().map(Entry::id).toList());
        assertEquals(9, store.maxMessageId());
        for (long id : new long[] {1, 3, 5, 7, 9}) {
            removeDurably("q", id);
        }
        store = reopen(store, dir);
        assertEquals(0, store.stats().messages());
        assertEquals(9, store.maxMessageId());
    }

    @Test
    void deliveredMarksComeBackAfterARestart() {
        enqueue(1, "one", "q", "r");
        enqueue(2, "two", "q");
        enqueue(3, "three", "q");
        store.markDelivered("q", 2);
        store.markDelivered("q", 1);
        store.markDelivered("q", 42); // absent: ignored
        store.markDelivered("nowhere", 1);
        flush();
        List<Entry> expected = List.of(new Entry(1, "one", true), new Entry(2, "two", true),
                new Entry(3, "three", false));
        assertEquals(expected, entries("q"));
        assertEquals(List.of(new Entry(1, "one", false)), entries("r"));
        store = reopen(store, dir);
        assertEquals(expected, entries("q"));
        assertEquals(List.of(new Entry(1, "one", false)), entries("r"));
    }

    @Test
    void metadataIsAnOrderedKeySpaceScannedByPrefix() {
        putMetadata("vhost./", "root");
        putMetadata("queue./.orders", "durable");
        putMetadata("queue./.audit", "durable");
        putMetadata("queue./x", "other");
        putMetadata("user.guest", "secret");
        Done removed = new Done();
        store.removeMetadata("queue./x", removed);
        removed.ok();
        putMetadata("user.guest", "changed");
        store = reopen(store, dir);
        SortedMap<String, byte[]> queues = store.metadata("queue.");
        assertEquals(List.of("queue./.audit", "queue./.orders"), List.copyOf(queues.keySet()));
        assertEquals("changed", new String(store.metadata("user.").get("user.guest"), UTF_8));
        assertEquals(4, store.metadata("").size());
        assertEquals(0, store.metadata("zzz").size());
        assertArrayEquals("root".getBytes(UTF_8), store.metadata("vhost.").get("vhost./"));
    }

    @Test
    void aCompletedWriteIsDurable() {
        Done done = new Done();
        store.enqueue(1, bytes("confirmed"), List.of("q"), done);
        done.ok();
        try (MessageStore durable = durableView(store, dir)) {
            assertEquals(List.of(1L), ids(durable, "q"));
        }
    }

    @Test
    void flushIsABarrierForWritesWithoutCompletion() {
        enqueue(1, "one", "q");
        enqueue(2, "two", "q");
        store.remove("q", 1, null);
        store.markDelivered("q", 2);
        flush();
        try (MessageStore durable = durableView(store, dir)) {
            List<Entry> entries = new ArrayList<>();
            durable.recover("q", (id, content, delivered) ->
                    entries.add(new Entry(id, new String(content, UTF_8), delivered)));
            assertEquals(List.of(new Entry(2, "two", true)), entries);
        }
    }

    /** A persistent publish without confirms (or in a transaction): nobody waits for it. */
    @Test
    void anEnqueueWithoutCompletionIsStoredAndMadeDurableByALaterCommit() {
        store.enqueue(1, bytes("unconfirmed"), List.of("a", "b"), null);
        store.enqueue(2, bytes("nowhere"), List.of(), null);
        store.enqueue(3, bytes("also unconfirmed"), List.of("a"), null);
        flush();
        try (MessageStore durable = durableView(store, dir)) {
            assertEquals(List.of(1L, 3L), ids(durable, "a"));
            assertEquals(List.of(1L), ids(durable, "b"));
        }
        store = reopen(store, dir);
        assertEquals(List.of(new Entry(1, "unconfirmed", false),
                new Entry(3, "also unconfirmed", false)), entries("a"));
        assertEquals(2, store.stats().messages());
        assertEquals(3, store.maxMessageId());
    }

    @Test
    void completionsRunInSubmissionOrderPerCaller() throws Exception {
        int threads = 4;
        int perThread = 300;
        List<List<Long>> seen = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Long> mine = new CopyOnWriteArrayList<>();
            seen.add(mine);
            long base = 1 + t * (long) perThread;
            workers.add(new Thread(() -> {
                for (long id = base; id < base + perThread; id++) {
                    long confirmed = id;
                    Completion record = failure -> mine.add(confirmed);
                    switch ((int) (id % 3)) {
                        case 0 -> store.enqueue(id, bytes("m"), List.of("q" + base), record);
                        case 1 -> store.putMetadata("k" + id, bytes("v"), record);
                        default -> store.flush(record);
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        flush();
        for (int t = 0; t < threads; t++) {
            List<Long> mine = seen.get(t);
            assertEquals(perThread, mine.size());
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i - 1) < mine.get(i), "out of order: " + mine);
            }
        }
    }

    @Test
    void anEmptyQueueListStoresNothingButStillCompletes() {
        Done done = new Done();
        store.enqueue(3, bytes("unroutable"), List.of(), done);
        done.ok();
        assertEquals(0, store.stats().messages());
        assertEquals(Set.of(), store.queues());
    }

    @Test
    void aClosedStoreRefusesWrites() {
        store.close();
        assertThrows(StoreException.class, () -> store.flush(new Done()));
        assertThrows(StoreException.class,
                () -> store.enqueue(1, bytes("late"), List.of("q"), new Done()));
        store = open(dir);
    }

    // helpers

    void enqueue(long id, String content, String... queues) {
        Done done = new Done();
        store.enqueue(id, bytes(content), List.of(queues), done);
        done.ok();
    }

    void removeDurably(String queue, long id) {
        Done done = new Done();
        store.remove(queue, id, done);
        done.ok();
    }

    void putMetadata(String key, String value) {
        Done done = new Done();
        store.putMetadata(key, bytes(value), done);
        done.ok();
    }

    void flush() {
        Done done = new Done();
        store.flush(done);
        done.ok();
    }

    List<Entry> entries(String queue) {
        List<Entry> entries = new ArrayList<>();
        store.recover(queue, (id, content, delivered) ->
                entries.add(new Entry(id, new String(content, UTF_8), delivered)));
        return entries;
    }

    static List<Long> ids(MessageStore store, String queue) {
        List<Long> ids = new ArrayList<>();
        store.recover(queue, (id, content, delivered) -> ids.add(id));
        return ids;
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
