package io.warren.compat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.compat.WarrenOnly;
import io.warren.compat.durability.WarrenProcess;
import io.warren.compat.fuzz.FuzzSocket.Outcome;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client cannot knock the broker over. A broker in its own process with a 256 MiB heap, a
 * well-behaved client publishing with confirms and consuming beside it, and a few hostile clients
 * sending random and mutated AMQP ({@link FuzzCase}) plus swarms of sockets that never finish
 * the handshake, for a bounded time with a fixed seed. Then: the broker is up and never ran out
 * of heap or stack, every connection that broke the protocol got an error or was closed, the
 * good client was never disconnected and lost nothing it had been confirmed.
 *
 * <p>{@code -Dwarren.fuzz.seconds=N} (default 40) sets how long the fuzzing lasts,
 * {@code -Dwarren.fuzz.seed=S} (default 20261206) the seed; a failure names the case and its seed.
 */
@Tag("fuzz")
@WarrenOnly
class HostileClientFuzzTest {

    /** Most of a case's time is spent waiting for the broker: more clients than cores. */
    private static final int WORKERS = 8;
    /** A case gets this long before its socket is closed under it (a write blocked on a broker that stopped reading). */
    private static final long CASE_DEADLINE_MILLIS = 30_000;
    private static final int SWARM = 150;

    @TempDir
    Path dataDir;

    private final Map<FuzzCase, AtomicLong> played = Collections.synchronizedMap(new EnumMap<>(FuzzCase.class));
    private final Map<Outcome, AtomicLong> outcomes = Collections.synchronizedMap(new EnumMap<>(Outcome.class));
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong cases = new AtomicLong();
    private final AtomicLong swarmSockets = new AtomicLong();
    private final AtomicLong closedByBroker = new AtomicLong();

