package io.warren.broker.http;

import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueStats;
import io.warren.broker.vhost.VirtualHost;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The rates of RabbitMQ's management API ({@code publish_details: {rate: ..}} and the like),
 * from samples taken every five seconds, RabbitMQ's default collection interval: the broker's
 * message counters and each queue's depths are read, and a rate is the change since the
 * previous sample over the time between the two. Nothing is added to the publish or delivery
 * path: the counters are the LongAdders the broker keeps anyway, the depths the atomics the
 * API already reads.
 *
 * <p>Concurrency: samples are taken on one executor (the HTTP loop); each is an immutable
 * {@link Sample} published through a volatile field, read by any request.
 */
final class StatsSampler {

    static final long INTERVAL_MS = 5_000;

    /** One queue's depths at a sample, and their rates of change since the previous one. */
    record QueueSample(long ready, long unacked, double readyRate, double unackedRate, long[] counts,
                       double[] rates) {
        static final QueueSample NONE = new QueueSample(0, 0, 0.0, 0.0, new long[QueueStats.Stat.ALL.length],
                new double[QueueStats.Stat.ALL.length]);

        /** Its message stat count at this sample, and that count's rate over the last interval. */
        long count(QueueStats.Stat s) {
            return counts[s.ordinal()];
        }

        double rate(QueueStats.Stat s) {
            return rates[s.ordinal()];
        }
    }

    /** What one sample saw; {@code rates} is indexed by {@link MessageStat#ordinal()}. */
    record Sample(long nanos, long[] counts, double[] rates, Map<Queue, QueueSample> queues) {

        double rate(MessageStat s) {
            return rates[s.ordinal()];
        }

        QueueSample queue(Queue q) {
            QueueSample s = queues.get(q);
            return s == null ? QueueSample.NONE : s;
        }
    }

    private final ApiContext context;
    private volatile Sample last;

    StatsSampler(ApiContext context) {
        this.context = context;
        this.last = new Sample(System.nanoTime(), counts(), new double[MessageStat.ALL.length], Map.of());
    }

    /** Samples every {@link #INTERVAL_MS} on {@code executor} until it shuts down. */
    void start(EventExecutor executor) {
        executor.scheduleAtFixedRate(this::sample, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    Sample last() {
        return last;
    }

    /** Takes a sample now (the timer's task; also callable directly). */
    void sample() {
        Sample before = last;
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - before.nanos()) / 1e9);
        long[] counts = counts();
        double[] rates = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            rates[i] = round((counts[i] - before.counts()[i]) / seconds);
        }
        Map<Queue, QueueSample> queues = new IdentityHashMap<>();
        for (VirtualHost v : context.vhosts().all()) {
            for (Queue q : v.queues()) {
                long ready = q.messageCount();
                long unacked = q.unackedCount();
                long[] stats = new long[QueueStats.Stat.ALL.length];
                for (QueueStats.Stat st : QueueStats.Stat.ALL) {
                    stats[st.ordinal()] = q.stats().get(st);
                }
                double[] statRates = new double[stats.length];
                QueueSample prev = before.queues().get(q);
                if (prev == null) {
                    queues.put(q, new QueueSample(ready, unacked, 0.0, 0.0, stats, statRates));
                    continue;
                }
                for (int i = 0; i < stats.length; i++) {
                    statRates[i] = round((stats[i] - prev.counts()[i]) / seconds);
                }
                queues.put(q, new QueueSample(ready, unacked, round((ready - prev.ready()) / seconds),
                        round((unacked - prev.unacked()) / seconds), stats, statRates));
            }
        }
        last = new Sample(now, counts, rates, queues);
    }

    private long[] counts() {
        long[] out = new long[MessageStat.ALL.length];
        for (MessageStat s : MessageStat.ALL) {
            out[s.ordinal()] = s.read(context.counters());
        }
        return out;
    }

    /** One decimal, as RabbitMQ's rates print. */
    private static double round(double rate) {
        return Math.round(rate * 10.0) / 10.0;
    }

    /** {@code {"rate": r}}, RabbitMQ's *_details object (one decimal: a sum of rates may need it again). */
    static Map<String, Object> details(double rate) {
        return Map.of("rate", round(rate));
    }
}
