package io.warren.broker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a policy may say, and how it combines with an operator policy and a queue's arguments. */
class PolicyRulesTest {

    private static Map<String, Object> body(Object pattern, Map<String, Object> definition) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("pattern", pattern);
        b.put("definition", definition);
        return b;
    }

    private static String refusal(Map<String, Object> body, boolean operator) {
        return assertThrows(PolicyException.class, () -> PolicyRules.parse("/", "p", body, operator)).getMessage();
    }

    @Test
    void keysWarrenCannotApplyAreRefusedAsRabbitMqRefusesUnknownOnes() {
        Map<String, Object> unknown = new LinkedHashMap<>();
        unknown.put("max-priority", 5L);
        unknown.put("ha-mode", "all");
        assertEquals("Validation failed\n\n[{<<\"max-priority\">>,5},{<<\"ha-mode\">>,<<\"all\">>}] are not"
                + " recognised policy settings\n", refusal(body("x", unknown), false));
        assertEquals("Validation failed\n\n[{<<\"overflow\">>,<<\"drop-head\">>}] are not recognised policy settings\n",
                refusal(body("x", Map.of("overflow", "drop-head")), true));
    }

    @Test
    void valuesAreCheckedAsRabbitMqChecksThem() {
        assertEquals("Validation failed\n\n-1 is not a valid maximum length\n",
                refusal(body("x", Map.of("max-length", -1L)), false));
        assertEquals("Validation failed\n\n1.5 is not a valid maximum length in bytes\n",
                refusal(body("x", Map.of("max-length-bytes", 1.5)), false));
        assertEquals("Validation failed\n\n<<\"lazy-ish\">> is not a valid queue-mode value\n",
                refusal(body("x", Map.of("queue-mode", "lazy-ish")), false));
        assertEquals("Validation failed\n\n5 is not a valid alternate exchange name\n",
                refusal(body("x", Map.of("alternate-exchange", 5L)), false));
        assertEquals("[{key_missing,pattern},{key_missing,definition}]", refusal(Map.of(), false));
        Map<String, Object> badApply = body("x", Map.of("max-length", 1L));
        badApply.put("apply-to", "queue");
        assertEquals("Validation failed\n\napply-to 'queue' unrecognised; should be one of: 'queues', 'classic_queues',"
                + " 'quorum_queues', 'streams', 'exchanges', or 'all'\n", refusal(badApply, false));
    }

    @Test
    void lowestLimitWinsAndArgumentsWinTheRest() {
        Policy policy = PolicyRules.parse("/", "p", body("q", Map.of("max-length", 10L, "message-ttl", 100L,
                "dead-letter-exchange", "from-policy", "overflow", "drop-head")), false);
        Policy operator = PolicyRules.parse("/", "o", body("q", Map.of("max-length", 5L, "expires", 9000L)), true);

        Map<String, Object> def = EffectivePolicy.definition(policy, operator);
        assertEquals(List.of("dead-letter-exchange", "expires", "max-length", "message-ttl", "overflow"),
                List.copyOf(def.keySet()));
        assertEquals(5L, def.get("max-length"));

        Map<String, Object> args = EffectivePolicy.queueArguments(Map.of("x-max-length", 7, "x-message-ttl", 50,
                "x-dead-letter-exchange", "from-argument", "x-overflow", "reject-publish"), def);
        assertEquals(5L, args.get("x-max-length"));
        assertEquals(50, args.get("x-message-ttl"));
        assertEquals(9000L, args.get("x-expires"));
        assertEquals("from-argument", args.get("x-dead-letter-exchange"));
        assertEquals("reject-publish", args.get("x-overflow"));
    }
}
