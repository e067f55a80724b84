package io.warren.broker.persistence;

import io.netty.channel.EventLoopGroup;
import io.warren.broker.auth.User;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.message.Message;
import io.warren.broker.message.MessageBytes;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.ExchangeDefinition;
import io.warren.store.MessageStore;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up: rebuilds vhosts, users, durable exchanges, queues and bindings from the store's
 * metadata, then refills each durable queue with its messages in publish order, those that had
 * been delivered marked redelivered. Runs before the listeners open, so nothing else sees the
 * queues half-filled.
 */
public final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What was found, for the start-up log line. */
    public record Summary(int vhosts, int exchanges, int queues, int bindings, long messages) {}

    private final Persistence persistence;
    private final MessageStore store;

    public Recovery(Persistence persistence) {
        this.persistence = persistence;
        this.store = persistence.store();
    }

    public Summary run(VirtualHosts vhosts, UserRegistry users, EventLoopGroup loops) {
        return run(vhosts, users, loops, () -> { });
    }

    /**
     * As {@link #run(VirtualHosts, UserRegistry, EventLoopGroup)}; {@code vhostsRecovered} runs
     * once the vhosts are back and before their queues are (the vhosts' policies are read then,
     * so each queue has its policy before its messages come back).
     */
    public Summary run(VirtualHosts vhosts, UserRegistry users, EventLoopGroup loops, Runnable vhostsRecovered) {
        persistence.recovering(true);
        try {
            return recover(vhosts, users, loops, vhostsRecovered);
        } finally {
            persistence.recovering(false);
        }
    }

    private Summary recover(VirtualHosts vhosts, UserRegistry users, EventLoopGroup loops, Runnable vhostsRecovered) {
        for (Map.Entry<String, byte[]> e : store.metadata(TopologyRecords.VHOST).entrySet()) {
            vhosts.create(e.getKey().substring(TopologyRecords.VHOST.length()))
                    .settings(TopologyRecords.vhost(e.getValue()));
        }
        vhostsRecovered.run();
        for (byte[] record : store.metadata(TopologyRecords.USER).values()) {
            User user = TopologyRecords.user(record);
            User kept = withoutDeletedVhosts(user, vhosts);
            if (kept != user) {
                persistence.userChanged(kept);
            }
            users.put(kept);
        }
        int exchanges = 0;
        for (Map.Entry<String, byte[]> e : store.metadata(TopologyRecords.EXCHANGE).entrySet()) {
            String[] parts = split(e.getKey(), TopologyRecords.EXCHANGE);
            VirtualHost vhost = vhosts.find(parts[0]);
            if (vhost == null) {
                store.removeMetadata(e.getKey(), Persistence.LOG_FAILURE); // left by a vhost deletion cut short
                continue;
            }
            ExchangeDefinition d = TopologyRecords.exchange(e.getValue());
            if (vhost.topology().exchange(d.name()) == null) {
                vhost.topology().declareExchange(d);
            }
            exchanges++;
        }
        int queues = 0;
        long messages = 0;
        Set<String> liveQueueKeys = new HashSet<>();
        for (Map.Entry<String, byte[]> e : store.metadata(TopologyRecords.QUEUE).entrySet()) {
            byte[] record = e.getValue();
            QueueDefinition d = TopologyRecords.queue(record);
            VirtualHost vhost = vhosts.find(d.vhost());
            if (vhost == null) {
                // its messages go with the other orphans below
                store.removeMetadata(e.getKey(), Persistence.LOG_FAILURE);
                continue;
            }
            Queue q = vhost.declareQueue(d, loops.next(), null).queue();
            persistence.queueRecovered(q, TopologyRecords.queueIncarnation(record));
            String storeKey = Persistence.storeKey(q);
            liveQueueKeys.add(storeKey);
            long[] count = new long[1];
            store.recover(storeKey, (id, content, delivered) -> {
                Message m = MessageBytes.decode(id, content);
                q.recover(m, delivered);
                count[0]++;
            });
            messages += count[0];
            queues++;
        }
        int bindings = 0;
        for (Map.Entry<String, byte[]> e : store.metadata(TopologyRecords.BINDING).entrySet()) {
            String vhostName = split(e.getKey(), TopologyRecords.BINDING)[0];
            VirtualHost vhost = vhosts.find(vhostName);
            Binding b = TopologyRecords.binding(e.getValue());
            BindResult result = vhost == null ? BindResult.SOURCE_NOT_FOUND : vhost.topology().bind(b);
            if (result == BindResult.CREATED || result == BindResult.EXISTS) {
                persistence.bindingRecovered(vhost, b);
                bindings++;
            } else {
                store.removeMetadata(e.getKey(), Persistence.LOG_FAILURE);
            }
        }
        for (String orphan : store.queues()) {
            if (!liveQueueKeys.contains(orphan)) {
                LOG.info("dropping stored messages of a queue that no longer exists: {}", orphan.replace('\0', '/'));
                store.deleteQueue(orphan, Persistence.LOG_FAILURE);
            }
        }
        return new Summary(vhosts.all().size(), exchanges, queues, bindings, messages);
    }

    /** The user without permissions in vhosts that no longer exist (a vhost deletion cut short). */
    private static User withoutDeletedVhosts(User user, VirtualHosts vhosts) {
        User kept = user;
        for (String vhost : user.permissions().keySet()) {
            if (vhosts.find(vhost) == null) {
                kept = kept.withoutVhost(vhost);
            }
        }
        for (String vhost : user.topicPermissions().keySet()) {
            if (vhosts.find(vhost) == null) {
                kept = kept.withoutVhost(vhost);
            }
        }
        return kept;
    }

    /** The parts of a metadata key after its kind prefix, split at NUL. */
    private static String[] split(String key, String prefix) {
        return key.substring(prefix.length()).split("\0", -1);
    }
}
