package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.channel.ChannelSnapshot;
import io.warren.broker.connection.AmqpConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Channels and consumers: {@code /api/channels[/{name}]}, {@code /api/connections/{name}/channels},
 * {@code /api/vhosts/{vhost}/channels}, {@code /api/consumers[/{vhost}]}. A channel's state
 * belongs to its connection's loop, so each connection is asked on its loop for a snapshot of
 * its channels ({@link AmqpConnection#channelSnapshots}); the answer goes out once every asked
 * connection has answered (or after {@link #TIMEOUT_MS}, without the ones that did not: a list
 * of RabbitMQ's leaves out channels whose stats have not come in either).
 *
 * <p>Concurrency: the snapshots arrive on the connections' loops; they are put together on the
 * HTTP request's loop.
 */
final class ChannelApi {

    static final long TIMEOUT_MS = 5_000;

    /** One connection's channels, as its loop saw them. */
    record ConnectionChannels(AmqpConnection connection, List<ChannelSnapshot> channels) {}

    private final ApiContext context;

    ChannelApi(ApiContext context) {
        this.context = context;
    }

    /** {@code /api/channels} and {@code /api/channels/{name}}. */
    void routeChannels(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        ApiHandler.only(n <= 2);
        r.allow(ApiHandler.GET);
        if (n == 1) {
            listChannels(r, reply, c -> u.seesConnection(c));
            return;
        }
        String name = r.segment(1);
        int open = name.lastIndexOf(" (");
        if (open < 0 || !name.endsWith(")")) {
            throw ApiError.notFound();
        }
        String connectionName = name.substring(0, open);
        AmqpConnection c = ConnectionApi.find(context, connectionName);
        if (!u.seesConnection(c)) {
            throw ApiError.notAuthorised("User not authorised to access object");
        }
        gather(List.of(c), reply, all -> {
            for (ConnectionChannels cc : all) {
                for (ChannelSnapshot s : cc.channels()) {
                    if (channelName(cc.connection(), s).equals(name)) {
                        reply.json(HttpResponseStatus.OK, channel(cc.connection(), s));
                        return;
                    }
                }
            }
            reply.error(ApiError.notFound());
        });
    }

    /** {@code /api/connections/{name}/channels}. */
    void connectionChannels(ApiHandler.Request r, ManagementUser u, HttpResponses reply, AmqpConnection c) {
        r.allow(ApiHandler.GET);
        if (!u.seesConnection(c)) {
            throw ApiError.notAuthorised("User not authorised to access object");
        }
        listChannels(r, reply, x -> x == c);
    }

    /** {@code /api/vhosts/{vhost}/channels}. */
    void vhostChannels(ApiHandler.Request r, ManagementUser u, HttpResponses reply, String vhost) {
        listChannels(r, reply, c -> u.seesConnection(c) && c.vhost() != null && c.vhost().name().equals(vhost));
    }

    /**
     * {@code /api/consumers} and {@code /api/consumers/{vhost}}: consumers on the channels the
     * user sees (its own; all for monitoring and administrator users) in the vhosts it sees.
     */
    void routeConsumers(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        ApiHandler.only(n <= 2);
        r.allow(ApiHandler.GET);
        String only = n == 2 ? ApiHandler.vhost(context, r.segment(1)).name() : null;
        // as RabbitMQ filters them: the vhosts the user sees, and of those the channels it sees
        List<AmqpConnection> asked = connections(c -> c.vhost() != null && u.seesVhost(c.vhost().name())
                && u.seesConnection(c) && (only == null || c.vhost().name().equals(only)));
        gather(asked, reply, all -> {
            List<Object> out = new ArrayList<>();
            for (ConnectionChannels cc : all) {
                for (ChannelSnapshot s : cc.channels()) {
                    for (io.warren.broker.queue.Consumer consumer : s.consumers()) {
                        out.add(consumer(cc.connection(), s, consumer));
                    }
                }
            }
            QueueApi.respond(reply, () -> reply.json(HttpResponseStatus.OK, Listing.unpaged(out, r.query())));
        });
    }

    private void listChannels(ApiHandler.Request r, HttpResponses reply, Predicate<AmqpConnection> which) {
        gather(connections(which), reply, all -> {
            List<Object> out = new ArrayList<>();
            for (ConnectionChannels cc : all) {
                for (ChannelSnapshot s : cc.channels()) {
                    out.add(channel(cc.connection(), s));
                }
            }
            answerList(reply, out, r);
        });
    }

    /** The list under the request's sort and pagination; a bad parameter answers its 400. */
    private static void answerList(HttpResponses reply, List<Object> items, ApiHandler.Request r) {
        QueueApi.respond(reply, () -> reply.json(HttpResponseStatus.OK, Listing.of(items, r.query())));
    }

    private List<AmqpConnection> connections(Predicate<AmqpConnection> which) {
        List<AmqpConnection> out = new ArrayList<>();
        for (AmqpConnection c : context.connections().all()) {
            if (which.test(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Asks each connection for its channels on its loop; {@code done} runs on the request's loop
     * with the answers, in the connections' order.
     */
    private static void gather(List<AmqpConnection> asked, HttpResponses reply, Consumer<List<ConnectionChannels>> done) {
        EventExecutor own = reply.context().executor();
        ConnectionChannels[] answers = new ConnectionChannels[asked.size()];
        AtomicInteger pending = new AtomicInteger(asked.size() + 1); // +1: released after asking them all
        AtomicBoolean answered = new AtomicBoolean();
        Runnable finish = () -> {
            if (answered.compareAndSet(false, true)) {
                List<ConnectionChannels> got = new ArrayList<>();
                synchronized (answers) {
                    for (ConnectionChannels a : answers) {
                        if (a != null) {
                            got.add(a);
                        }
                    }
                }
                own.execute(() -> QueueApi.respond(reply, () -> done.accept(got)));
            }
        };
        ScheduledFuture<?> timeout = own.schedule(finish, TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (int i = 0; i < asked.size(); i++) {
            int slot = i;
            AmqpConnection c = asked.get(i);
            Consumer<List<ChannelSnapshot>> answer = channels -> {
                synchronized (answers) { // written on the connections' loops, read on the request's
                    answers[slot] = new ConnectionChannels(c, channels);
                }
                if (pending.decrementAndGet() == 0) {
                    timeout.cancel(false);
                    finish.run();
                }
            };
            try {
                c.channelSnapshots(answer);
            } catch (RejectedExecutionException e) { // its loop is shutting down: no channels
                answer.accept(List.of());
            }
        }
        if (pending.decrementAndGet() == 0) {
            timeout.cancel(false);
            finish.run();
        }
    }

    static String channelName(AmqpConnection c, ChannelSnapshot s) {
        return c.name() + " (" + s.number() + ")";
    }

    private static Map<String, Object> connectionDetails(AmqpConnection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        java.net.InetSocketAddress peer = c.peerAddress();
        m.put("name", c.name());
        m.put("peer_host", peer == null ? null : peer.getAddress().getHostAddress());
        m.put("peer_port", peer == null ? null : peer.getPort());
        return m;
    }

    static Map<String, Object> channel(AmqpConnection c, ChannelSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", channelName(c, s));
        m.put("number", s.number());
        m.put("node", Views.NODE);
        m.put("connection_details", connectionDetails(c));
        m.put("vhost", c.vhost() == null ? "" : c.vhost().name());
        m.put("user", c.user() == null ? "" : c.user().name());
        m.put("user_who_performed_action", c.user() == null ? "" : c.user().name());
        m.put("state", s.open() ? "running" : "closing");
        m.put("consumer_count", s.consumers().size());
        m.put("messages_unacknowledged", s.unacknowledged());
        m.put("messages_unconfirmed", s.unconfirmed());
        m.put("messages_uncommitted", s.uncommitted());
        m.put("acks_uncommitted", s.acksUncommitted());
        m.put("prefetch_count", s.prefetchCount());
        m.put("global_prefetch_count", s.globalPrefetchCount());
        m.put("confirm", s.confirm());
        m.put("transactional", s.transactional());
        return m;
    }

    static Map<String, Object> consumer(AmqpConnection c, ChannelSnapshot s, io.warren.broker.queue.Consumer k) {
        Map<String, Object> details = new LinkedHashMap<>();
        java.net.InetSocketAddress peer = c.peerAddress();
        details.put("connection_name", c.name());
        details.put("name", channelName(c, s));
        details.put("node", Views.NODE);
        details.put("number", s.number());
        details.put("peer_host", peer == null ? null : peer.getAddress().getHostAddress());
        details.put("peer_port", peer == null ? null : peer.getPort());
        details.put("user", c.user() == null ? "" : c.user().name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arguments", k.arguments());
        m.put("ack_required", !k.noAck());
        if (k.queue().policy().singleActiveConsumer()) {
            // RabbitMQ's words for the one that receives and those waiting for their turn
            boolean active = k.queue().singleActiveConsumer() == k;
            m.put("active", active);
            m.put("activity_status", active ? "single_active" : "waiting");
        } else {
            m.put("active", true);
            m.put("activity_status", "up");
        }
        m.put("channel_details", details);
        m.put("consumer_tag", k.tag());
        m.put("exclusive", k.exclusive());
        m.put("prefetch_count", k.prefetch());
        m.put("queue", Map.of("name", k.queue().name(), "vhost", k.queue().definition().vhost()));
        return m;
    }
}
