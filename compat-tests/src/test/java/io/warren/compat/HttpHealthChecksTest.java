package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's {@code /api/health/checks/*}: 200 and {"status":"ok"} when the check passes, 503
 * and {"status":"failed",..} when it does not, 400 for an argument it cannot read.
 */
class HttpHealthChecksTest extends CompatTest {

    private ManagementApi api;

    @BeforeEach
    void api() {
        api = ManagementApi.underTest();
    }

    private ManagementApi.Response check(String path) throws Exception {
        return api.get("/api/health/checks/" + path);
    }

    private static String error(String reason) {
        return "{\"error\":\"bad_request\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void alarmChecksPassWithoutAlarms() throws Exception {
        for (String path : List.of("alarms", "local-alarms", "virtual-hosts")) {
            ManagementApi.Response r = check(path);
            assertEquals(200, r.status(), path + ": " + r);
            assertEquals("{\"status\":\"ok\"}", r.body(), path);
        }
    }

    @Test
    void singleNodeIsNeverQuorumOrMirrorCritical() throws Exception {
        for (String path : List.of("node-is-quorum-critical", "node-is-mirror-sync-critical")) {
            ManagementApi.Response r = check(path);
            assertEquals(200, r.status(), path + ": " + r);
            assertEquals(Map.of("status", "ok", "reason", "single node cluster"), r.object(), path);
        }
    }

    @Test
    void portListenerPassesForTheAmqpPortOnly() throws Exception {
        int port = BrokerUnderTest.port();
        ManagementApi.Response ok = check("port-listener/" + port);
        assertEquals(200, ok.status(), ok::toString);
        assertEquals("{\"status\":\"ok\",\"port\":" + port + "}", ok.body());

        ManagementApi.Response missing = check("port-listener/1");
        assertEquals(503, missing.status(), missing::toString);
        Map<String, Object> body = missing.object();
        assertEquals("failed", body.get("status"));
        assertEquals("No active listener", body.get("reason"));
        assertEquals(1L, body.get("missing"));
        assertTrue(((List<?>) body.get("ports")).contains((long) port), missing::toString);

        ManagementApi.Response bad = check("port-listener/abc");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals(error("Invalid port"), bad.body());
    }

    @Test
    void protocolListenerKnowsAmqpByItsAliases() throws Exception {
        for (String alias : List.of("amqp", "amqp091", "amqp0-9-1")) {
            ManagementApi.Response r = check("protocol-listener/" + alias);
            assertEquals(200, r.status(), alias + ": " + r);
            assertEquals("{\"status\":\"ok\",\"protocol\":\"amqp\"}", r.body(), alias);
        }
        ManagementApi.Response mqtt = check("protocol-listener/mqtt");
        assertEquals(503, mqtt.status(), mqtt::toString);
        assertEquals("mqtt", mqtt.object().get("missing"));
        assertTrue(((List<?>) mqtt.object().get("protocols")).contains("amqp"), mqtt::toString);
    }

    @Test
    void certificateExpirationChecksItsArguments() throws Exception {
        ManagementApi.Response ok = check("certificate-expiration/1/months");
        assertEquals(200, ok.status(), ok::toString); // no TLS listener here
        assertEquals("{\"status\":\"ok\"}", ok.body());
        ManagementApi.Response unit = check("certificate-expiration/1/fortnights");
        assertEquals(400, unit.status(), unit::toString);
        assertEquals(error("Time unit not recognised. Supported units: days, weeks, months, years."), unit.body());
        ManagementApi.Response value = check("certificate-expiration/soon/days");
        assertEquals(400, value.status(), value::toString);
        assertEquals(error("Invalid expiration value."), value.body());
    }

    @Test
    void unknownCheckIsNotFound() throws Exception {
        ManagementApi.Response r = check("no-such-check");
        assertEquals(404, r.status(), r::toString);
        assertEquals("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}", r.body());
    }
}
