package io.warren.broker.channel;

import io.warren.broker.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The publishes of a channel's open transaction (tx.select), held until tx.commit routes them
 * or tx.rollback (or the channel's close) drops them.
 *
 * <p>Concurrency: connection loop only.
 */
final class Transaction {

    /** One held publish and what routing it needs at commit. */
    record Pending(Message message, boolean mandatory, List<String> extraKeys) {}

    private List<Pending> publishes = new ArrayList<>();

    /** Takes over the caller's reference to {@code message}. */
    void add(Message message, boolean mandatory, List<String> extraKeys) {
        publishes.add(new Pending(message, mandatory, extraKeys));
    }

    /** tx.commit: the held publishes, in order (the caller releases each); a new transaction starts. */
    List<Pending> take() {
        List<Pending> taken = publishes;
        publishes = new ArrayList<>();
        return taken;
    }

    /** tx.rollback or close: the held publishes are dropped. */
    void discard() {
        for (Pending p : take()) {
            p.message().release();
        }
    }
}
