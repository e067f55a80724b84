package io.warren.broker.channel;

import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Delivery.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Acks, nacks and rejects inside a transaction (tx.select): held until tx.commit settles them in
 * order, or tx.rollback makes their deliveries unacked again. Holding them costs no memory beyond
 * the deliveries' own: each was outstanding (unacked) before, and is one reference here.
 *
 * <p>Concurrency: connection loop only.
 */
final class TxSettlements {

    private List<Delivery> settled = new ArrayList<>();

    /** Acks and rejects held for the next commit. */
    int size() {
        return settled.size();
    }

    void add(Delivery d, Settlement how) {
        d.settlement(how);
        settled.add(d);
    }

    /** tx.commit: hands every held settlement to {@code finish}, in the order they came. */
    void commit(BiConsumer<Delivery, Settlement> finish) {
        List<Delivery> now = settled;
        settled = new ArrayList<>();
        for (Delivery d : now) {
            finish.accept(d, d.settlement());
        }
    }

    /** Acks inside a rolled-back transaction never happened: the deliveries are unacked again, in tag order. */
    void rollback(UnackedDeliveries unacked) {
        List<Delivery> now = settled;
        settled = new ArrayList<>();
        now.sort((a, b) -> Long.compare(a.deliveryTag(), b.deliveryTag()));
        List<Delivery> keep = new ArrayList<>();
        unacked.removeAll(keep::add);
        int i = 0;
        int j = 0;
        while (i < now.size() || j < keep.size()) {
            boolean takeSettled = j == keep.size()
                    || (i < now.size() && now.get(i).deliveryTag() < keep.get(j).deliveryTag());
            unacked.add(takeSettled ? now.get(i++) : keep.get(j++));
        }
    }
}
