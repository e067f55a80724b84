package io.warren.exchange;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Routing cost per scenario (JMH, ns per route) and retained heap per binding. Run with
 * {@code mvn -q -pl exchange test-compile exec:exec} (see README); an argument is a regex
 * selecting the JMH benchmarks. Named *Benchmark so surefire does not run it as a test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class RoutingBenchmark {

    static final int BINDINGS = 100_000;
    static final int QUEUES = 1_000;
    static final int KEYS = 4_096; // messages routed in turn

    record Message(String routingKey, Map<String, Object> headers) implements RoutableMessage {
    }

    /** Counts deliveries; allocation-free, and its side effect keeps the route alive. */
    static final class Sink implements RouteSink<Integer> {
        long delivered;

        @Override
        public void accept(Integer queue) {
            delivered++;
        }
    }

    /** A topology with {@code queues} queues q0..; the handle of qi is i. */
    static Topology<Integer> topology(int queues) {
        Topology<Integer> t = new Topology<>();
        for (int i = 0; i < queues; i++) {
            t.addQueue("q" + i, i);
        }
        return t;
    }

    /** The topic patterns of the benchmark: literal words mixed with '*' and '#'. */
    static String topicPattern(Random random, int i) {
        int a = random.nextInt(100);
        int b = random.nextInt(100);
        int c = random.nextInt(1_000);
        return switch (i % 10) {
            case 0, 1, 2, 3 -> "a" + a + ".b" + b + ".c" + c;
            case 4, 5 -> "a" + a + ".*.c" + c;
            case 6, 7 -> "a" + a + ".b" + b + ".#";
            case 8 -> "*.b" + b + ".c" + c;
            default -> "#.c" + c;
        };
    }

    abstract static class Scenario {
        Topology<Integer> topology;
        Exchange exchange;
        Message[] messages = new Message[KEYS];
        int next;
        final Sink sink = new Sink();

        int mask = KEYS - 1;

        int route() {
            Message m = messages[next++ & mask];
            return topology.route(exchange, m, sink);
        }
    }

    @State(Scope.Thread)
    public static class Direct100k extends Scenario {
        /**
         * How many distinct routing keys the run cycles through: 16 stay in the CPU caches (the
         * algorithm's cost), 4096 spread over the 100k bindings (the memory latency's too).
         */
        @Param({"16", "4096"})
        public int distinctKeys;

        @Setup(Level.Trial)
        public void setUp() {
            mask = distinctKeys - 1;
            topology = topology(QUEUES);
            exchange = topology.declareExchange(ExchangeDefinition.of("x", "direct")).exchange();
            for (int i = 0; i < BINDINGS; i++) {
                topology.bind(Binding.toQueue("x", "q" + (i % QUEUES), "key-" + i));
            }
            Random random = new Random(1);
            for (int i = 0; i < KEYS; i++) {
                messages[i] = new Message("key-" + random.nextInt(BINDINGS), null);
            }
        }
    }

    @State(Scope.Thread)
    public static class Topic100k extends Scenario {
        /**
         * How many distinct routing keys the run cycles through: 16 stay in the CPU caches (the
         * algorithm's cost), 4096 spread over the 100k bindings (the memory latency's too).
         */
        @Param({"16", "4096"})
        public int distinctKeys;

        @Setup(Level.Trial)
        public void setUp() {
            mask = distinctKeys - 1;
            topology = topology(QUEUES);
            exchange = topology.declareExchange(ExchangeDefinition.of("x", "topic")).exchange();
            Random random = new Random(2);
            for (int i = 0; i < BINDINGS; i++) {
                topology.bind(Binding.toQueue("x", "q" + (i % QUEUES), topicPattern(random, i)));
            }
            for (int i = 0; i < KEYS; i++) {
                messages[i] = new Message("a" + random.nextInt(100) + ".b" + random.nextInt(100)
                        + ".c" + random.nextInt(1_000), null);
            }
        }
    }

    abstract static class Fanout extends Scenario {
        void setUp(int queues) {
            topology = topology(queues);
            exchange = topology.declareExchange(ExchangeDefinition.of("x", "fanout")).exchange();
            for (int i = 0; i < queues; i++) {
                topology.bind(Binding.toQueue("x", "q" + i, ""));
            }
            for (int i = 0; i < KEYS; i++) {
                messages[i] = new Message("k", null);
            }
        }
    }

    @State(Scope.Thread)
    public static class Fanout10 extends Fanout {
        @Setup(Level.Trial)
        public void setUp() {
            setUp(10);
        }
    }

    @State(Scope.Thread)
    public static class Fanout1000 extends Fanout {
        @Setup(Level.Trial)
        public void setUp() {
            setUp(1_000);
        }
    }

    @State(Scope.Thread)
    public static class Headers1000 extends Scenario {
        @Setup(Level.Trial)
        public void setUp() {
            topology = topology(QUEUES);
            exchange = topology.declareExchange(ExchangeDefinition.of("x", "headers")).exchange();
            for (int i = 0; i < 1_000; i++) {
                Map<String, Object> args = new HashMap<>();
                args.put("x-match", i % 2 == 0 ? "all" : "any");
                args.put("type", "t" + (i % 50));
                args.put("region", "r" + (i % 20));
                topology.bind(new Binding("x", DestinationKind.QUEUE, "q" + i, "", args));
            }
            Random random = new Random(3);
            for (int i = 0; i < KEYS; i++) {
                messages[i] = new Message("", Map.of("type", "t" + random.nextInt(50),
                        "region", "r" + random.nextInt(20), "id", i));
            }
        }
    }

    @State(Scope.Thread)
    public static class DefaultExchange extends Scenario {
        @Setup(Level.Trial)
        public void setUp() {
            topology = topology(QUEUES);
            exchange = topology.exchange("");
            Random random = new Random(4);
            for (int i = 0; i < KEYS; i++) {
                messages[i] = new Message("q" + random.nextInt(QUEUES), null);
            }
        }
    }

    @Benchmark
    public int direct100k(Direct100k s) {
        return s.route();
    }

    @Benchmark
    public int topic100k(Topic100k s) {
        return s.route();
    }

    @Benchmark
    public int fanout10(Fanout10 s) {
        return s.route();
    }

    @Benchmark
    public int fanout1000(Fanout1000 s) {
        return s.route();
    }

    @Benchmark
    public int headers1000(Headers1000 s) {
        return s.route();
    }

    @Benchmark
    public int defaultExchange(DefaultExchange s) {
        return s.route();
    }

    // ------------------------------------------------------------ memory and bind time

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Binds 100k bindings of one kind; prints bind time and retained bytes per binding. */
    private static void measure(String name, String type, java.util.function.IntFunction<String> key)
            throws InterruptedException {
        Topology<Integer> t = topology(QUEUES);
        t.declareExchange(ExchangeDefinition.of("x", type));
        long before = usedHeapAfterGc();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < BINDINGS; i++) {
            t.bind(Binding.toQueue("x", "q" + (i % QUEUES), key.apply(i)));
        }
        long bindNanos = System.nanoTime() - start;
        long bindCpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long after = usedHeapAfterGc();
        System.out.printf("%-7s 100k binds: %5d ms wall, %5d ms cpu (cold JVM); retained %4d bytes"
                + " per binding, its routing key string included%n",
                name, bindNanos / 1_000_000, bindCpu / 1_000_000, (after - before) / BINDINGS);
        Reference.reachabilityFence(t);
    }

    public static void main(String[] args) throws Exception {
        Random random = new Random(2);
        measure("direct", "direct", i -> "key-" + i);
        measure("topic", "topic", i -> topicPattern(random, i));
        measure("fanout", "fanout", i -> "k" + i);
        new Runner(new OptionsBuilder()
                .include(RoutingBenchmark.class.getSimpleName() + "." + (args.length > 0 ? args[0] : ""))
                .build()).run();
    }
}
