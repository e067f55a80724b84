package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitoring side of the management API, as dashboards and rabbitmqadmin read it: the
 * overview's totals and rates, nodes, channels, consumers, the vhost-scoped lists. RabbitMQ
 * updates its statistics asynchronously (every 5 s), so what a test waits for it polls for.
 */
class HttpMonitoringApiTest extends CompatTest {

    /** Two statistics intervals and some: a rate needs two samples. */
    private static final long STATS_SECONDS = 30;

    private ManagementApi api;
    private final List<String> users = new ArrayList<>();

    @BeforeEach
    void api() {
        api = ManagementApi.underTest();
    }

    @AfterEach
    void deleteUsers() throws Exception {
        for (String u : users) {
            api.call("DELETE", "/api/users/" + ManagementApi.encode(u), null);
        }
    }

    /** A user with {@code tag} and all permissions on "/". */
    private String user(String tag) throws Exception {
        String name = name("http-" + tag);
        users.add(name);
        assertEquals(201, api.call("PUT", "/api/users/" + ManagementApi.encode(name),
                "{\"password\":\"pw\",\"tags\":\"" + tag + "\"}").status());
        assertEquals(201, api.call("PUT", "/api/permissions/%2F/" + ManagementApi.encode(name),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").status());
        return name;
    }

    private static void within(long seconds, String what, CheckedBoolean condition) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + "s: " + what);
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static double rate(Map<String, Object> stats, String field) {
        Object details = stats.get(field + "_details");
        return details == null ? 0 : ((Number) map(details).get("rate")).doubleValue();
    }

    private static long count(Map<String, Object> stats, String field) {
        Object v = stats.get(field);
        return v == null ? 0 : ((Number) v).longValue();
    }

    // ---- overview ----------------------------------------------------------------------------

    @Test
    void overviewCountsObjectsAndShowsPublishRateWhilePublishing() throws Exception {
        String q = queueName("http-rate");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        long before = count(map(api.get("/api/overview").object().get("message_stats")), "publish");
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            try {
                Channel p = channel();
                p.confirmSelect();
                while (!stop.get()) {
                    p.basicPublish("", q, null, bytes("m"));
                    p.waitForConfirmsOrDie(10_000);
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    throw new IllegalStateException(e);
                }
            }
        });
        publisher.start();
        try {
            within(STATS_SECONDS, "a publish rate above 0 and publish counted", () -> {
                Map<String, Object> stats = map(api.get("/api/overview").object().get("message_stats"));
                return count(stats, "publish") > before && rate(stats, "publish") > 0 && rate(stats, "confirm") > 0;
            });
            within(STATS_SECONDS, "the queue's depth rising in queue_totals and in the queue", () -> {
                Map<String, Object> totals = map(api.get("/api/overview").object().get("queue_totals"));
                Map<String, Object> queue = api.get("/api/queues/%2F/" + ManagementApi.encode(q)).object();
                return count(totals, "messages_ready") > 0 && rate(queue, "messages_ready") > 0
                        && rate(queue, "messages") > 0;
            });
        } finally {
            stop.set(true);
            publisher.join(10_000);
        }
        Map<String, Object> overview = api.get("/api/overview").object();
        Map<String, Object> objects = map(overview.get("object_totals"));
        for (String field : List.of("connections", "channels", "exchanges", "queues", "consumers")) {
            assertTrue(objects.get(field) instanceof Number, field + " missing from object_totals: " + objects);
        }
        assertTrue(count(objects, "queues") >= 1 && count(objects, "exchanges") >= 7, objects::toString);
        assertEquals(overview.get("node"), map(((List<?>) overview.get("listeners")).get(0)).get("node"));
        boolean amqp = false;
        for (Object l : (List<?>) overview.get("listeners")) {
            amqp |= "amqp".equals(map(l).get("protocol")) && ((Number) map(l).get("port")).intValue()
                    == BrokerUnderTest.port();
        }
        assertTrue(amqp, "no amqp listener on the broker's port: " + overview.get("listeners"));
        Map<String, Object> churn = map(overview.get("churn_rates"));
        assertTrue(count(churn, "connection_created") >= 1 && count(churn, "channel_created") >= 1, churn::toString);
        assertTrue(churn.get("connection_closed_details") instanceof Map, churn::toString);
        assertTrue(overview.get("cluster_name") instanceof String);
        assertTrue(overview.get("management_version") instanceof String);
    }

    @Test
    void vhostsShowTheirMessageCounts() throws Exception {
        String vhost = name("http-vh-depth");
        String path = "/api/vhosts/" + ManagementApi.encode(vhost);
        assertEquals(201, api.call("PUT", path, "{}").status());
        try {
            String q = "depth";
            assertEquals(201, api.call("PUT", "/api/queues/" + ManagementApi.encode(vhost) + "/" + q, "{}").status());
            for (int i = 0; i < 2; i++) {
                api.call("POST", "/api/exchanges/" + ManagementApi.encode(vhost) + "/amq.default/publish",
                        "{\"routing_key\":\"" + q + "\",\"properties\":{},\"payload\":\"x\","
                                + "\"payload_encoding\":\"string\"}");
            }
            within(STATS_SECONDS, "the vhost's message counts", () -> {
                Map<String, Object> v = api.get(path).object();
                return count(v, "messages") == 2 && count(v, "messages_ready") == 2
                        && v.containsKey("messages_unacknowledged");
            });
        } finally {
            api.call("DELETE", path, null);
        }
    }

    @Test
    void aQueueShowsItsMessageStats() throws Exception {
        Channel ch = channel();
        String q = queueName("http-qstats");
        ch.queueDeclare(q, false, false, true, null);
        publishConfirmed(ch, "", q, "a", "b", "c", "d");
        GetResponse acked = ch.basicGet(q, false);
        ch.basicAck(acked.getEnvelope().getDeliveryTag(), false);
        GetResponse requeued = ch.basicGet(q, false);
        ch.basicNack(requeued.getEnvelope().getDeliveryTag(), false, true);
        assertTrue(ch.basicGet(q, false).getEnvelope().isRedeliver(), "the requeued message comes back first");
        ch.basicGet(q, true);
        String path = "/api/queues/%2F/" + ManagementApi.encode(q);
        // publish 4; get (manual ack) 3, one of them redelivered; get_no_ack 1; ack 1
        within(STATS_SECONDS, "the queue's message_stats", () -> {
            Object stats = api.get(path).object().get("message_stats");
            if (!(stats instanceof Map<?, ?>)) {
                return false;
            }
            Map<String, Object> m = map(stats);
            return count(m, "publish") == 4 && count(m, "get") == 3 && count(m, "get_no_ack") == 1
                    && count(m, "ack") == 1 && count(m, "redeliver") == 1 && count(m, "deliver_get") == 4
                    && m.get("publish_details") instanceof Map<?, ?>;
        });
        Map<String, Object> listed = api.get("/api/queues/%2F?name=" + ManagementApi.encode(q)
                + "&page=1&page_size=10").object();
        Map<String, Object> item = map(((List<?>) listed.get("items")).get(0));
        assertEquals(4L, count(map(item.get("message_stats")), "publish"), "the list shows them too");
    }

    // ---- nodes -------------------------------------------------------------------------------

    @Test
    void nodesShowTheNodeToMonitoringUsersOnly() throws Exception {
        String node = (String) api.get("/api/overview").object().get("node");
        ManagementApi.Response list = api.get("/api/nodes");
        assertEquals(200, list.status(), list::toString);
        assertEquals(1, list.list().size());
        Map<String, Object> n = list.list().get(0);
        assertEquals(node, n.get("name"));
        assertEquals(true, n.get("running"));
        assertEquals("disc", n.get("type"));
        assertTrue(((Number) n.get("mem_used")).longValue() > 0, n::toString);
        assertTrue(((Number) n.get("mem_limit")).longValue() > 0, n::toString);
        assertEquals(false, n.get("mem_alarm"));
        assertTrue(((Number) n.get("disk_free")).longValue() > 0, n::toString);
        assertEquals(false, n.get("disk_free_alarm"));
        assertTrue(((Number) n.get("fd_used")).longValue() > 0, n::toString);
        assertTrue(((Number) n.get("processors")).intValue() > 0, n::toString);
        assertTrue(((Number) n.get("uptime")).longValue() > 0, n::toString);
        assertEquals(node, api.get("/api/nodes/" + ManagementApi.encode(node)).object().get("name"));

        String mgmt = user("management");
        ManagementApi.Response refused = api.call("GET", "/api/nodes", null, mgmt, "pw");
        assertEquals(401, refused.status(), refused::toString);
        assertEquals("{\"error\":\"not_authorised\",\"reason\":\"Not monitor user\"}", refused.body());
        assertEquals(200, api.call("GET", "/api/nodes", null, user("monitoring"), "pw").status());
    }

    // ---- channels and consumers --------------------------------------------------------------

    /** The API name of the connection whose client named itself {@code label}. */
    private String awaitConnection(String label) throws Exception {
        String[] found = new String[1];
        within(STATS_SECONDS, "connection " + label + " listed", () -> {
            for (Map<String, Object> c : api.get("/api/connections").list()) {
                Object props = c.get("client_properties");
                if (props != null && label.equals(map(props).get("connection_name"))) {
                    found[0] = (String) c.get("name");
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void channelsAndConsumersShowWhatTheClientSetUp() throws Exception {
        String q = queueName("http-chan");
        String label = name("http-chan-conn");
        ConnectionFactory f = factory();
        f.setClientProperties(new java.util.HashMap<>(Map.of("connection_name", label)));
        Connection conn = track(f.newConnection());
        Channel ch = conn.createChannel();
        ch.queueDeclare(q, false, false, false, null);
        ch.confirmSelect();
        ch.basicQos(7);
        String tag = ch.basicConsume(q, false, new CollectingConsumer(ch));
        String name = awaitConnection(label);
        String connPath = "/api/connections/" + ManagementApi.encode(name) + "/channels";

        within(STATS_SECONDS, "the channel with its consumer listed", () -> {
            List<Map<String, Object>> chans = api.get(connPath).list();
            return chans.size() == 1 && count(chans.get(0), "consumer_count") == 1;
        });
        Map<String, Object> channel = api.get(connPath).list().get(0);
        assertEquals(name + " (" + ch.getChannelNumber() + ")", channel.get("name"));
        assertEquals((long) ch.getChannelNumber(), count(channel, "number"));
        assertEquals(true, channel.get("confirm"));
        assertEquals(false, channel.get("transactional"));
        assertEquals(7L, count(channel, "prefetch_count"));
        assertEquals("/", channel.get("vhost"));
        assertEquals("guest", channel.get("user"));
        assertEquals(name, map(channel.get("connection_details")).get("name"));

        String channelPath = "/api/channels/" + ManagementApi.encode((String) channel.get("name"));
        assertEquals(channel.get("name"), api.get(channelPath).object().get("name"));
        assertTrue(names(api.get("/api/channels").list()).contains(channel.get("name")));
        assertTrue(names(api.get("/api/vhosts/%2F/channels").list()).contains(channel.get("name")));
        assertTrue(names(api.get("/api/vhosts/%2F/connections").list()).contains(name));
        ManagementApi.Response none = api.get("/api/channels/" + ManagementApi.encode(name + " (999)"));
        assertEquals(404, none.status(), none::toString);
        assertEquals(404, api.get("/api/vhosts/" + name("none") + "/connections").status());

        Map<String, Object> consumer = null;
        for (Map<String, Object> c : api.get("/api/consumers/%2F").list()) {
            if (tag.equals(c.get("consumer_tag"))) {
                consumer = c;
            }
        }
        assertNotNull(consumer, "consumer " + tag + " not in /api/consumers/%2F");
        assertEquals(Map.of("name", q, "vhost", "/"), consumer.get("queue"));
        assertEquals(true, consumer.get("ack_required"));
        assertEquals(false, consumer.get("exclusive"));
        assertEquals(7L, count(consumer, "prefetch_count"));
        assertEquals(channel.get("name"), map(consumer.get("channel_details")).get("name"));
        assertEquals(name, map(consumer.get("channel_details")).get("connection_name"));
        assertTrue(api.get("/api/consumers").list().stream().anyMatch(c -> tag.equals(c.get("consumer_tag"))));

        ch.basicCancel(tag);
        within(STATS_SECONDS, "the cancelled consumer gone", () -> api.get("/api/consumers/%2F").list().stream()
                .noneMatch(c -> tag.equals(c.get("consumer_tag"))));
    }

    @Test
    void vhostScopedListsNeedAccessToTheVhost() throws Exception {
        String vhost = name("http-vh");
        String path = "/api/vhosts/" + ManagementApi.encode(vhost);
        assertEquals(201, api.call("PUT", path, "{}").status());
        try {
            String mgmt = user("management"); // permissions on "/" only
            String unauthorised = "{\"error\":\"not_authorised\",\"reason\":\"User not authorised to access"
                    + " virtual host\"}";
            for (String list : List.of("/api/queues/", "/api/exchanges/", "/api/bindings/")) {
                ManagementApi.Response r = api.call("GET", list + ManagementApi.encode(vhost), null, mgmt, "pw");
                assertEquals(401, r.status(), list + ": " + r);
                assertEquals(unauthorised, r.body(), list);
            }
            String mon = name("http-mon-noperm");
            users.add(mon);
            assertEquals(201, api.call("PUT", "/api/users/" + ManagementApi.encode(mon),
                    "{\"password\":\"pw\",\"tags\":\"monitoring\"}").status());
            for (String what : List.of("connections", "channels")) {
                ManagementApi.Response r = api.call("GET", path + "/" + what, null, mon, "pw");
                assertEquals(401, r.status(), what + ": " + r);
                assertEquals(unauthorised, r.body(), what);
            }
            assertEquals(200, api.call("GET", "/api/vhosts/%2F/connections", null, mgmt, "pw").status());
        } finally {
            api.call("DELETE", path, null);
        }
    }

    @Test
    void managementUserSeesOnlyItsOwnChannelsAndConsumers() throws Exception {
        String q = queueName("http-own");
        String label = name("http-guest-conn");
        ConnectionFactory f = factory();
        f.setClientProperties(new java.util.HashMap<>(Map.of("connection_name", label)));
        Connection guest = track(f.newConnection());
        Channel ch = guest.createChannel();
        ch.queueDeclare(q, false, false, false, null);
        String tag = ch.basicConsume(q, true, new CollectingConsumer(ch));
        String name = awaitConnection(label);
        String channel = name + " (" + ch.getChannelNumber() + ")";
        within(STATS_SECONDS, "guest's channel and consumer listed", () -> api.get("/api/consumers/%2F").list()
                .stream().anyMatch(c -> tag.equals(c.get("consumer_tag")))
                && api.get("/api/channels/" + ManagementApi.encode(channel)).status() == 200);

        String mgmt = user("management");
        String unauthorised = "{\"error\":\"not_authorised\",\"reason\":\"User not authorised to access object\"}";
        ManagementApi.Response one = api.call("GET", "/api/channels/" + ManagementApi.encode(channel), null, mgmt, "pw");
        assertEquals(401, one.status(), one::toString);
        assertEquals(unauthorised, one.body());
        ManagementApi.Response of = api.call("GET", "/api/connections/" + ManagementApi.encode(name) + "/channels",
                null, mgmt, "pw");
        assertEquals(401, of.status(), of::toString);
        assertEquals(unauthorised, of.body());
        assertFalse(names(api.call("GET", "/api/channels", null, mgmt, "pw").list()).contains(channel));
        assertTrue(api.call("GET", "/api/consumers/%2F", null, mgmt, "pw").list().stream()
                .noneMatch(c -> tag.equals(c.get("consumer_tag"))), "a management user sees guest's consumer");
    }

    @Test
    void singleActiveConsumerQueueShowsWhichConsumerIsActive() throws Exception {
        String q = queueName("http-sac");
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, Map.of("x-single-active-consumer", true));
        String first = ch.basicConsume(q, false, new CollectingConsumer(ch));
        String second = ch.basicConsume(q, false, new CollectingConsumer(ch));
        Map<String, Map<String, Object>> byTag = new java.util.HashMap<>();
        within(STATS_SECONDS, "both consumers listed", () -> {
            byTag.clear();
            for (Map<String, Object> c : api.get("/api/consumers/%2F").list()) {
                if (q.equals(map(c.get("queue")).get("name"))) {
                    byTag.put((String) c.get("consumer_tag"), c);
                }
            }
            return byTag.size() == 2;
        });
        assertEquals(true, byTag.get(first).get("active"));
        assertEquals("single_active", byTag.get(first).get("activity_status"));
        assertEquals(false, byTag.get(second).get("active"));
        assertEquals("waiting", byTag.get(second).get("activity_status"));
        within(STATS_SECONDS, "the queue naming its active consumer", () -> first.equals(
                api.get("/api/queues/%2F/" + ManagementApi.encode(q)).object().get("single_active_consumer_tag")));
    }

    private static List<Object> names(List<Map<String, Object>> items) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> m : items) {
            out.add(m.get("name"));
        }
        return out;
    }

    @Test
    void rabbitmqadminListsNodesChannelsAndConsumers() throws Exception {
        channel().basicQos(3);
        for (String what : List.of("nodes", "channels", "consumers")) {
            ManagementApi.Admin out = api.rabbitmqadmin("list", what);
            assertEquals(0, out.exit(), out::output);
        }
        ManagementApi.Admin overview = api.rabbitmqadmin("show", "overview");
        assertEquals(0, overview.exit(), overview::output);
    }

    // ---- the small ones ----------------------------------------------------------------------

    @Test
    void authAnswersWithoutCredentials() throws Exception {
        ManagementApi.Response r = api.call("GET", "/api/auth", null, null, null);
        assertEquals(200, r.status(), r::toString);
        assertEquals(false, r.object().get("enable_uaa"));
    }

    @Test
    void clusterNameIsReadByAnyoneAndSetByAdministrators() throws Exception {
        String original = (String) api.get("/api/cluster-name").object().get("name");
        String mgmt = user("management");
        assertEquals(original, api.call("GET", "/api/cluster-name", null, mgmt, "pw").object().get("name"));
        ManagementApi.Response refused = api.call("PUT", "/api/cluster-name", "{\"name\":\"x\"}", mgmt, "pw");
        assertEquals(401, refused.status(), refused::toString);
        assertEquals("{\"error\":\"not_authorised\",\"reason\":\"Not administrator user\"}", refused.body());
        ManagementApi.Response missing = api.call("PUT", "/api/cluster-name", "{}");
        assertEquals(400, missing.status(), missing::toString);
        try {
            String renamed = name("cluster");
            assertEquals(204, api.call("PUT", "/api/cluster-name", "{\"name\":\"" + renamed + "\"}").status());
            assertEquals(renamed, api.get("/api/cluster-name").object().get("name"));
            assertEquals(renamed, api.get("/api/overview").object().get("cluster_name"));
        } finally {
            api.call("PUT", "/api/cluster-name", "{\"name\":\"" + original + "\"}");
        }
    }

    @Test
    void extensionsIsAList() throws Exception {
        ManagementApi.Response r = api.get("/api/extensions");
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json() instanceof List, r::toString);
    }

    @Test
    @WarrenOnly // RabbitMQ's console registers its own dispatcher.js
    void extensionsIsEmptyWithoutPlugins() throws Exception {
        assertEquals("[]", api.get("/api/extensions").body());
    }

    @Test
    void queueSyncActionsAnswerNoContentForAnUnmirroredQueue() throws Exception {
        String q = queueName("http-sync");
        channel().queueDeclare(q, false, false, false, null);
        String path = "/api/queues/%2F/" + ManagementApi.encode(q) + "/actions";
        assertEquals(204, api.call("POST", path, "{\"action\":\"sync\"}").status());
        assertEquals(204, api.call("POST", path, "{\"action\":\"cancel_sync\"}").status());
        ManagementApi.Response unknown = api.call("POST", path, "{\"action\":\"foo\"}");
        assertEquals(400, unknown.status(), unknown::toString);
        assertEquals("{\"error\":\"bad_request\",\"reason\":[\"unknown\",\"foo\"]}", unknown.body());
        assertEquals(405, api.get(path).status());
        ManagementApi.Response refused = api.call("POST", path, "{\"action\":\"sync\"}", user("management"), "pw");
        assertEquals(401, refused.status(), refused::toString);
    }
}
