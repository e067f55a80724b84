package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies and operator policies set through the HTTP API change what existing and new queues
 * and exchanges do, by RabbitMQ's rules: the highest-priority matching policy applies, the
 * lowest of policy, operator policy and argument wins for limits, the argument wins for the rest.
 * Runs against Warren and RabbitMQ alike (RabbitMQ applies policies and updates its views a
 * moment later: everything is polled).
 */
class PolicyTest extends CompatTest {

    private ManagementApi api;
    private final List<String> policies = new ArrayList<>();
    private final List<String> operatorPolicies = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = ManagementApi.underTest();
    }

    @AfterEach
    void clearPolicies() throws Exception {
        for (String p : policies) {
            api.call("DELETE", "/api/policies/%2F/" + p, null);
        }
        for (String p : operatorPolicies) {
            api.call("DELETE", "/api/operator-policies/%2F/" + p, null);
        }
    }

    private void policy(String name, String body) throws Exception {
        ManagementApi.Response r = api.call("PUT", "/api/policies/%2F/" + name, body);
        assertEquals(201, r.status(), r::toString);
        policies.add(name);
    }

    private void operatorPolicy(String name, String body) throws Exception {
        ManagementApi.Response r = api.call("PUT", "/api/operator-policies/%2F/" + name, body);
        assertEquals(201, r.status(), r::toString);
        operatorPolicies.add(name);
    }

    /** A policy for exactly one object. */
    private static String only(String name, String applyTo, int priority, String definition) {
        return "{\"pattern\":\"^" + name.replace(".", "\\\\.").replace("-", "\\\\-") + "$\",\"apply-to\":\"" + applyTo
                + "\",\"priority\":" + priority + ",\"definition\":" + definition + "}";
    }

    private Map<String, Object> queueView(String queue) throws Exception {
        return api.get("/api/queues/%2F/" + queue).object();
    }

    /** RabbitMQ fixes a message's expiry when it arrives: the policy's TTL is for later messages. */
    @Test
    void messageTtlPolicyExpiresMessagesThatArriveInAnExistingQueue() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-ttl");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "before");

        policy(q, only(q, "queues", 0, "{\"message-ttl\":100}"));
        eventually("the queue shows its policy", () -> q.equals(queueView(q).get("policy")));
        assertEquals(Map.of("message-ttl", 100L), queueView(q).get("effective_policy_definition"));
        publishConfirmed(ch, "", q, "after-1", "after-2");
        // classic queues expire at the head: take "before" out of the way (unacked)
        var before = get(ch, q, false);
        assertEquals("before", text(before.getBody()));

        eventually("the messages that came after the policy expired", () -> messageCount(q) == 0);
        ch.basicNack(before.getEnvelope().getDeliveryTag(), false, true);
        // older than the TTL by now, and requeued: it still has no TTL of its own
        assertEquals(List.of("before"), drain(ch, q));
    }

    @Test
    void maxLengthPolicyDropsTheOldestAndStopsWhenCleared() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-maxlen");
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "m1", "m2", "m3", "m4", "m5");

        policy(q, only(q, "queues", 0, "{\"max-length\":2}"));
        eventually("the queue was cut to the policy's max-length", () -> messageCount(q) == 2);
        assertEquals(List.of("m4", "m5"), drain(ch, q));

        assertEquals(204, api.call("DELETE", "/api/policies/%2F/" + q, null).status());
        policies.remove(q);
        eventually("the queue shows no policy", () -> queueView(q).get("policy") == null);
        publishConfirmed(ch, "", q, "a", "b", "c");
        assertEquals(3, messageCount(q));
    }

    @Test
    void deadLetterExchangePolicyRoutesRejectedMessages() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-dlx");
        String dlx = exchangeName("pol-dlx");
        String dead = queueName("pol-dead");
        ch.exchangeDeclare(dlx, "fanout");
        ch.queueDeclare(dead, false, false, false, null);
        ch.queueBind(dead, dlx, "");
        ch.queueDeclare(q, false, false, false, null);
        policy(q, only(q, "queues", 0, "{\"dead-letter-exchange\":\"" + dlx + "\"}"));
        eventually("the queue shows its policy", () -> q.equals(queueView(q).get("policy")));

        publishConfirmed(ch, "", q, "doomed");
        var got = get(ch, q, false);
        ch.basicReject(got.getEnvelope().getDeliveryTag(), false);

        eventually("the rejected message reached the policy's dead-letter exchange", () -> messageCount(dead) == 1);
        assertEquals("doomed", text(get(ch, dead, true).getBody()));
    }

    @Test
    void alternateExchangePolicyTakesWhatAnExchangeCannotRoute() throws Exception {
        Channel ch = channel();
        String x = exchangeName("pol-x");
        String ae = exchangeName("pol-ae");
        String caught = queueName("pol-caught");
        ch.exchangeDeclare(x, "direct");
        ch.exchangeDeclare(ae, "fanout");
        ch.queueDeclare(caught, false, false, false, null);
        ch.queueBind(caught, ae, "");

        policy(x, only(x, "exchanges", 0, "{\"alternate-exchange\":\"" + ae + "\"}"));
        eventually("the exchange shows its policy", () -> x.equals(api.get("/api/exchanges/%2F/" + x).object()
                .get("policy")));
        publishConfirmed(ch, x, "nobody-listens", "stray");

        eventually("the unroutable message went to the policy's alternate exchange", () -> messageCount(caught) == 1);
    }

    @Test
    void lowestOfPolicyOperatorPolicyAndArgumentWinsForLimits() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-lowest");
        ch.queueDeclare(q, false, false, false, Map.of("x-max-length", 4));
        policy(q, only(q, "queues", 0, "{\"max-length\":10,\"message-ttl\":600000}"));
        operatorPolicy(q, only(q, "queues", 0, "{\"max-length\":2}"));

        eventually("the queue shows both policies", () -> {
            Map<String, Object> v = queueView(q);
            return q.equals(v.get("policy")) && q.equals(v.get("operator_policy"));
        });
        assertEquals(Map.of("max-length", 2L, "message-ttl", 600000L), queueView(q).get("effective_policy_definition"));
        publishConfirmed(ch, "", q, "1", "2", "3", "4", "5");
        assertEquals(List.of("4", "5"), drain(ch, q));
    }

    @Test
    void argumentWinsOverPolicyForOverflowAndTheHighestPriorityPolicyApplies() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-prio");
        ch.queueDeclare(q, false, false, false, Map.of("x-overflow", "reject-publish"));
        policy(q + "-low", "{\"pattern\":\"^" + q + "$\",\"priority\":1,\"definition\":{\"max-length\":100}}");
        policy(q + "-high", "{\"pattern\":\"^" + q + "$\",\"priority\":7,"
                + "\"definition\":{\"max-length\":1,\"overflow\":\"drop-head\"}}");

        eventually("the higher-priority policy applies", () -> (q + "-high").equals(queueView(q).get("policy")));
        ch.confirmSelect();
        ch.basicPublish("", q, null, bytes("kept"));
        ch.basicPublish("", q, null, bytes("refused"));
        ch.waitForConfirms(TIMEOUT_SECONDS * 1000L);
        // x-overflow reject-publish (the argument) beats the policy's drop-head: the first stays
        assertEquals(List.of("kept"), drain(ch, q));
    }

    @Test
    void deliveryLimitPolicyDropsAPoisonMessageOfAQuorumQueue() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-poison");
        ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
        policy(q, only(q, "queues", 0, "{\"delivery-limit\":1}"));
        eventually("the queue shows its policy", () -> q.equals(queueView(q).get("policy")));
        publishConfirmed(ch, "", q, "poison");

        ch.basicNack(get(ch, q, false).getEnvelope().getDeliveryTag(), false, true); // returned once: kept
        ch.basicNack(get(ch, q, false).getEnvelope().getDeliveryTag(), false, true); // twice: over the limit

        eventually("the message returned more often than the policy's delivery-limit is gone",
                () -> messageCount(q) == 0);
        assertNull(ch.basicGet(q, true));
    }

    @Test
    void expiresPolicyDeletesAnUnusedExistingQueue() throws Exception {
        Channel ch = channel();
        String q = queueName("pol-expires");
        ch.queueDeclare(q, false, false, false, null);

        policy(q, only(q, "queues", 0, "{\"expires\":300}"));

        // looked at over HTTP: a passive declare would count as a use and restart the clock
        eventually("the queue expired under the policy",
                () -> api.get("/api/queues/%2F/" + q).status() == 404);
    }

    @Test
    void policyAppliesToQueuesDeclaredAfterIt() throws Exception {
        String q = queueName("pol-later");
        policy(q, only(q, "queues", 0, "{\"max-length\":1}"));
        Channel ch = channel();
        ch.queueDeclare(q, false, false, false, null);
        publishConfirmed(ch, "", q, "a", "b");
        assertEquals(List.of("b"), drain(ch, q));
    }

    @Test
    void definitionsRabbitMqRefusesAreRefusedWithItsReasons() throws Exception {
        String p = name("pol-bad");
        assertRefused("/api/policies/%2F/" + p, "{\"pattern\":\"x\",\"definition\":{\"max-priority\":5}}",
                "Validation failed\n\n[{&lt;&lt;\"max-priority\"&gt;&gt;,5}] are not recognised policy settings\n");
        assertRefused("/api/policies/%2F/" + p, "{\"pattern\":\"x\",\"definition\":{\"message-ttl\":\"x\"}}",
                "Validation failed\n\n&lt;&lt;\"x\"&gt;&gt; is not a valid message TTL\n");
        assertRefused("/api/policies/%2F/" + p, "{\"pattern\":\"x\",\"definition\":{\"expires\":0}}",
                "Validation failed\n\n0 is not a valid queue expiry\n");
        assertRefused("/api/policies/%2F/" + p, "{\"pattern\":\"x\",\"definition\":{}}",
                "Validation failed\n\nno policy provided\n");
        assertRefused("/api/policies/%2F/" + p, "{\"definition\":{\"max-length\":1}}", "[{key_missing,pattern}]");
        assertRefused("/api/operator-policies/%2F/" + p,
                "{\"pattern\":\"x\",\"definition\":{\"dead-letter-exchange\":\"x\"}}",
                "Validation failed\n\n[{<<\"dead-letter-exchange\">>,<<\"x\">>}] are not recognised policy settings\n");
        assertEquals(404, api.get("/api/policies/%2F/" + p).status());
        assertEquals(404, api.call("PUT", "/api/policies/no-such-vhost-" + p + "/x",
                "{\"pattern\":\"x\",\"definition\":{\"max-length\":1}}").status());
    }

    private void assertRefused(String path, String body, String reason) throws Exception {
        ManagementApi.Response r = api.call("PUT", path, body);
        assertEquals(400, r.status(), r::toString);
        assertEquals(reason, r.object().get("reason"));
    }

    @Test
    void policiesAreListedAsPutAndOperatorPoliciesAreParameters() throws Exception {
        String p = name("pol-list");
        policy(p, "{\"pattern\":\"^" + p + "\",\"definition\":{\"message-ttl\":5,\"max-length\":3},\"priority\":2,"
                + "\"apply-to\":\"queues\"}");
        operatorPolicy(p, "{\"pattern\":\"^" + p + "\",\"definition\":{\"max-length\":3},\"apply-to\":\"queues\"}");

        assertEquals(Map.of("vhost", "/", "name", p, "pattern", "^" + p, "apply-to", "queues",
                "definition", Map.of("max-length", 3L, "message-ttl", 5L), "priority", 2L),
                api.get("/api/policies/%2F/" + p).object());
        assertTrue(api.get("/api/policies/%2F").list().stream().anyMatch(m -> p.equals(m.get("name"))));
        assertTrue(api.get("/api/policies").list().stream().anyMatch(m -> p.equals(m.get("name"))));
        Map<String, Object> parameter = api.get("/api/parameters/operator_policy/%2F/" + p).object();
        assertEquals("operator_policy", parameter.get("component"));
        assertEquals(Map.of("pattern", "^" + p, "definition", Map.of("max-length", 3L), "priority", 0L,
                "apply-to", "queues"), parameter.get("value"));
        assertTrue(api.get("/api/parameters").list().stream().anyMatch(m -> p.equals(m.get("name"))));
        assertTrue(api.get("/api/parameters").list().stream().noneMatch(m -> "policy".equals(m.get("component"))));
        ManagementApi.Response shovel = api.call("PUT", "/api/parameters/shovel/%2F/" + p, "{\"value\":{}}");
        assertEquals(400, shovel.status());
        assertEquals("Validation failed\n\ncomponent shovel not found\n", shovel.object().get("reason"));
        assertNull(api.get("/api/policies/%2F/" + p).object().get("operator"));
    }

    @Test
    void vhostLimitsAreAParameterToo() throws Exception {
        String v = name("limits-vh");
        assertEquals(201, api.call("PUT", "/api/vhosts/" + v, "{}").status());
        try {
            assertEquals(204, api.call("PUT", "/api/vhost-limits/" + v + "/max-queues", "{\"value\":9}").status());
            assertEquals(Map.of("value", Map.of("max-queues", 9L), "vhost", v, "component", "vhost-limits",
                    "name", "limits"), api.get("/api/parameters/vhost-limits/" + v + "/limits").object());
            assertTrue(api.get("/api/parameters").list().stream().anyMatch(m -> v.equals(m.get("vhost"))));

            // the parameter is all of the limits: those it leaves out are cleared
            assertEquals(204, api.call("PUT", "/api/parameters/vhost-limits/" + v + "/limits",
                    "{\"value\":{\"max-connections\":7}}").status());
            assertEquals(List.of(Map.of("vhost", v, "value", Map.of("max-connections", 7L))),
                    api.get("/api/vhost-limits/" + v).list());
            ManagementApi.Response bad = api.call("PUT", "/api/parameters/vhost-limits/" + v + "/limits",
                    "{\"value\":{\"max-foo\":7}}");
            assertEquals(400, bad.status());
            assertEquals("Validation failed\n\nUnrecognised terms [{&lt;&lt;\"max-foo\"&gt;&gt;,7}] in limits\n",
                    bad.object().get("reason"));

            assertEquals(204, api.call("DELETE", "/api/parameters/vhost-limits/" + v + "/limits", null).status());
            assertEquals(List.of(), api.get("/api/vhost-limits/" + v).list());
        } finally {
            api.call("DELETE", "/api/vhosts/" + v, null);
        }
    }

    @Test
    void managementUsersListPoliciesButOnlyPolicymakersReadAndSetThem() throws Exception {
        String p = name("pol-auth");
        String viewer = name("pol-viewer");
        String maker = name("pol-maker");
        policy(p, "{\"pattern\":\"^" + p + "$\",\"definition\":{\"max-length\":1}}");
        try {
            for (String[] user : new String[][] {{viewer, "management"}, {maker, "policymaker"}}) {
                assertEquals(201, api.call("PUT", "/api/users/" + user[0],
                        "{\"password\":\"pw\",\"tags\":\"" + user[1] + "\"}").status());
                assertEquals(201, api.call("PUT", "/api/permissions/%2F/" + user[0],
                        "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").status());
            }
            String body = "{\"pattern\":\"^" + p + "$\",\"definition\":{\"max-length\":2}}";
            assertTrue(api.call("GET", "/api/policies/%2F", null, viewer, "pw").body().contains(p));
            assertEquals(401, api.call("GET", "/api/policies/%2F/" + p, null, viewer, "pw").status());
            assertEquals(200, api.call("GET", "/api/policies/%2F/" + p, null, maker, "pw").status());
            ManagementApi.Response refused = api.call("PUT", "/api/policies/%2F/" + p, body, viewer, "pw");
            assertEquals(401, refused.status());
            assertEquals("User not authorised to access object", refused.object().get("reason"));
            assertEquals(204, api.call("PUT", "/api/policies/%2F/" + p, body, maker, "pw").status());
            ManagementApi.Response operator = api.call("PUT", "/api/operator-policies/%2F/" + p, body, maker, "pw");
            assertEquals(401, operator.status());
            assertEquals("Not administrator user", operator.object().get("reason"));
        } finally {
            api.call("DELETE", "/api/users/" + viewer, null);
            api.call("DELETE", "/api/users/" + maker, null);
        }
    }

    @Test
    void globalParametersHoldAnyValue() throws Exception {
        String g = name("global");
        try {
            assertEquals(201, api.call("PUT", "/api/global-parameters/" + g, "{\"value\":{\"a\":[1,\"b\"]}}").status());
            assertEquals(Map.of("name", g, "value", Map.of("a", List.of(1L, "b"))),
                    api.get("/api/global-parameters/" + g).object());
            assertEquals(204, api.call("PUT", "/api/global-parameters/" + g, "{\"value\":\"x\"}").status());
            assertEquals(400, api.call("PUT", "/api/global-parameters/" + g, "{\"valu\":1}").status());
            assertTrue(api.get("/api/global-parameters").list().stream()
                    .anyMatch(m -> g.equals(m.get("name")) && "x".equals(m.get("value"))));
        } finally {
            assertEquals(204, api.call("DELETE", "/api/global-parameters/" + g, null).status());
        }
        assertEquals(404, api.get("/api/global-parameters/" + g).status());
    }
}
