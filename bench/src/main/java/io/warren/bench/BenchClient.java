package io.warren.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The parts of the benchmark that PerfTest 2.22.1 cannot do, driven by bench/run.py:
 *
 * <ul>
 *   <li>{@code topic}: a topic exchange with 1,000 bindings (literal words, {@code *} and {@code #})
 *       spread over 10 queues with a consumer each; one producer cycles through 2,000 routing keys,
 *       each of which matches a few bindings.</li>
 *   <li>{@code latency}: one producer at a fixed rate, one consumer; exact median, p99 and p99.9 of
 *       the publish-to-delivery time (PerfTest reports up to p99 only).</li>
 *   <li>{@code idle}: opens connections with one channel each and holds them, so run.py can read the
 *       broker's RSS before and after.</li>
 * </ul>
 *
 * Every second it prints a line in PerfTest's format ({@code time 1.000 s, sent: N msg/s, received:
 * N msg/s}) so run.py parses both tools the same way; results go to stdout as {@code RESULT key=value}
 * lines. Every run is bounded in time and deletes what it declared.
 */
public final class BenchClient {

  public static void main(String[] args) throws Exception {
    // logback (PerfTest's) logs DEBUG to stdout when unconfigured; keep stdout for results.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    if (args.length == 0) {
      usage();
      return;
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        usage();
        System.exit(2);
      }
      opts.put(a.substring(2), args[++i]);
    }
    String uri = opts.getOrDefault("uri", "amqp://guest:guest@127.0.0.1:5672");
    switch (args[0]) {
      case "topic" -> topic(uri, intOpt(opts, "seconds", 20), intOpt(opts, "bindings", 1000),
          intOpt(opts, "queues", 10), intOpt(opts, "size", 16));
      case "latency" -> latency(uri, intOpt(opts, "seconds", 20), intOpt(opts, "warmup", 5),
          intOpt(opts, "rate", 5000), intOpt(opts, "size", 16));
      case "idle" -> idle(uri, intOpt(opts, "warm", 50), intOpt(opts, "connections", 500),
          intOpt(opts, "timeout", 300));
      default -> {
        usage();
        System.exit(2);
      }
    }
  }

  private static void usage() {
    System.err.println("usage: BenchClient topic|latency|idle [--uri URI] [--seconds N] ...\n"
        + "  topic   --seconds N --bindings 1000 --queues 10 --size 16\n"
        + "  latency --seconds N --warmup W --rate 5000 --size 16\n"
        + "  idle    --warm 50 --connections 500 --timeout 300   (stdin: a line opens, a line closes)");
  }

  private static int intOpt(Map<String, String> opts, String name, int dflt) {
    String v = opts.get(name);
    return v == null ? dflt : Integer.parseInt(v);
  }

  private static ConnectionFactory factory(String uri) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri);
    f.setAutomaticRecoveryEnabled(false);
    f.setConnectionTimeout(30_000);
    return f;
  }

  /** A producer's loop; an exception ends it. */
  private interface ProducerLoop {
    void run() throws Exception;
  }

  /**
   * Runs {@code loop} on a daemon thread while printing one progress line a second for
   * {@code seconds}; returns when the loop has ended (waiting at most 10 s more).
   */
  private static void produce(ProducerLoop loop, long start, int seconds, AtomicLong sent,
      AtomicLong received) throws InterruptedException {
    Thread producer = new Thread(() -> {
      try {
        loop.run();
      } catch (Exception e) {
        System.err.println("producer failed: " + e);
      }
    }, "producer");
    producer.setDaemon(true);
    producer.start();
    report(start, seconds, sent, received);
    producer.join(10_000);
  }

  /** Prints PerfTest-style per-second lines until {@code seconds} have passed. */
  private static void report(long startNanos, int seconds, AtomicLong sent, AtomicLong received) {
    long prevSent = 0, prevReceived = 0;
    long prevT = startNanos;
    for (int s = 1; s <= seconds; s++) {
      long due = startNanos + s * 1_000_000_000L;
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(due - now);
      }
      long sn = sent.get(), rn = received.get();
      double dt = (now - prevT) / 1e9;
      System.out.printf(Locale.ROOT, "time %.3f s, sent: %d msg/s, received: %d msg/s%n",
          (now - startNanos) / 1e9, Math.round((sn - prevSent) / dt), Math.round((rn - prevReceived) / dt));
      System.out.flush();
      prevSent = sn;
      prevReceived = rn;
      prevT = now;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // topic

  static final int W1 = 20, W2 = 10, W3 = 10;

  /** 1,000 (pattern, queue) bindings: literal keys, a.*.c, a.b.#, *.b.c and #.c, over 10 queues. */
  static List<String[]> topicBindings(int count, int queues) {
    Random rnd = new Random(6);
    Set<String> seen = new LinkedHashSet<>();
    List<String[]> out = new ArrayList<>();
    int[] mix = {60, 20, 15, 4, 1}; // percent of each form
    for (int form = 0; form < mix.length; form++) {
      int n = form == mix.length - 1 ? count - out.size() : count * mix[form] / 100;
      int made = 0;
      while (made < n) {
        String a = "r" + rnd.nextInt(W1), b = "s" + rnd.nextInt(W2), c = "e" + rnd.nextInt(W3);
        String pattern = switch (form) {
          case 0 -> a + "." + b + "." + c;
          case 1 -> a + ".*." + c;
          case 2 -> a + "." + b + ".#";
          case 3 -> "*." + b + "." + c;
          default -> "#." + c;
        };
        String q = "bench.topic.q" + rnd.nextInt(queues);
        if (seen.add(pattern + " " + q)) {
          out.add(new String[] {pattern, q});
          made++;
        }
      }
    }
    return out;
  }

  static boolean topicMatches(String pattern, String key) {
    return match(pattern.split("\\."), 0, key.split("\\."), 0);
  }

  private static boolean match(String[] p, int i, String[] k, int j) {
    if (i == p.length) {
      return j == k.length;
    }
    if (p[i].equals("#")) {
      for (int jj = j; jj <= k.length; jj++) {
        if (match(p, i + 1, k, jj)) {
          return true;
        }
      }
      return false;
    }
    if (j == k.length) {
      return false;
    }
    return (p[i].equals("*") || p[i].equals(k[j])) && match(p, i + 1, k, j + 1);
  }

  private static void topic(String uri, int seconds, int bindingCount, int queues, int size)
      throws Exception {
    ConnectionFactory f = factory(uri);
    List<String[]> bindings = topicBindings(bindingCount, queues);
    List<String> keys = new ArrayList<>();
    for (int a = 0; a < W1; a++) {
      for (int b = 0; b < W2; b++) {
        for (int c = 0; c < W3; c++) {
          keys.add("r" + a + ".s" + b + ".e" + c);
        }
      }
    }
    // How many bindings and distinct queues each key matches (checked here, not taken on trust).
    long matchedBindings = 0, matchedQueues = 0;
    for (String k : keys) {
      Set<String> qs = new HashSet<>();
      for (String[] bnd : bindings) {
        if (topicMatches(bnd[0], k)) {
          matchedBindings++;
          qs.add(bnd[1]);
        }
      }
      matchedQueues += qs.size();
    }
    String exchange = "bench.topic";
    Connection setup = f.newConnection("bench-topic-setup");
    Channel ch = setup.createChannel();
    ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, false, null);
    for (int q = 0; q < queues; q++) {
      ch.queueDeclare("bench.topic.q" + q, false, false, false, null);
    }
    long t0 = System.nanoTime();
    for (String[] bnd : bindings) {
      ch.queueBind(bnd[1], exchange, bnd[0]);
    }
    double bindSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT bindings=%d%nRESULT bind_seconds=%.3f%n"
            + "RESULT keys=%d%nRESULT bindings_per_key=%.3f%nRESULT queues_per_key=%.3f%n",
        bindings.size(), bindSeconds, keys.size(), (double) matchedBindings / keys.size(),
        (double) matchedQueues / keys.size());

    AtomicLong received = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    List<Connection> conns = new ArrayList<>();
    for (int q = 0; q < queues; q++) {
      Connection c = f.newConnection("bench-topic-consumer-" + q);
      conns.add(c);
      Channel cc = c.createChannel();
      cc.basicConsume("bench.topic.q" + q, true, new DefaultConsumer(cc) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
          received.incrementAndGet();
        }
      });
    }
    Connection pc = f.newConnection("bench-topic-producer");
    conns.add(pc);
    Channel pch = pc.createChannel();
    byte[] body = new byte[size];
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    Random rnd = new Random(7);
    String[] ks = keys.toArray(new String[0]);
    produce(() -> {
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < 64; i++) {
          pch.basicPublish(exchange, ks[rnd.nextInt(ks.length)], null, body);
        }
        sent.addAndGet(64);
      }
    }, start, seconds, sent, received);
    System.out.printf(Locale.ROOT, "RESULT sent=%d%nRESULT received=%d%n", sent.get(), received.get());
    for (Connection c : conns) {
      c.abort(5_000);
    }
    for (int q = 0; q < queues; q++) {
      ch.queueDelete("bench.topic.q" + q);
    }
    ch.exchangeDelete(exchange);
    setup.close(5_000);
    System.out.println("test stopped (topic)");
  }

  // ---------------------------------------------------------------------------------------------
  // latency

  private static void latency(String uri, int seconds, int warmup, int rate, int size) throws Exception {
    ConnectionFactory f = factory(uri);
    String queue = "bench.latency";
    Connection cc = f.newConnection("bench-latency-consumer");
    Channel cch = cc.createChannel();
    cch.queueDeclare(queue, false, false, false, null);
    int capacity = rate * (seconds + 2) + 1024;
    long[] samples = new long[capacity];
    AtomicInteger n = new AtomicInteger();
    AtomicLong received = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup * 1_000_000_000L;
    cch.basicConsume(queue, true, new DefaultConsumer(cch) {
      @Override
      public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
        long now = System.nanoTime();
        long stamp = ByteBuffer.wrap(body).getLong();
        received.incrementAndGet();
        if (stamp >= measureFrom) {
          int i = n.getAndIncrement();
          if (i < samples.length) {
            samples[i] = now - stamp;
          }
        }
      }
    });
    Connection pc = f.newConnection("bench-latency-producer");
    Channel pch = pc.createChannel();
    long deadline = start + seconds * 1_000_000_000L;
    long interval = 1_000_000_000L / rate;
    produce(() -> {
      byte[] body = new byte[Math.max(size, 8)];
      ByteBuffer bb = ByteBuffer.wrap(body);
      long i = 0;
      while (true) {
        long due = start + i * interval;
        if (due >= deadline) {
          break;
        }
        long now;
        while ((now = System.nanoTime()) < due) {
          LockSupport.parkNanos(due - now);
        }
        bb.putLong(0, System.nanoTime());
        pch.basicPublish("", queue, null, body);
        sent.incrementAndGet();
        i++;
      }
    }, start, seconds, sent, received);
    Thread.sleep(500); // let the last deliveries arrive
    int count = Math.min(n.get(), samples.length);
    long[] s = Arrays.copyOf(samples, count);
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "RESULT sent=%d%nRESULT received=%d%nRESULT latency_samples=%d%n",
        sent.get(), received.get(), count);
    if (count > 0) {
      System.out.printf(Locale.ROOT,
          "RESULT latency_min_us=%.1f%nRESULT latency_median_us=%.1f%nRESULT latency_p99_us=%.1f%n"
              + "RESULT latency_p999_us=%.1f%nRESULT latency_max_us=%.1f%n",
          s[0] / 1e3, pct(s, 0.5) / 1e3, pct(s, 0.99) / 1e3, pct(s, 0.999) / 1e3, s[count - 1] / 1e3);
    }
    pc.abort(5_000);
    cch.queueDelete(queue);
    cc.close(5_000);
    System.out.println("test stopped (latency)");
  }

  /** Nearest-rank percentile of sorted values. */
  private static long pct(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  // ---------------------------------------------------------------------------------------------
  // idle connections

  private static void idle(String uri, int warm, int count, int timeoutSeconds) throws Exception {
    ConnectionFactory f = factory(uri);
    List<Connection> conns = new ArrayList<>();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(timeoutSeconds * 1000L);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("idle: timeout, exiting");
      Runtime.getRuntime().halt(3);
    }, "watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (int i = 0; i < warm; i++) {
      Connection c = f.newConnection("bench-warm-" + i);
      c.createChannel();
      conns.add(c);
    }
    System.out.println("WARM " + warm);
    System.out.flush();
    in.readLine();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Connection c = f.newConnection("bench-idle-" + i);
      c.createChannel();
      conns.add(c);
    }
    System.out.printf(Locale.ROOT, "RESULT open_seconds=%.3f%n", (System.nanoTime() - t0) / 1e9);
    System.out.println("OPENED " + count);
    System.out.flush();
    in.readLine();
    for (Connection c : conns) {
      c.abort(2_000);
    }
    System.out.println("CLOSED");
    System.out.flush();
  }
}
