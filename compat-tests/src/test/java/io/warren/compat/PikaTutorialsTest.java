package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's getting-started tutorials for Python, run as pika programs against the broker
 * (scripts in src/test/python/tutorials, see the README there): publishers and receivers are
 * separate processes, as a user runs them, and what each receiver prints is checked — which
 * messages it got, in what order, with which routing key.
 */
class PikaTutorialsTest extends DiskStoreCompatTest {

    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void pikaIsInstalled() {
        ExternalClient.assumeInstalled(ExternalClient.succeeds(PYTHON, "-c", "import pika"),
                PYTHON + " cannot import pika (apt-get install python3-pika)");
    }

    /** Starts a tutorial program; its first arguments are always the port and the queue or exchange. */
    private static ExternalClient start(String script, String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", "python/tutorials/" + script,
                String.valueOf(port()), name));
        command.addAll(List.of(args));
        return ExternalClient.start(command.toArray(String[]::new));
    }

    /** Runs a publishing program to its end: it must print {@code expectedOutput} and exit 0. */
    private static void run(String expectedOutput, String script, String name, String... args) throws Exception {
        try (ExternalClient program = start(script, name, args)) {
            assertEquals(expectedOutput, program.nextLine());
            program.assertSucceeds();
        }
    }

    private static List<String> lines(ExternalClient program, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(program.nextLine());
        }
        return out;
    }

    @Test
    void helloWorld() throws Exception {
        String queue = queueName("hello");
        run(" [x] Sent 'Hello World!'", "send.py", queue);
        try (ExternalClient receiver = start("receive.py", queue)) {
            assertEquals(" [*] Waiting for messages. To exit press CTRL+C", receiver.nextLine());
            run(" [x] Sent 'second hello'", "send.py", queue, "second", "hello");
            assertEquals(List.of(" [x] Received Hello World!", " [x] Received second hello"), lines(receiver, 2));
        }
        assertEquals(0, messageCount(queue));
    }

    @Test
    void workQueuesDispatchFairlyToTwoWorkers() throws Exception {
        String queue = queueName("task_queue");
        try (ExternalClient first = start("worker.py", queue); ExternalClient second = start("worker.py", queue)) {
            assertEquals(" [*] Waiting for messages. To exit press CTRL+C", first.nextLine());
            assertEquals(" [*] Waiting for messages. To exit press CTRL+C", second.nextLine());
            eventually("both workers consuming", () -> consumers(queue) == 2);
            // One long task, then quick ones: with prefetch 1 the busy worker gets no more, so the
            // other does all the quick ones, in order. The long worker is frozen while it works on
            // its task (SIGSTOP after it printed " [x] Received"), so that it stays busy until the
            // quick ones are done however slow the machine is: a task of a few seconds alone does
            // not outlast four python processes publishing one after the other under load. Frozen,
            // it still holds its socket: without prefetch 1 the broker would push it quick tasks too.
            String longTask = "long task" + ".".repeat(50);
            List<String> quick = List.of("first.", "second.", "third.", "fourth.");
            run(" [x] Sent " + longTask, "new_task.py", queue, "long", longTask.substring("long ".length()));
            List<String> one = new ArrayList<>();
            List<String> other = new ArrayList<>();
            String receivedLong = " [x] Received " + longTask;
            eventually("a worker received the long task", () -> {
                drain(first, one);
                drain(second, other);
                return one.contains(receivedLong) || other.contains(receivedLong);
            });
            ExternalClient busy = one.contains(receivedLong) ? first : second;
            busy.suspend();
            for (String task : quick) {
                run(" [x] Sent " + task, "new_task.py", queue, task);
            }
            eventually("the quick tasks done (none may wait behind the long one: prefetch 1)", () -> {
                drain(first, one);
                drain(second, other);
                return one.size() + other.size() == 1 + 2 * quick.size();
            });
            busy.resume();
            eventually("all five tasks done", () -> {
                drain(first, one);
                drain(second, other);
                return one.size() + other.size() == 2 * (1 + quick.size());
            });
            List<String> longWorker = busy == first ? one : other;
            List<String> quickWorker = longWorker == one ? other : one;
            assertEquals(List.of(" [x] Received " + longTask, " [x] Done"), longWorker);
            List<String> expected = new ArrayList<>();
            for (String task : quick) {
                expected.add(" [x] Received " + task);
                expected.add(" [x] Done");
            }
            assertEquals(expected, quickWorker);
        }
        // every task was acked before its " [x] Done": nothing comes back when the workers die
        eventually("the workers' consumers gone", () -> consumers(queue) == 0);
        assertEquals(0, messageCount(queue));
    }

    private int consumers(String queue) throws Exception {
        Channel ch = channel();
        int n = ch.queueDeclarePassive(queue).getConsumerCount();
        ch.close();
        return n;
    }

    private static void drain(ExternalClient program, List<String> into) throws InterruptedException {
        for (String line = program.pollLine(0); line != null; line = program.pollLine(0)) {
            into.add(line);
        }
    }

    @Test
    void publishSubscribe() throws Exception {
        String exchange = exchangeName("logs");
        run(" [x] Sent info: nobody listens yet", "emit_log.py", exchange, "info: nobody listens yet");
        try (ExternalClient r1 = start("receive_logs.py", exchange); ExternalClient r2 = start("receive_logs.py", exchange)) {
            assertEquals(" [*] Waiting for logs. To exit press CTRL+C", r1.nextLine());
            assertEquals(" [*] Waiting for logs. To exit press CTRL+C", r2.nextLine());
            List<String> logs = List.of("info: Hello World!", "warning: disk 80% full", "error: disk full");
            for (String log : logs) {
                run(" [x] Sent " + log, "emit_log.py", exchange, log);
            }
            List<String> expected = logs.stream().map(l -> " [x] " + l).toList();
            assertEquals(expected, lines(r1, 3));
            assertEquals(expected, lines(r2, 3));
        }
    }

    @Test
    void routing() throws Exception {
        String exchange = exchangeName("direct_logs");
        try (ExternalClient errors = start("receive_logs_direct.py", exchange, "error");
                ExternalClient all = start("receive_logs_direct.py", exchange, "info", "warning", "error")) {
            assertEquals(" [*] Waiting for logs. To exit press CTRL+C", errors.nextLine());
            assertEquals(" [*] Waiting for logs. To exit press CTRL+C", all.nextLine());
            String[][] logs = {
                {"info", "i1"}, {"warning", "w1"}, {"error", "e1"}, {"debug", "d1"}, {"info", "i2"}, {"error", "e2"},
            };
            for (String[] log : logs) {
                run(" [x] Sent " + log[0] + ":" + log[1], "emit_log_direct.py", exchange, log[0], log[1]);
            }
            // per-queue order: anything misrouted would show up before the last expected message
            assertEquals(List.of(" [x] error:e1", " [x] error:e2"), lines(errors, 2));
            assertEquals(List.of(" [x] info:i1", " [x] warning:w1", " [x] error:e1", " [x] info:i2",
                    " [x] error:e2"), lines(all, 5));
        }
    }

    @Test
    void topics() throws Exception {
        String exchange = exchangeName("topic_logs");
        try (ExternalClient q1 = start("receive_logs_topic.py", exchange, "*.orange.*");
                ExternalClient q2 = start("receive_logs_topic.py", exchange, "*.*.rabbit", "lazy.#");
                ExternalClient everything = start("receive_logs_topic.py", exchange, "#")) {
            for (ExternalClient r : List.of(q1, q2, everything)) {
                assertEquals(" [*] Waiting for logs. To exit press CTRL+C", r.nextLine());
            }
            List<String> keys = List.of("quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox",
                    "lazy.brown.fox", "lazy.pink.rabbit", "quick.brown.fox", "orange", "quick.orange.new.rabbit",
                    "lazy.orange.new.rabbit", "last.orange.rabbit");
            for (String key : keys) {
                run(" [x] Sent " + key + ":msg", "emit_log_topic.py", exchange, key, "msg");
            }
            assertEquals(List.of(" [x] quick.orange.rabbit:msg", " [x] lazy.orange.elephant:msg",
                    " [x] quick.orange.fox:msg", " [x] last.orange.rabbit:msg"), lines(q1, 4));
            // lazy.pink.rabbit matches both of q2's bindings and still arrives once
            assertEquals(List.of(" [x] quick.orange.rabbit:msg", " [x] lazy.orange.elephant:msg",
                    " [x] lazy.brown.fox:msg", " [x] lazy.pink.rabbit:msg", " [x] lazy.orange.new.rabbit:msg",
                    " [x] last.orange.rabbit:msg"), lines(q2, 6));
            assertEquals(keys.stream().map(k -> " [x] " + k + ":msg").toList(), lines(everything, keys.size()));
        }
    }

    @Test
    void rpc() throws Exception {
        String queue = queueName("rpc_queue");
        List<String> ns = List.of("0", "1", "2", "10", "20", "25");
        try (ExternalClient server = start("rpc_server.py", queue)) {
            assertEquals(" [x] Awaiting RPC requests", server.nextLine());
            try (ExternalClient client = start("rpc_client.py", queue, ns.toArray(String[]::new))) {
                for (String n : ns) {
                    assertEquals(" [x] Requesting fib(" + n + ")", client.nextLine());
                    assertEquals(" [.] Got " + fib(Integer.parseInt(n)), client.nextLine());
                    assertEquals(" [.] fib(" + n + ")", server.nextLine());
                }
                client.assertSucceeds();
            }
        }
        assertEquals(0, messageCount(queue));
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @Test
    void publisherConfirmsIndividually() throws Exception {
        String queue = queueName("confirms");
        int count = 200;
        run("Published " + count + " messages individually", "publisher_confirms.py", queue,
                String.valueOf(count));
        // auto-delete, but never consumed: it outlives the publisher, with every message in order
        Channel ch = channel();
        assertEquals(count, ch.queueDeclarePassive(queue).getMessageCount());
        for (int i = 0; i < count; i++) {
            assertEquals(String.valueOf(i), text(get(ch, queue, true).getBody()));
        }
        assertNull(ch.basicGet(queue, true));
        assertFalse(ch.queueDeclarePassive(queue).getMessageCount() > 0);
    }
}
