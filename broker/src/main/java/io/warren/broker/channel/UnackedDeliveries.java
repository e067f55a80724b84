package io.warren.broker.channel;

import io.warren.broker.queue.Delivery;
import java.util.function.Consumer;

/**
 * A channel's deliveries awaiting ack, by delivery tag.
 *
 * <p>Tags are handed out 1, 2, 3... and mostly acked in order, so this is a growable ring indexed
 * by {@code tag - headTag}: adding is O(1), acking the oldest is O(1), a single ack out of order
 * is O(1) (it leaves a hole the head skips later), and a multiple ack walks only what it removes.
 * No per-entry node, no boxing.
 *
 * <p>Concurrency: connection loop only.
 */
final class UnackedDeliveries {

    private Delivery[] ring = new Delivery[64];
    /** Tag of the slot at {@code head}. */
    private long headTag = 1;
    private int head;
    /** Slots from head up to the newest tag (holes included). */
    private int span;
    private int count;

    /** Adds a delivery whose tag is the next one after every tag added before. */
    void add(Delivery d) {
        long tag = d.deliveryTag();
        if (span == 0) {
            headTag = tag;
        }
        int needed = (int) (tag - headTag) + 1;
        while (needed > ring.length) {
            grow();
        }
        ring[(head + needed - 1) & (ring.length - 1)] = d;
        span = needed;
        count++;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Removes and answers the delivery with this tag, or null when it is not outstanding. */
    Delivery remove(long tag) {
        if (tag < headTag || tag >= headTag + span) {
            return null;
        }
        int slot = (head + (int) (tag - headTag)) & (ring.length - 1);
        Delivery d = ring[slot];
        if (d != null) {
            ring[slot] = null;
            count--;
            trimHead();
        }
        return d;
    }

    /** Whether {@code tag} is outstanding. */
    boolean contains(long tag) {
        if (tag < headTag || tag >= headTag + span) {
            return false;
        }
        return ring[(head + (int) (tag - headTag)) & (ring.length - 1)] != null;
    }

    /** Removes every delivery with a tag up to and including {@code tag}, oldest first. */
    int removeUpTo(long tag, Consumer<Delivery> sink) {
        int removed = 0;
        while (span > 0 && headTag <= tag) {
            Delivery d = ring[head];
            if (d != null) {
                ring[head] = null;
                count--;
                removed++;
                sink.accept(d);
            }
            head = (head + 1) & (ring.length - 1);
            headTag++;
            span--;
        }
        trimHead();
        return removed;
    }

    /** Removes everything, oldest first. */
    int removeAll(Consumer<Delivery> sink) {
        return removeUpTo(Long.MAX_VALUE, sink);
    }

    /** Visits every outstanding delivery, oldest first, without removing. */
    void forEach(Consumer<Delivery> visitor) {
        for (int i = 0; i < span; i++) {
            Delivery d = ring[(head + i) & (ring.length - 1)];
            if (d != null) {
                visitor.accept(d);
            }
        }
    }

    private void trimHead() {
        while (span > 0 && ring[head] == null) {
            head = (head + 1) & (ring.length - 1);
            headTag++;
            span--;
        }
        if (span == 0) {
            head = 0;
        }
    }

    private void grow() {
        Delivery[] bigger = new Delivery[ring.length * 2];
        for (int i = 0; i < span; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
