package io.warren.compat.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.warren.compat.WarrenOnly;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmed means kept, across SIGKILL, with real clients: in each round a Warren process runs
 * on one data directory while several publishers send persistent messages with confirms to
 * durable queues and consumers consume and ack them; then the process is killed with SIGKILL
 * and started again on the same directory. Every message carries a unique id. At the end the
 * queues are drained: every confirmed message must have been acked by a consumer at least once
 * (at-least-once: one delivered or acked just before a kill may come twice, which is counted
 * and printed, not failed).
 *
 * <p>Each round kills once {@value #MIN_CONFIRMS_PER_ROUND} messages were confirmed, plus a
 * random moment: odd rounds in the middle of the traffic; even rounds stop the publishers, wait
 * for their last confirms and kill at once (the case the lost-commit bug hit: a confirm followed
 * by no other write).
 */
@WarrenOnly
class CrashRecoveryTest {

    /** -Dwarren.crash.rounds=N for a longer soak */
    private static final int ROUNDS = Integer.getInteger("warren.crash.rounds", 5);
    private static final int PUBLISHERS = 3;
    private static final int IN_FLIGHT = 200;
    private static final int MIN_CONFIRMS_PER_ROUND = 300;
    private static final List<String> QUEUES = List.of("crash-q0", "crash-q1");
    private static final String EXCHANGE = "crash-x";

    @TempDir
    Path dataDir;

    /** id → round in which its publisher got the confirm */
    private final Map<String, Integer> confirmed = new ConcurrentHashMap<>();
    /** id → deliveries seen */
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    /** ids whose basic.ack the client sent */
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger redeliveries = new AtomicInteger();
    private final AtomicInteger nacks = new AtomicInteger();
    private final AtomicInteger roundConfirms = new AtomicInteger();

    @Test
    void noConfirmedMessageIsLostAcrossSigkills() throws Exception {
        Random random = new Random(42);
        for (int round = 1; round <= ROUNDS; round++) {
            try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
                ConnectionFactory f = warren.factory();
                declare(f);
                List<Connection> consumers = consume(f);
                AtomicBoolean publishing = new AtomicBoolean(true);
                List<Thread> publishers = new ArrayList<>();
                List<Channel> channels = new ArrayList<>();
                for (int p = 0; p < PUBLISHERS; p++) {
                    Channel ch = f.newConnection().createChannel();
                    channels.add(ch);
                    publishers.add(publisher(ch, round, p, publishing));
                }
                roundConfirms.set(0);
                publishers.forEach(Thread::start);
                // real traffic before the kill, however slow this machine is today
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (roundConfirms.get() < MIN_CONFIRMS_PER_ROUND && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(300));
                if (round % 2 == 0) {
                    publishing.set(false);
                    for (Thread t : publishers) {
                        t.join();
                    }
                    for (Channel ch : channels) {
                        ch.waitForConfirmsOrDie(10_000);
                    }
                }
                warren.kill();
                publishing.set(false);
                for (Thread t : publishers) {
                    t.join(10_000);
                }
                for (Connection c : consumers) {
                    c.abort(1000);
                }
                for (Channel ch : channels) {
                    ch.getConnection().abort(1000);
                }
            }
        }
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            drain(warren.factory());
            warren.stop();
        }
        try (WarrenProcess warren = WarrenProcess.start(dataDir)) {
            assertEquals(0, ready(warren.factory()), "acked messages came back after a clean restart");
            warren.stop();
        }
        report();
    }

    private void report() {
        TreeSet<String> missing = new TreeSet<>();
        for (String id : confirmed.keySet()) {
            if (!acked.contains(id)) {
                missing.add(id);
            }
        }
        for (int round = 1; round <= ROUNDS; round++) {
            int r = round;
            long inRound = confirmed.values().stream().filter(v -> v == r).count();
            long lost = missing.stream().filter(id -> confirmed.get(id) == r).count();
            long duplicated = confirmed.entrySet().stream().filter(e -> e.getValue() == r)
                    .filter(e -> delivered.getOrDefault(e.getKey(), new AtomicInteger()).get() > 1)
                    .count();
            System.out.printf("crash round %d (%s): %d confirmed, %d missing, %d delivered more"
                    + " than once%n", round, round % 2 == 0 ? "killed right after the last confirm"
                    : "killed mid-traffic", inRound, lost, duplicated);
        }
        long deliveries = delivered.values().stream().mapToLong(AtomicInteger::get).sum();
        System.out.printf("crash test: %d confirmed, %d nacked, %d deliveries (%d flagged"
                + " redelivered), %d missing%n", confirmed.size(), nacks.get(), deliveries,
                redeliveries.get(), missing.size());
        assertTrue(confirmed.size() >= ROUNDS * MIN_CONFIRMS_PER_ROUND, "too little traffic: "
                + confirmed.size());
        assertEquals(0, nacks.get(), "publishes nacked");
        assertTrue(missing.isEmpty(), missing.size() + " confirmed messages lost, e.g. "
                + missing.stream().limit(20).toList());
    }

    private static void declare(ConnectionFactory f) throws Exception {
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            ch.exchangeDeclare(EXCHANGE, "direct", true);
            for (String q : QUEUES) {
                ch.queueDeclare(q, true, false, false, null);
                ch.queueBind(q, EXCHANGE, q);
            }
        }
    }

    /** One consumer connection per queue, manual acks, each ack sent as soon as it is seen. */
    private List<Connection> consume(ConnectionFactory f) throws Exception {
        List<Connection> out = new ArrayList<>();
        for (String q : QUEUES) {
            Connection c = f.newConnection();
            out.add(c);
            Channel ch = c.createChannel();
            ch.basicQos(50);
            ch.basicConsume(q, false, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props,
                        byte[] body) throws java.io.IOException {
                    String id = seen(envelope, body);
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    acked.add(id);
                }
            });
        }
        return out;
    }

    private String seen(Envelope envelope, byte[] body) {
        String id = new String(body, StandardCharsets.UTF_8);
        delivered.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (envelope.isRedeliver()) {
            redeliveries.incrementAndGet();
        }
        return id;
    }

    /**
     * Publishes persistent messages "r{round}-p{publisher}-{n}" to the queues in turn, at most
     * {@link #IN_FLIGHT} unconfirmed, until told to stop or the connection dies.
     */
    private Thread publisher(Channel ch, int round, int publisher, AtomicBoolean publishing)
            throws Exception {
        ch.confirmSelect();
        ConcurrentNavigableMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
        Semaphore window = new Semaphore(IN_FLIGHT);
        ch.addConfirmListener((seq, multiple) -> settle(unconfirmed, window, seq, multiple, round),
                (seq, multiple) -> {
                    nacks.incrementAndGet();
                    settle(unconfirmed, window, seq, multiple, 0);
                });
        return new Thread(() -> {
            try {
                for (long n = 0; publishing.get() && ch.isOpen(); n++) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String id = "r" + round + "-p" + publisher + "-" + n;
                    unconfirmed.put(ch.getNextPublishSeqNo(), id);
                    ch.basicPublish(EXCHANGE, QUEUES.get((int) (n % QUEUES.size())),
                            MessageProperties.PERSISTENT_BASIC, id.getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                // the broker was killed: what was not confirmed was not promised
            }
        }, "publisher-" + publisher);
    }

    /** A confirm (round > 0) or a nack (round 0) for {@code seq}, or everything up to it. */
    private void settle(ConcurrentNavigableMap<Long, String> unconfirmed, Semaphore window,
            long seq, boolean multiple, int round) {
        Map<Long, String> done = multiple ? unconfirmed.headMap(seq, true)
                : unconfirmed.subMap(seq, true, seq, true);
        for (Map.Entry<Long, String> e : new ArrayList<>(done.entrySet())) {
            if (unconfirmed.remove(e.getKey()) != null) {
                if (round > 0) {
                    confirmed.put(e.getValue(), round);
                    roundConfirms.incrementAndGet();
                }
                window.release();
            }
        }
    }

    /** Takes everything left in the queues, acking each message. */
    private void drain(ConnectionFactory f) throws Exception {
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            for (String q : QUEUES) {
                for (GetResponse r = ch.basicGet(q, false); r != null; r = ch.basicGet(q, false)) {
                    String id = seen(r.getEnvelope(), r.getBody());
                    ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
                    acked.add(id);
                }
            }
        }
    }

    private static long ready(ConnectionFactory f) throws Exception {
        long total = 0;
        try (Connection c = f.newConnection()) {
            Channel ch = c.createChannel();
            for (String q : QUEUES) {
                total += ch.queueDeclarePassive(q).getMessageCount();
            }
        }
        return total;
    }
}