    @Test
    void hostileClientsCannotKnockTheBrokerOver() throws Exception {
        long seconds = Long.getLong("warren.fuzz.seconds", 40);
        long seed = Long.getLong("warren.fuzz.seed", 20261206L);
        WarrenProcess broker = WarrenProcess.startWith(List.of("--amqp-port", "0", "--data-dir", dataDir.toString(),
                "--http-port", "-1", "--metrics-port", "-1",
                "--handshake-timeout", Integer.toString(FuzzCase.HANDSHAKE_TIMEOUT_MILLIS)));
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        LongAccumulator peakRss = new LongAccumulator(Math::max, 0);
        try {
            timers.scheduleAtFixedRate(() -> peakRss.accumulate(broker.residentBytes()), 0, 200, TimeUnit.MILLISECONDS);
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("localhost");
            f.setPort(broker.port());
            f.setAutomaticRecoveryEnabled(false);
            f.setRequestedHeartbeat(10);
            try (GoodClient good = new GoodClient(f)) {
                long end = System.currentTimeMillis() + seconds * 1000;
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    Random r = new Random(seed * 31 + w);
                    Thread t = new Thread(() -> fuzz(broker.port(), r, end, timers), "fuzz-" + w);
                    workers.add(t);
                    t.start();
                }
                for (Thread t : workers) {
                    t.join(seconds * 1000 + 2 * CASE_DEADLINE_MILLIS + 30_000);
                    assertFalse(t.isAlive(), t.getName() + " hung; broker threads:\n" + broker.stdout());
                }
                good.finish(60_000);

                System.out.printf("fuzz: seed %d, %d s: %d cases sent (%d sockets in swarms), %d connections closed by"
                                + " the broker; outcomes %s; per case %s%n", seed, seconds, cases.get(),
                        swarmSockets.get(), closedByBroker.get(), outcomes, played);
                System.out.printf("fuzz: broker peak RSS %d MiB (-Xmx256m); good client: %d published, %d confirmed,"
                                + " %d nacked, %d unconfirmed, %d lost, disconnected: %s%n", peakRss.get() >> 20,
                        good.published(), good.confirmed(), good.nacked(), good.unconfirmed(), good.lost(),
                        good.disconnected());

                assertTrue(broker.alive(), "the broker exited:\n" + broker.stderr());
                String output = broker.stdout() + broker.stderr();
                // for a look after the run: what the broker logged about its hostile clients
                java.nio.file.Files.writeString(Path.of("target", "fuzz-broker.log"), output);
                assertFalse(output.contains("internal error"), "the broker failed internally (541): see"
                        + " target/fuzz-broker.log");
                assertFalse(output.contains("LEAK:"), "the broker leaked buffers: see target/fuzz-broker.log");
                assertFalse(output.contains("OutOfMemoryError"), "the broker ran out of memory");
                assertFalse(output.contains("StackOverflowError"), "the broker ran out of stack");
                assertTrue(violations.isEmpty(), violations.size() + " violations:\n" + String.join("\n", violations));
                assertNull(good.disconnected(), "the good client was disconnected");
                assertTrue(good.confirmed() > 0, "the good client got nothing confirmed");
                assertEquals(0, good.nacked(), "publishes of the good client nacked");
                assertEquals(0, good.unconfirmed(), "publishes of the good client never confirmed");
                assertEquals(0, good.lost(), "confirmed messages of the good client lost");
                assertTrue(peakRss.get() < 1L << 30, "broker RSS peaked at " + (peakRss.get() >> 20) + " MiB");
            }
        } finally {
            timers.shutdownNow();
            broker.kill();
        }
    }

    private void fuzz(int port, Random r, long end, ScheduledExecutorService timers) {
        FuzzCase[] kinds = kinds();
        while (System.currentTimeMillis() < end) {
            long caseSeed = r.nextLong();
            if (r.nextInt(40) == 0 && System.getProperty("warren.fuzz.cases", "").isBlank()) {
                swarm(port, new Random(caseSeed), caseSeed);
                continue;
            }
            FuzzCase kind = kinds[r.nextInt(kinds.length)];
            played.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            cases.incrementAndGet();
            play(port, kind, caseSeed, timers);
        }
    }

    /** Every case, or those named by {@code -Dwarren.fuzz.cases=A,B} (to replay one kind with its seed). */
    private static FuzzCase[] kinds() {
        String only = System.getProperty("warren.fuzz.cases", "");
        if (only.isBlank()) {
            return FuzzCase.values();
        }
        return java.util.Arrays.stream(only.split(",")).map(String::trim).map(FuzzCase::valueOf)
                .toArray(FuzzCase[]::new);
    }

    private void play(int port, FuzzCase kind, long caseSeed, ScheduledExecutorService timers) {
        AtomicBoolean cutOff = new AtomicBoolean();
        FuzzSocket s;
        try {
            s = new FuzzSocket(port);
        } catch (IOException e) {
            violations.add(kind + " (seed " + caseSeed + "): cannot connect: " + e);
            return;
        }
        ScheduledFuture<?> watchdog = timers.schedule(() -> {
            cutOff.set(true);
            s.close();
        }, CASE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        Outcome outcome;
        try {
            outcome = kind.play(s, new Random(caseSeed));
        } catch (FuzzViolation v) {
            violations.add(kind + " (seed " + caseSeed + "): " + v.getMessage());
            outcome = Outcome.OPEN;
        } catch (SocketTimeoutException e) {
            violations.add(kind + " (seed " + caseSeed + "): the broker did not answer in 10 s: " + e.getMessage());
            outcome = Outcome.OPEN;
        } catch (IOException e) {
            // the broker closed or reset the socket under us (a write failed, or EOF mid-handshake);
            // unless it was our own watchdog
            outcome = cutOff.get() ? Outcome.OPEN : Outcome.DROPPED;
        } finally {
            watchdog.cancel(false);
            s.close();
        }
        outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        if (outcome == Outcome.CONNECTION_ERROR || outcome == Outcome.DROPPED) {
            closedByBroker.incrementAndGet();
        }
        if (kind.expectsError() && outcome == Outcome.OPEN) {
            violations.add(kind + " (seed " + caseSeed + "): neither a protocol error nor a close from the broker");
        }
    }

    /**
     * Sockets by the hundred that never finish the handshake (half of them send the protocol
     * header first): the handshake timeout must close every one.
     */
    private void swarm(int port, Random r, long caseSeed) {
        List<FuzzSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SWARM; i++) {
                FuzzSocket s = new FuzzSocket(port);
                sockets.add(s);
                if (r.nextBoolean()) {
                    s.send(FuzzSocket.PROTOCOL_HEADER);
                }
            }
            swarmSockets.addAndGet(SWARM);
            cases.addAndGet(SWARM);
            for (FuzzSocket s : sockets) {
                Outcome o = s.awaitOutcome(FuzzCase.HANDSHAKE_TIMEOUT_MILLIS + FuzzCase.OUTCOME_MILLIS);
                outcomes.computeIfAbsent(o, k -> new AtomicLong()).incrementAndGet();
                if (o == Outcome.OPEN) {
                    violations.add("SWARM (seed " + caseSeed + "): a socket outlived the handshake timeout");
                } else {
                    closedByBroker.incrementAndGet();
                }
            }
        } catch (IOException e) {
            violations.add("SWARM (seed " + caseSeed + "): " + e);
        } finally {
            for (FuzzSocket s : sockets) {
                s.close();
            }
        }
    }
}
