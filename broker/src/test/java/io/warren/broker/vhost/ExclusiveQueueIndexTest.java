package io.warren.broker.vhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The owner-to-exclusive-queues index stays exact through declare, redeclare and delete, so a
 * connection's close finds exactly its own queues without scanning the vhost's.
 */
class ExclusiveQueueIndexTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final VirtualHost vhost = new VirtualHost("/", VirtualHostListener.NONE, Paging.OFF);
    private final Object connA = new Object();
    private final Object connB = new Object();

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private Queue declare(String name, Object owner) {
        return vhost.declareQueue(new QueueDefinition("/", name, false, owner != null, false, Map.of()),
                loop, owner).queue();
    }

    @Test
    void eachOwnerSeesExactlyItsExclusiveQueues() {
        Queue a1 = declare("a1", connA);
        Queue a2 = declare("a2", connA);
        Queue b1 = declare("b1", connB);
        declare("shared", null);

        assertEquals(Set.of(a1, a2), new HashSet<>(vhost.exclusiveQueuesOf(connA)));
        assertEquals(List.of(b1), vhost.exclusiveQueuesOf(connB));
        assertEquals(List.of(), vhost.exclusiveQueuesOf(new Object()));
        assertEquals(2, vhost.exclusiveOwnerCount());
    }

    @Test
    void aRedeclareDoesNotIndexTwice() {
        Queue a1 = declare("a1", connA);
        // an existing queue comes back untouched; the caller refuses the other owner
        declare("a1", connA);
        declare("a1", connB);
        assertEquals(List.of(a1), vhost.exclusiveQueuesOf(connA));
        assertEquals(List.of(), vhost.exclusiveQueuesOf(connB));
    }

    @Test
    void deletingQueuesEmptiesTheIndex() {
        Queue a1 = declare("a1", connA);
        Queue a2 = declare("a2", connA);
        Queue b1 = declare("b1", connB);

        assertTrue(vhost.deleteQueue(a1));
        assertEquals(List.of(a2), vhost.exclusiveQueuesOf(connA));
        // what a connection close does: delete each of its own
        for (Queue q : vhost.exclusiveQueuesOf(connA)) {
            vhost.deleteQueue(q);
        }
        assertEquals(List.of(), vhost.exclusiveQueuesOf(connA));
        assertEquals(List.of(b1), vhost.exclusiveQueuesOf(connB));
        assertEquals(1, vhost.exclusiveOwnerCount(), "an owner with no queue left is not kept");

        assertTrue(vhost.deleteQueue(b1));
        assertEquals(0, vhost.exclusiveOwnerCount());
        assertEquals(0, vhost.queues().size());
    }

    @Test
    void aSecondDeleteOfTheSameQueueChangesNothing() {
        Queue a1 = declare("a1", connA);
        assertTrue(vhost.deleteQueue(a1));
        Queue again = declare("a1", connA);
        // the old instance is gone already: deleting it must not unindex the new one
        assertEquals(false, vhost.deleteQueue(a1));
        assertEquals(List.of(again), vhost.exclusiveQueuesOf(connA));
    }

    /** Not an assertion on time: prints what a close costs beside many other queues. */
    @Test
    void closeBesideManyQueuesOfAnotherOwner() {
        int others = 100_000;
        for (int i = 0; i < others; i++) {
            declare("other-" + i, connB);
        }
        for (int i = 0; i < 3; i++) {
            declare("mine-" + i, connA);
        }
        long t0 = System.nanoTime();
        List<Queue> mine = vhost.exclusiveQueuesOf(connA);
        long t1 = System.nanoTime();
        assertEquals(3, mine.size());
        // what exclusiveQueuesOf did before the index: a scan of every queue
        long t2 = System.nanoTime();
        int scanned = 0;
        for (Queue q : vhost.queues()) {
            if (q.exclusiveOwner() == connA) {
                scanned++;
            }
        }
        long t3 = System.nanoTime();
        assertEquals(3, scanned);
        System.out.printf("own exclusive queues beside %d queues of another connection: index %.1f us,"
                + " scan %.1f us%n", others, (t1 - t0) / 1e3, (t3 - t2) / 1e3);
    }
}
