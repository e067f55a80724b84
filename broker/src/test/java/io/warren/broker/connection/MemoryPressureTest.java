package io.warren.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.broker.queue.MemoryPressure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPressureTest {

    private double heap;
    private double direct;
    private final MemoryPressure pressure = new MemoryPressure();
    private final List<Boolean> alarms = new ArrayList<>();
    private final MemoryAlarm alarm = new MemoryAlarm(0.6, pressure, alarms::add, () -> heap, () -> direct);

    @Test
    void pressureRisesAtHalfTheWatermarkOfHeapAndTheAlarmAtTheWatermark() {
        heap = 0.29;
        alarm.check();
        assertFalse(pressure.high());
        heap = 0.31;
        alarm.check();
        assertTrue(pressure.high(), "above half of 0.6");
        assertFalse(alarm.raised());
        heap = 0.61;
        alarm.check();
        assertTrue(alarm.raised());
        assertEquals(List.of(true), alarms);
        heap = 0.1;
        alarm.check();
        assertFalse(pressure.high());
        assertFalse(alarm.raised());
    }

    @Test
    void directMemoryRaisesPressureButNeverTheAlarm() {
        direct = 0.95;
        alarm.check();
        assertTrue(pressure.high(), "read buffers pinned by kept messages: page them out");
        assertFalse(alarm.raised(), "publishers are only blocked on live heap");
        assertTrue(alarms.isEmpty());
        direct = 0.2;
        alarm.check();
        assertFalse(pressure.high());
    }
}
