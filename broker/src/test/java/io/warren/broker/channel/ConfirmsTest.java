package io.warren.broker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** What Confirms decides to tell (the frames themselves are covered by the compat tests). */
class ConfirmsTest {

    @Test
    void outstandingPublishHoldsBackLaterConfirmsUntilItIsOnDisk() {
        Confirms c = new Confirms();
        c.enable();
        long first = c.next();
        c.await(first, 16);
        c.next();
        c.next();
        assertFalse(c.hasWork(), "nothing may be acked past the publish still waiting for the disk");
        c.finished(first, true);
        assertEquals(true, c.hasWork());
    }

    @Test
    void disabledConfirmsNeverHaveWork() {
        Confirms c = new Confirms();
        c.next();
        assertFalse(c.hasWork());
    }
}
