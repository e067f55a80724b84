package io.warren.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.warren.broker.auth.HashingAlgorithm;
import io.warren.broker.auth.Limits;
import io.warren.broker.auth.PasswordHash;
import io.warren.broker.auth.Permission;
import io.warren.broker.auth.TopicPermission;
import io.warren.broker.auth.User;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.queue.Paging;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.vhost.VhostSettings;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.Binding;
import io.warren.exchange.ExchangeDefinition;
import io.warren.store.MvStoreMessageStore;
import io.warren.store.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users and vhosts on disk: every field comes back, and a vhost deletion cut short is finished at recovery. */
class AccessRecordsTest {

    @TempDir
    Path dir;

    private static void flush(Persistence p) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        p.flush(done::complete);
        assertNull(done.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aUserRecordKeepsEverything() {
        User u = new User("alice", PasswordHash.of("pw", HashingAlgorithm.SHA512), List.of("monitoring", "management"),
                Map.of("/", Permission.of("^a", "{x}", "")), Map.of("/", Map.of("amq.topic",
                        new TopicPermission("amq.topic", "^{username}\\.", ""))), new Limits(Map.of("max-channels", 5L)));

        User back = TopologyRecords.user(TopologyRecords.user(u));

        assertEquals(u, back);
        assertTrue(back.checkPassword("pw"));
        assertEquals(List.of("monitoring", "management"), back.tags());
    }

    @Test
    void aUserWithoutPasswordStaysWithout() {
        User u = new User("cert", PasswordHash.none(HashingAlgorithm.SHA256), List.of(), Map.of());

        User back = TopologyRecords.user(TopologyRecords.user(u));

        assertTrue(back.password().isEmpty());
    }

    @Test
    void vhostSettingsComeBackAndOldEmptyRecordsReadAsDefaults() {
        VhostSettings s = new VhostSettings("d", List.of("a", "b"), new Limits(Map.of("max-queues", 3L)));

        assertEquals(s, TopologyRecords.vhost(TopologyRecords.vhost(s)));
        assertEquals(VhostSettings.DEFAULT, TopologyRecords.vhost(new byte[0]));
    }

    @Test
    void recoveryDropsWhatAVhostDeletionLeftBehind() throws Exception {
        StoreOptions quiet = StoreOptions.defaults().withCompaction(0, 0, 1000);
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, quiet)) {
            Persistence p = new Persistence(store);
            VirtualHosts vhosts = new VirtualHosts(p, Paging.OFF);
            VirtualHost kept = vhosts.create("kept");
            VirtualHost gone = vhosts.create("gone");
            p.vhostCreated("kept");
            p.vhostCreated("gone");
            for (VirtualHost v : List.of(kept, gone)) {
                v.topology().declareExchange(new ExchangeDefinition("x", "direct", true, false, false, Map.of()));
                v.listener().exchangeDeclared(v, v.topology().exchange("x"));
                v.declareQueue(new QueueDefinition(v.name(), "q", true, false, false, Map.of()), null, null);
                Binding b = Binding.toQueue("x", "q", "k");
                v.topology().bind(b);
                v.listener().bindingAdded(v, b);
            }
            p.userChanged(new User("u", PasswordHash.of("pw"), List.of(), Map.of("kept", Permission.ALL,
                    "gone", Permission.ALL)));
            // the deletion's commit point, then a crash before anything else of it was written
            p.vhostDeleted("gone");
            flush(p);
        }

        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
        try (MvStoreMessageStore store = MvStoreMessageStore.open(dir, quiet)) {
            Persistence p = new Persistence(store);
            VirtualHosts vhosts = new VirtualHosts(p, Paging.OFF);
            UserRegistry users = new UserRegistry();
            Recovery.Summary found = new Recovery(p).run(vhosts, users, loops);
            flush(p);

            assertNull(vhosts.find("gone"));
            assertNotNull(vhosts.find("kept").queue("q"));
            assertEquals(1, found.queues());
            assertEquals(1, found.bindings());
            assertEquals(Map.of("kept", Permission.ALL), users.find("u").permissions());
            assertTrue(store.metadata(TopologyRecords.EXCHANGE + "gone\0").isEmpty());
            assertTrue(store.metadata(TopologyRecords.QUEUE + "gone\0").isEmpty());
            assertTrue(store.metadata(TopologyRecords.BINDING + "gone\0").isEmpty());
            assertEquals(Map.of("kept", Permission.ALL),
                    TopologyRecords.user(store.metadata(TopologyRecords.userKey("u")).get(TopologyRecords.userKey("u")))
                            .permissions());
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
