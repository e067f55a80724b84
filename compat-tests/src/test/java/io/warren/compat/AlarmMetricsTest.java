package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm families say what the broker does: {@code rabbitmq_alarms_free_disk_space_watermark}
 * is 1 while the disk alarm blocks publishers and 0 once it cleared, beside the limit and the
 * free space it compares. Warren-only: raising RabbitMQ's disk alarm needs its configuration.
 */
@WarrenOnly
class AlarmMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void diskAlarmFamiliesFollowTheAlarm() throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().ephemeral().dataDir(dataDir).metricsPort(0);
        config.diskFreeLimitBytes = Long.MAX_VALUE; // more than any disk has free
        try (Broker broker = BrokerUnderTest.startWarren(config)) {
            String base = "http://localhost:" + broker.metricsPort();
            PrometheusScrape raised = PrometheusScrape.get(base, "/metrics");
            assertEquals(1.0, raised.value("rabbitmq_alarms_free_disk_space_watermark").orElseThrow(), raised.text);
            assertEquals((double) Long.MAX_VALUE,
                    raised.value("rabbitmq_disk_space_available_limit_bytes").orElseThrow());
            assertTrue(raised.value("rabbitmq_disk_space_available_bytes").orElseThrow() > 0);

            broker.diskAlarm().setLimit(1);
            broker.diskAlarm().check();
            PrometheusScrape cleared = PrometheusScrape.get(base, "/metrics");
            assertEquals(0.0, cleared.value("rabbitmq_alarms_free_disk_space_watermark").orElseThrow(), cleared.text);
            assertEquals(1.0, cleared.value("rabbitmq_disk_space_available_limit_bytes").orElseThrow());
        }
    }
}
