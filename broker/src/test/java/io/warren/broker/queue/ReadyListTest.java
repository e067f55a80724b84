package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import io.warren.store.MvPageStore;
import io.warren.store.PageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /** The queue's loop, played by the test thread: the paging thread's answers wait here. */
    private final LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();

    private ReadyList pagedList(PageStore store, Paging limits) {
        return new ReadyList(0, limits, false, loop::add);
    }

    /** Polls everything, running the paging thread's answers whenever the head waits for one. */
    private List<Long> drain(ReadyList list) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        while (!list.isEmpty()) {
            Message m = list.poll();
            if (m == null) {
                Runnable answer = loop.poll(10, TimeUnit.SECONDS);
                assertNotNull(answer, "a page-in never came back");
                answer.run();
                continue;
            }
            ids.add(m.id());
            m.release();
        }
        return ids;
    }

    @Test
    void returnedMessagesGoBackToTheirOriginalPositionMarkedRedelivered() throws Exception {
        ReadyList list = new ReadyList(0, Paging.OFF);
        for (long id = 1; id <= 5; id++) {
            list.add(message(id, null));
        }
        Message one = list.poll();
        long onePosition = list.polledPosition();
        Message two = list.poll();
        long twoPosition = list.polledPosition();
        list.putBack(two, true, twoPosition);
        list.putBack(one, true, onePosition);
        assertTrue(list.headRedelivered());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), drain(list));
    }

    /**
     * Ids are taken before routing: a publisher on another loop can reach the queue with a lower
     * id after a higher one. A requeue restores the order the queue had, not id order (before
     * positions, the returned heap sorted by id and flipped them).
     */
    @Test
    void requeuedMessagesReturnToTheirArrivalOrderNotTheirIdOrder() throws Exception {
        ReadyList list = new ReadyList(0, Paging.OFF);
        list.add(message(7, null));
        list.add(message(3, null));
        list.add(message(5, null));
        Message first = list.poll();
        long firstPosition = list.polledPosition();
        Message second = list.poll();
        long secondPosition = list.polledPosition();
        list.putBack(first, true, firstPosition);
        list.putBack(second, true, secondPosition);
        assertEquals(List.of(7L, 3L, 5L), drain(list));
    }

    @Test
    void higherPriorityLeavesFirstAndEqualPrioritiesKeepPublishOrder() throws Exception {
        ReadyList list = new ReadyList(10, Paging.OFF);
        list.add(message(1, 1));
        list.add(message(2, 5));
        list.add(message(3, null));
        list.add(message(4, 5));
        list.add(message(5, 200));
        assertEquals(List.of(5L, 2L, 4L, 1L, 3L), drain(list));
    }

    @Test
    void pagedBacklogComesBackInOrderAndCountsStayExact(@TempDir Path dir) throws Exception {
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20); PagingThread pager = new PagingThread(store)) {
            ReadyList list = pagedList(store, new Paging(pager, 100, Long.MAX_VALUE, new MemoryPressure()));
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
    void underMemoryPressureAQueuePagesPastOnePageInBatchWhateverItsOwnLimits(@TempDir Path dir) throws Exception {
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20); PagingThread pager = new PagingThread(store)) {
            MemoryPressure pressure = new MemoryPressure();
            ReadyList list = pagedList(store, new Paging(pager, Integer.MAX_VALUE, Long.MAX_VALUE, pressure));
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
        try (MvPageStore store = MvPageStore.open(dir, 1 << 20); PagingThread pager = new PagingThread(store)) {
            MemoryPressure pressure = new MemoryPressure();
            pressure.set(true);
            ReadyList list = pagedList(store, new Paging(pager, Integer.MAX_VALUE, Long.MAX_VALUE, pressure));
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
    void aMessageThePageFileRefusesStaysInMemoryInsteadOfBeingLost(@TempDir Path dir) throws Exception {
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
            try (PagingThread pager = new PagingThread(flaky)) {
                ReadyList list = pagedList(flaky, new Paging(pager, 100, Long.MAX_VALUE, new MemoryPressure()));
                for (long id = 1; id <= 300; id++) {
                    list.add(message(id, null));
                }
                assertEquals(300, list.size());
                List<Long> ids = drain(list);
                assertEquals(300, ids.size(), "every message comes out");
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(i + 1, ids.get(i), "in order");
                }
                assertEquals(0, real.size());
            }
        }
    }
}
