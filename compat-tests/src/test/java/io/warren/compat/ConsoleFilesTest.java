package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console's files on the HTTP API's port (ConsoleHandler): the page at /, its scripts,
 * uPlot from its WebJar, revalidation by ETag; nothing else outside /api, which answers as before.
 */
@WarrenOnly
class ConsoleFilesTest {

    private static Broker broker;
    private static ManagementApi api;

    @BeforeAll
    static void start() {
        broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().httpPort(0));
        api = ManagementApi.at("http://localhost:" + broker.httpPort());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void consoleFilesAreServedBesideTheApi() throws Exception {
        ManagementApi.Response page = api.call("GET", "/", null, null, null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("/console/main.js"), page.body());
        ManagementApi.Response uplot = api.call("GET", "/console/uplot/uPlot.iife.min.js", null, null, null);
        assertEquals(200, uplot.status());
        assertTrue(uplot.body().contains("uPlot"));
        assertEquals("text/javascript; charset=utf-8", uplot.headers().firstValue("content-type").orElse(""));
        String etag = uplot.headers().firstValue("etag").orElseThrow();
        ManagementApi.Response again = api.call("GET", "/console/uplot/uPlot.iife.min.js", null,
                Map.of("If-None-Match", etag));
        assertEquals(304, again.status(), "a browser's revalidation downloads the file again");
        assertEquals("", again.body());
        assertEquals(404, api.call("GET", "/console/../pom.xml", null, null, null).status());
        assertEquals(404, api.call("GET", "/console/missing.js", null, null, null).status());
        assertEquals(405, api.call("POST", "/", "{}", null, null).status());
        // the API as before: credentials required, unknown paths 404
        assertEquals(401, api.call("GET", "/api/overview", null, null, null).status());
        assertEquals(404, api.get("/api/no-such-thing").status());
    }
}
