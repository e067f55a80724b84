package io.warren.amqp;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check can fail: a buffer dropped unreleased is reported. */
class LeakDetectionSelfTest {
    @Test
    void aDroppedBufferIsReported() throws InterruptedException {
        assertTrue(LeakDetectionListener.collectLeaks().isEmpty(), "clean before");
        dropABuffer();
        List<String> leaks = LeakDetectionListener.collectLeaks();
        assertFalse(leaks.isEmpty(), "the dropped buffer was not reported");
        assertTrue(leaks.get(0).contains("aDroppedBufferIsReported") || leaks.get(0).contains("dropABuffer"),
                leaks.get(0));
    }

    private static void dropABuffer() {
        ByteBufAllocator.DEFAULT.buffer(16).writeInt(1);
    }
}
