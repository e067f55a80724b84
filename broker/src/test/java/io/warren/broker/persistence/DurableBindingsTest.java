package io.warren.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.DeleteResult;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.ExchangeDefinition;
import io.warren.store.MvStoreMessageStore;
import io.warren.store.StoreOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable bindings indexed by their ends: deleting a queue or an exchange forgets exactly the
 * bindings that touch it, in memory and on disk, and what is left survives a restart.
 */
class DurableBindingsTest {

    private static final StoreOptions QUIET = StoreOptions.defaults().withCompaction(0, 0, 1000);

    @TempDir
    Path dir;
    private final DefaultEventExecutor queueLoop = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        queueLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- the index alone ----------------------------------------------------------------------

    @Test
    void removingAnEndForgetsExactlyItsBindings() {
        DurableBindings index = new DurableBindings();
        Binding xToQ1 = Binding.toQueue("x", "q1", "a");
        Binding xToQ1b = Binding.toQueue("x", "q1", "b");
        Binding xToQ2 = Binding.toQueue("x", "q2", "a");
        Binding yToX = Binding.toExchange("y", "x", "a");
        Binding yToQ1 = Binding.toQueue("y", "q1", "a");
        Binding xToX = Binding.toExchange("x", "x", "self");
        Binding otherVhost = Binding.toQueue("x", "q1", "a");
        for (Binding b : List.of(xToQ1, xToQ1b, xToQ2, yToX, yToQ1, xToX)) {
            index.add("/", key("/", b), b);
        }
        index.add("v2", key("v2", otherVhost), otherVhost);
        index.add("/", key("/", xToQ1), xToQ1); // again: nothing changes
        assertEquals(7, index.size());

        assertEquals(Set.of(key("/", xToQ1), key("/", xToQ1b), key("/", yToQ1)),
                new HashSet<>(index.removeAllOf("/", DestinationKind.QUEUE, "q1")));
        assertEquals(4, index.size());
        assertEquals(List.of(), index.removeAllOf("/", DestinationKind.QUEUE, "q1"));

        // an exchange is both ends: as a source (x->q2, x->x) and as a destination (y->x)
        assertEquals(Set.of(key("/", xToQ2), key("/", yToX), key("/", xToX)),
                new HashSet<>(index.removeAllOf("/", DestinationKind.EXCHANGE, "x")));
        // only the other vhost's binding is left, under its two ends
        assertEquals(1, index.size());
        assertEquals(2, index.endCount());

        assertTrue(index.remove(key("v2", otherVhost)));
        assertFalse(index.remove(key("v2", otherVhost)));
        assertEquals(0, index.size());
        assertEquals(0, index.endCount(), "no end is kept without a binding");
    }

    @Test
    void aQueueAndAnExchangeOfTheSameNameAreDifferentEnds() {
        DurableBindings index = new DurableBindings();
        Binding toQueue = Binding.toQueue("src", "same", "k");
        Binding toExchange = Binding.toExchange("src", "same", "k");
        index.add("/", key("/", toQueue), toQueue);
        index.add("/", key("/", toExchange), toExchange);
        assertEquals(List.of(key("/", toQueue)), index.removeAllOf("/", DestinationKind.QUEUE, "same"));
        assertEquals(List.of(key("/", toExchange)), index.removeAllOf("/", DestinationKind.EXCHANGE, "same"));
        assertEquals(0, index.endCount());
    }

    private static String key(String vhost, Binding b) {
        return TopologyRecords.bindingKey(vhost, b);
    }

    // ---- through the vhost, the store and a restart -------------------------------------------

    @Test
    void aDeletedDurableQueueOrExchangeLeavesNoBindingRecordsAcrossARestart() throws Exception {
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, QUIET)) {
            Persistence persistence = new Persistence(store);
            VirtualHost vhost = new VirtualHosts(persistence, Paging.OFF).create("/");
            persistence.vhostCreated("/"); // as the broker's first start writes it
            exchange(vhost, "dbt.x");
            exchange(vhost, "dbt.y");
            exchange(vhost, "dbt.z");
            Queue gone = queue(vhost, "dbt.gone");
            queue(vhost, "dbt.kept");
            bind(vhost, Binding.toQueue("dbt.x", "dbt.gone", "a"));
            bind(vhost, Binding.toQueue("dbt.y", "dbt.gone", "b"));
            bind(vhost, Binding.toQueue("dbt.x", "dbt.kept", "a"));
            bind(vhost, Binding.toExchange("dbt.z", "dbt.y", "c"));
            bind(vhost, Binding.toExchange("dbt.y", "dbt.x", "d"));
            bind(vhost, Binding.toQueue("dbt.z", "dbt.kept", "e"));
            assertEquals(6, persistence.durableBindingCount());
            flush(store);
            assertEquals(6, bindingRecords(store).size());

            assertTrue(vhost.deleteQueue(gone));
            assertEquals(DeleteResult.DELETED, vhost.topology().deleteExchange("dbt.y", false));
            vhost.listener().exchangeDeleted(vhost, "dbt.y");
            assertEquals(2, persistence.durableBindingCount());
            flush(store);
        }

        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
        try (MvStoreMessageStore reopened = MvStoreMessageStore.open(dir, QUIET)) {
            Set<String> left = bindingRecords(reopened);
            assertEquals(Set.of(
                    TopologyRecords.bindingKey("/", Binding.toQueue("dbt.x", "dbt.kept", "a")),
                    TopologyRecords.bindingKey("/", Binding.toQueue("dbt.z", "dbt.kept", "e"))), left);

            Persistence p = new Persistence(reopened);
            VirtualHosts vhosts = new VirtualHosts(p, Paging.OFF);
            Recovery.Summary summary = new Recovery(p).run(vhosts, new UserRegistry(), loops);
            assertEquals(2, summary.bindings());
            VirtualHost vhost = vhosts.find("/");
            assertEquals(List.of(Binding.toQueue("dbt.x", "dbt.kept", "a"), Binding.toQueue("dbt.z", "dbt.kept", "e")),
                    vhost.topology().bindingsTo(DestinationKind.QUEUE, "dbt.kept"));

            // recovered bindings are indexed too: deleting their queue after the restart forgets them
            assertTrue(vhost.deleteQueue(vhost.queue("dbt.kept")));
            assertEquals(0, p.durableBindingCount());
            flush(reopened);
            assertEquals(Set.of(), bindingRecords(reopened));
            for (Queue each : vhost.queues()) {
                each.purge();
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void exchange(VirtualHost vhost, String name) {
        ExchangeDefinition d = new ExchangeDefinition(name, "direct", true, false, false, Map.of());
        vhost.listener().exchangeDeclared(vhost, vhost.topology().declareExchange(d).exchange());
    }

    private Queue queue(VirtualHost vhost, String name) {
        return vhost.declareQueue(new QueueDefinition("/", name, true, false, false, Map.of()), queueLoop, null)
                .queue();
    }

    private static void bind(VirtualHost vhost, Binding b) {
        assertEquals(BindResult.CREATED, vhost.topology().bind(b));
        vhost.listener().bindingAdded(vhost, b);
    }

    private static Set<String> bindingRecords(MvStoreMessageStore store) {
        return new HashSet<>(store.metadata(TopologyRecords.BINDING).keySet());
    }

    private static void flush(MvStoreMessageStore store) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        store.flush(done::complete);
        assertEquals(null, done.get(10, TimeUnit.SECONDS));
    }
}
