package io.warren.broker.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * A queue's consumers, picked round-robin among those that can take a message now, highest
 * x-priority first (RabbitMQ's consumer priorities: lower-priority consumers get messages only
 * while every higher-priority one is blocked by its prefetch or its socket).
 *
 * <p>With x-single-active-consumer only the first registered consumer receives; when it goes,
 * the next in line takes over.
 *
 * <p>Kept sorted by priority (descending; stable, so arrival order within a priority); each
 * priority band has its own round-robin cursor. With no priorities in use there is one band and
 * this is plain round-robin.
 *
 * <p>Concurrency: owned by the queue's loop; not thread-safe.
 */
final class ConsumerList {

    private final List<Consumer> consumers = new ArrayList<>();
    /** x-single-active-consumer: only the longest-registered consumer receives. */
    private final boolean singleActive;
    /** Round-robin position, an index into {@link #consumers}, per band (a band is a run of equal priority). */
    private int cursor;

    ConsumerList(boolean singleActive) {
        this.singleActive = singleActive;
    }

    void add(Consumer consumer) {
        if (singleActive) {
            consumers.add(consumer);
            return;
        }
        int i = 0;
        while (i < consumers.size() && consumers.get(i).priority() >= consumer.priority()) {
            i++;
        }
        consumers.add(i, consumer);
        if (i < cursor) {
            cursor++;
        }
    }

    boolean remove(Consumer consumer) {
        int i = consumers.indexOf(consumer);
        if (i < 0) {
            return false;
        }
        consumers.remove(i);
        if (i < cursor) {
            cursor--;
        }
        if (cursor >= consumers.size()) {
            cursor = 0;
        }
        return true;
    }

    int size() {
        return consumers.size();
    }

    boolean isEmpty() {
        return consumers.isEmpty();
    }

    List<Consumer> snapshot() {
        return List.copyOf(consumers);
    }

    Consumer find(String tag, ConsumerSink sink) {
        for (Consumer c : consumers) {
            if (c.sink() == sink && c.tag().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    /** With x-single-active-consumer, the one that receives (null when none, or without it). */
    Consumer singleActive() {
        return singleActive && !consumers.isEmpty() ? consumers.get(0) : null;
    }

    boolean hasExclusive() {
        return !consumers.isEmpty() && consumers.get(0).exclusive();
    }

    /**
     * The next consumer that can take a message, advancing the round-robin, or null when all are
     * blocked. Takes the channel-wide credit of the one it answers.
     */
    Consumer next() {
        if (singleActive) {
            Consumer active = consumers.isEmpty() ? null : consumers.get(0);
            return active != null && active.canTake() ? active : null;
        }
        int n = consumers.size();
        int bandStart = 0;
        while (bandStart < n) {
            int priority = consumers.get(bandStart).priority();
            int bandEnd = bandStart;
            while (bandEnd < n && consumers.get(bandEnd).priority() == priority) {
                bandEnd++;
            }
            int width = bandEnd - bandStart;
            int start = cursor >= bandStart && cursor < bandEnd ? cursor - bandStart : 0;
            for (int k = 0; k < width; k++) {
                int i = bandStart + (start + k) % width;
                Consumer c = consumers.get(i);
                if (c.canTake()) {
                    cursor = bandStart + (start + k + 1) % width;
                    return c;
                }
            }
            bandStart = bandEnd;
        }
        return null;
    }
}
