package io.warren.broker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A message is judged by the TTL in effect when it arrived, as RabbitMQ stamps it at arrival. */
class MessageTtlsTest {

    @Test
    void eachMessageHasTheTtlOfItsArrival() {
        MessageTtls ttls = MessageTtls.of(-1).changed(100, 1_000, false).changed(50, 2_000, false);

        assertEquals(-1, ttls.at(999));
        assertEquals(100, ttls.at(1_000));
        assertEquals(100, ttls.at(1_999));
        assertEquals(50, ttls.at(2_000));
        assertTrue(ttls.any());
    }

    @Test
    void aChangeFindingTheQueueEmptyStartsAgain() {
        MessageTtls ttls = MessageTtls.of(100).changed(-1, 1_000, true);

        assertEquals(-1, ttls.at(0));
        assertFalse(ttls.any());
        assertSame(ttls, ttls.changed(-1, 5_000, false));
    }

    @Test
    void onlyTheLastChangesAreKept() {
        MessageTtls ttls = MessageTtls.of(0);
        for (int i = 1; i <= 200; i++) {
            ttls = ttls.changed(i, i * 10L, false);
        }
        assertEquals(MessageTtls.MAX_CHANGES, ttls.since().length);
        assertEquals(200, ttls.at(2_000));
        assertEquals(137, ttls.at(0)); // older than what is kept: the oldest kept
    }
}
