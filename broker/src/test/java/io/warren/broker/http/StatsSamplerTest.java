package io.warren.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;

/** Rates are the change of a counter between two samples over the time between them. */
class StatsSamplerTest {

    @Test
    void aRateIsTheChangeBetweenTwoSamplesOverTheirInterval() throws Exception {
        try (Broker broker = Broker.start(BrokerConfig.builder().ephemeral().amqpPort(-1).build())) {
            ApiContext context = broker.apiContext();
            StatsSampler sampler = new StatsSampler(context);
            sampler.sample();
            long before = System.nanoTime();
            Thread.sleep(200);
            context.counters().received.add(1000);
            sampler.sample();
            double seconds = (System.nanoTime() - before) / 1e9;
            double rate = sampler.last().rate(MessageStat.PUBLISH);
            // 1000 over a little more than 0.2 s: between 1000/seconds-at-most and 5000
            assertTrue(rate > 1000 / (seconds + 0.5) && rate <= 5000.0, "rate " + rate);
            assertEquals(0.0, sampler.last().rate(MessageStat.ACK));

            sampler.sample(); // nothing happened since: the rate falls back to 0
            assertEquals(0.0, sampler.last().rate(MessageStat.PUBLISH));
        }
    }
}
