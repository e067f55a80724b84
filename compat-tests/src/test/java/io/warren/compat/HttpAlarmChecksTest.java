package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alarm health checks and the node's alarm fields with an alarm in effect: a Warren whose
 * memory watermark is so low that the alarm is raised at once (RabbitMQ's equivalent would be a
 * node started with vm_memory_high_watermark near 0).
 */
@WarrenOnly
class HttpAlarmChecksTest {

    @Test
    void memoryAlarmFailsTheAlarmChecksWith503() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().httpPort(0);
        config.memoryHighWatermark = 1e-9;
        System.gc(); // the alarm reads the heap after a collection: make sure there was one
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            ManagementApi api = ManagementApi.at("http://localhost:" + broker.httpPort());
            long deadline = System.nanoTime() + CompatTest.TIMEOUT_SECONDS * 1_000_000_000L;
            ManagementApi.Response alarms = api.get("/api/health/checks/alarms");
            while (alarms.status() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                alarms = api.get("/api/health/checks/alarms");
            }
            assertEquals(503, alarms.status(), alarms::toString);
            Map<String, Object> body = alarms.object();
            assertEquals("failed", body.get("status"));
            assertEquals("There are alarms in effect in the cluster", body.get("reason"));
            assertEquals(List.of(Map.of("node", "warren@localhost", "resource", "memory")), body.get("alarms"));

            ManagementApi.Response local = api.get("/api/health/checks/local-alarms");
            assertEquals(503, local.status(), local::toString);
            assertEquals("There are alarms in effect on the node", local.object().get("reason"));
            assertEquals(true, api.get("/api/nodes").list().get(0).get("mem_alarm"));
        }
    }
}
