package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import io.warren.store.MvPageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyListTest {

    private static Message message(long id, Integer priority) {
        BasicProperties props = new BasicProperties(null, null, null, null, priority, null, null, null, null,
                null, null, null, null, null);
        byte[] body = ("m" + id).getBytes(StandardCharsets.UTF_8);
        return new Message(id, "", "q", ContentHeader.of(60, props, body.length), Unpooled.wrappedBuffer(body),
                0, Long.MAX_VALUE);
    }

    private static List<Long> drain(ReadyList list) {
        List<Long> ids = new ArrayList<>();
        Message m;
        while ((m = list.poll()) != null) {
            ids.add(m.id());
            m.release();
        }
        return ids;
    }

    @Test
    void returnedMessagesGoBackToTheirOriginalPositionMarkedRedelivered() {
        ReadyList list = new ReadyList(0, Paging.OFF);
        for (long id = 1; id <= 5; id++) {
            list.add(message(id, null));
        }
        Message one = list.poll();
        Message two = list.poll();
        list.putBack(two, true);
        list.putBack(one, true);
        assertTrue(list.headRedelivered());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(list));
    }

    @Test
    void higherPriorityLeavesFirstAndEqualPrioritiesKeepPublishOrder() {
        ReadyList list = new ReadyList(10, Paging.OFF);
        list.add(message(1, 1));
        list.add(message(2, 5));
        list.add(message(3, null));
        list.add(message(4, 5));
        list.add(message(5, 200));
        assertEquals(List.of(5L, 2L, 4L, 1L, 3L), drain(list));
    }

    @Test
    void pagedBacklogComesBackInOrderAndCountsStayExact(@TempDir Path dir) {
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20)) {
            ReadyList list = new ReadyList(0, new Paging(store, 100, Long.MAX_VALUE, new MemoryPressure()));
            for (long id = 1; id <= 10_000; id++) {
                list.add(message(id, null));
            }
            assertEquals(10_000, list.size());
            assertEquals(9_900, list.pagedOut(), "past 100 in memory, the rest is paged out");
            List<Long> ids = drain(list);
            assertEquals(10_000, ids.size());
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i + 1, ids.get(i));
            }
            assertFalse(list.pagedOut() > 0);
            assertEquals(0, store.size(), "paged-in messages are removed from the page store");
        }
    }

    @Test
    void underMemoryPressureAQueuePagesPastOnePageInBatchWhateverItsOwnLimits(@TempDir Path dir) {
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20)) {
            MemoryPressure pressure = new MemoryPressure();
            ReadyList list = new ReadyList(0, new Paging(store, Integer.MAX_VALUE, Long.MAX_VALUE, pressure));
            for (long id = 1; id <= 3_000; id++) {
                list.add(message(id, null));
            }
            assertEquals(0, list.pagedOut(), "within its limits and no pressure: all in memory");
            pressure.set(true);
            for (long id = 3_001; id <= 6_000; id++) {
                list.add(message(id, null));
            }
            assertEquals(3_000, list.pagedOut(), "under pressure, new arrivals go to disk");
            pressure.set(false);
            list.add(message(6_001, null));
            assertEquals(3_001, list.pagedOut(), "behind paged messages a new one is paged too, to keep order");
            List<Long> ids = drain(list);
            assertEquals(6_001, ids.size());
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i + 1, ids.get(i));
            }
        }
    }

    @Test
    void underMemoryPressureAQueueThatKeepsUpDoesNotPage(@TempDir Path dir) {
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20)) {
            MemoryPressure pressure = new MemoryPressure();
            pressure.set(true);
            ReadyList list = new ReadyList(0, new Paging(store, Integer.MAX_VALUE, Long.MAX_VALUE, pressure));
            for (long id = 1; id <= 10_000; id++) {
                list.add(message(id, null));
                list.poll().release();
            }
            assertEquals(0, list.pagedOut());
            assertEquals(0, store.size());
        }
    }

    /**
     * A page file that cannot take a message must not lose it: before, the message was
     * counted ready and gone (a 10-million-message backlog under -Xmx512m left one
     * undelivered when growing the id list failed the same way).
     */
    @Test
    void aMessageThePageFileRefusesStaysInMemoryInsteadOfBeingLost(@TempDir Path dir) {
        try (MvPageStore real = MvPageStore.open(dir, 1 << 20)) {
            int[] refuse = {1};
            io.warren.store.PageStore flaky = new io.warren.store.PageStore() {
                @Override
                public void put(long id, byte[] content) {
                    if (id == 150 && refuse[0]-- > 0) {
                        throw new IllegalStateException("disk full");
                    }
                    real.put(id, content);
                }

                @Override
                public byte[] get(long id) {
                    return real.get(id);
                }

                @Override
                public void remove(long id) {
                    real.remove(id);
                }

                @Override
                public long size() {
                    return real.size();
                }

                @Override
                public void close() {
                }
            };
            ReadyList list = new ReadyList(0, new Paging(flaky, 100, Long.MAX_VALUE, new MemoryPressure()));
            for (long id = 1; id <= 300; id++) {
                list.add(message(id, null));
            }
            assertEquals(300, list.size());
            List<Long> ids = drain(list);
            assertEquals(300, ids.size(), "every message comes out");
            assertEquals(300, new java.util.HashSet<>(ids).size());
            assertEquals(0, real.size());
        }
    }
}
