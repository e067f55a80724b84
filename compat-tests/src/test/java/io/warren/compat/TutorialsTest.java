package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's seven getting-started tutorials, as their Java programs do them: the same
 * declarations with the same arguments, the same publishes and consumers, each program on its
 * own connection. Only the names change (a unique suffix, so that runs on a shared broker do
 * not meet), message counts are smaller, and what the programs print is collected and checked:
 * the bodies each receiver got, in order, and which receiver got them. On Warren they run with
 * a disk store ({@link DiskStoreCompatTest}): the work queue tutorial publishes persistent
 * messages to a durable queue without confirms.
 */
class TutorialsTest extends DiskStoreCompatTest {

    /** A receiving program's output: one entry per delivery, as "routingKey:body". */
    private static final class Received {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        DeliverCallback callback() {
            return (consumerTag, delivery) -> lines.add(delivery.getEnvelope().getRoutingKey() + ":"
                    + new String(delivery.getBody(), StandardCharsets.UTF_8));
        }

        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("only " + out + " within " + TIMEOUT_SECONDS + "s, expected " + n);
                }
                out.add(line);
            }
            return out;
        }
    }

    // ---- 1. "Hello World!": Send.java and Recv.java

    @Test
    void helloWorld() throws Exception {
        String queue = queueName("hello");
        send(queue, "Hello World! (before the receiver)");

        Channel recv = connect().createChannel();
        recv.queueDeclare(queue, false, false, false, null);
        Received received = new Received();
        recv.basicConsume(queue, true, received.callback(), consumerTag -> { });

        send(queue, "Hello World!");
        assertEquals(List.of(queue + ":Hello World! (before the receiver)", queue + ":Hello World!"),
                received.next(2));
        assertEquals(0, recv.queueDeclarePassive(queue).getMessageCount());
    }

    private void send(String queue, String message) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, false, false, false, null);
            channel.basicPublish("", queue, null, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- 2. Work queues: NewTask.java and Worker.java (durable queue, persistent tasks, qos 1, manual acks)

    @Test
    void workQueuesDispatchFairlyToTwoWorkers() throws Exception {
        String queue = queueName("task_queue");
        // One long task, then quick ones: with prefetch 1 the busy worker gets no more, so the
        // other does all the quick ones, in order (round-robin without qos would split them).
        // The long task works until the test lets it end, once the quick ones are done: a task
        // of a fixed two seconds did not always outlast them on a loaded machine.
        String longTask = "long task....................";
        CountDownLatch longTaskMayEnd = new CountDownLatch(1);
        Worker first = new Worker(queue, longTask, longTaskMayEnd);
        Worker second = new Worker(queue, longTask, longTaskMayEnd);
        eventually("two workers consuming", () -> messageCountAndConsumers(queue)[1] == 2);

        List<String> quick = List.of("first.", "second.", "third.", "fourth.");
        newTask(queue, longTask);
        for (String task : quick) {
            newTask(queue, task);
        }
        eventually("the quick tasks done (none may wait behind the long one: prefetch 1)",
                () -> first.done.size() + second.done.size() == quick.size());
        longTaskMayEnd.countDown();
        eventually("all tasks done", () -> first.done.size() + second.done.size() == 1 + quick.size());
        List<String> one = new ArrayList<>(first.done);
        List<String> other = new ArrayList<>(second.done);
        if (!one.contains(longTask)) {
            List<String> swap = one;
            one = other;
            other = swap;
        }
        assertEquals(List.of(longTask), one, "the worker busy with the long task takes nothing else");
        assertEquals(quick, other, "the other worker takes all the quick tasks, in order");

        // every task acked: nothing left, not even after the workers are gone
        first.connection.close();
        second.connection.close();
        int[] after = messageCountAndConsumers(queue);
        assertEquals(0, after[0], "tasks back in the queue");
        assertEquals(0, after[1], "consumers left");
    }

    private int[] messageCountAndConsumers(String queue) throws Exception {
        Channel ch = channel();
        AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(queue);
        ch.close();
        return new int[] {ok.getMessageCount(), ok.getConsumerCount()};
    }

    private void newTask(String queue, String message) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            channel.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN,
                    message.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Worker.java: "works" 100 ms per dot (the tutorial's second), acks when done; the test's
     * long task also waits for {@code longTaskMayEnd}.
     */
    private final class Worker {
        final Connection connection;
        final List<String> done = Collections.synchronizedList(new ArrayList<>());

        Worker(String queue, String longTask, CountDownLatch longTaskMayEnd) throws Exception {
            connection = connect();
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            channel.basicQos(1);
            DeliverCallback deliverCallback = (consumerTag, delivery) -> {
                String message = new String(delivery.getBody(), StandardCharsets.UTF_8);
                try {
                    doWork(message);
                    if (message.equals(longTask)) {
                        longTaskMayEnd.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    done.add(message); // after the ack is on the wire: the test closes the worker next
                }
            };
            channel.basicConsume(queue, false, deliverCallback, consumerTag -> { });
        }

        private void doWork(String task) {
            for (char ch : task.toCharArray()) {
                if (ch == '.') {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    // ---- 3. Publish/Subscribe: EmitLog.java and ReceiveLogs.java (fanout, server-named exclusive queues)

    @Test
    void publishSubscribeReachesEveryReceiverAndLosesWhatNobodyListensTo() throws Exception {
        String exchange = exchangeName("logs");
        emit(exchange, BuiltinExchangeType.FANOUT, "", "info: nobody listens yet");
        Connection c1 = connect();
        Connection c2 = connect();
        Received r1 = new Received();
        Received r2 = new Received();
        String q1 = receiveLogs(c1, exchange, BuiltinExchangeType.FANOUT, r1, "");
        String q2 = receiveLogs(c2, exchange, BuiltinExchangeType.FANOUT, r2, "");
        List<String> logs = List.of("info: Hello World!", "warning: disk 80% full", "error: disk full");
        for (String log : logs) {
            emit(exchange, BuiltinExchangeType.FANOUT, "", log);
        }
        List<String> expected = logs.stream().map(l -> ":" + l).toList();
        assertEquals(expected, r1.next(3));
        assertEquals(expected, r2.next(3));
        // their queues were exclusive: they go with the receivers
        c1.close();
        c2.close();
        assertFalse(queueExists(q1));
        assertFalse(queueExists(q2));
    }

    /** EmitLog*.java: declares the exchange, publishes one message, closes. */
    private void emit(String exchange, BuiltinExchangeType type, String routingKey, String message) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(exchange, type);
            channel.basicPublish(exchange, routingKey, null, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** ReceiveLogs*.java: declares the exchange, a server-named queue, binds it per key, consumes with auto-ack. */
    private static String receiveLogs(Connection connection, String exchange, BuiltinExchangeType type,
            Received into, String... bindingKeys) throws Exception {
        Channel channel = connection.createChannel();
        channel.exchangeDeclare(exchange, type);
        String queueName = channel.queueDeclare().getQueue();
        for (String bindingKey : bindingKeys) {
            channel.queueBind(queueName, exchange, bindingKey);
        }
        channel.basicConsume(queueName, true, into.callback(), consumerTag -> { });
        return queueName;
    }

    // ---- 4. Routing: EmitLogDirect.java and ReceiveLogsDirect.java

    @Test
    void routingBySeverity() throws Exception {
        String exchange = exchangeName("direct_logs");
        Received errorsOnly = new Received();
        Received all = new Received();
        receiveLogs(connect(), exchange, BuiltinExchangeType.DIRECT, errorsOnly, "error");
        receiveLogs(connect(), exchange, BuiltinExchangeType.DIRECT, all, "info", "warning", "error");
        String[][] logs = {
            {"info", "i1"}, {"warning", "w1"}, {"error", "e1"}, {"debug", "d1"}, {"info", "i2"}, {"error", "e2"},
        };
        for (String[] log : logs) {
            emit(exchange, BuiltinExchangeType.DIRECT, log[0], log[1]);
        }
        // per-queue order: anything misrouted would show up before the last expected message
        assertEquals(List.of("error:e1", "error:e2"), errorsOnly.next(2));
        assertEquals(List.of("info:i1", "warning:w1", "error:e1", "info:i2", "error:e2"), all.next(5));
    }

    // ---- 5. Topics: EmitLogTopic.java and ReceiveLogsTopic.java, with the tutorial's examples

    @Test
    void topics() throws Exception {
        String exchange = exchangeName("topic_logs");
        Received q1 = new Received();
        Received q2 = new Received();
        Received everything = new Received();
        receiveLogs(connect(), exchange, BuiltinExchangeType.TOPIC, q1, "*.orange.*");
        receiveLogs(connect(), exchange, BuiltinExchangeType.TOPIC, q2, "*.*.rabbit", "lazy.#");
        receiveLogs(connect(), exchange, BuiltinExchangeType.TOPIC, everything, "#");
        List<String> keys = List.of("quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox",
                "lazy.brown.fox", "lazy.pink.rabbit", "quick.brown.fox", "orange", "quick.orange.new.rabbit",
                "lazy.orange.new.rabbit", "last.orange.rabbit");
        for (String key : keys) {
            emit(exchange, BuiltinExchangeType.TOPIC, key, "msg");
        }
        assertEquals(List.of("quick.orange.rabbit:msg", "lazy.orange.elephant:msg", "quick.orange.fox:msg",
                "last.orange.rabbit:msg"), q1.next(4));
        // lazy.pink.rabbit matches both of q2's bindings and still arrives once
        assertEquals(List.of("quick.orange.rabbit:msg", "lazy.orange.elephant:msg", "lazy.brown.fox:msg",
                "lazy.pink.rabbit:msg", "lazy.orange.new.rabbit:msg", "last.orange.rabbit:msg"), q2.next(6));
        assertEquals(keys.stream().map(k -> k + ":msg").toList(), everything.next(keys.size()));
    }

    // ---- 6. RPC: RPCServer.java and RPCClient.java

    @Test
    void rpcFibonacci() throws Exception {
        String rpcQueue = queueName("rpc_queue");
        AtomicInteger served = new AtomicInteger();
        rpcServer(rpcQueue, served);
        RpcClient client = new RpcClient(rpcQueue);
        for (int i = 0; i < 32; i++) {
            assertEquals(Integer.toString(fib(i)), client.call(Integer.toString(i)), "fib(" + i + ")");
        }
        assertEquals("", client.call("not a number"), "the server answers an empty string to bad input");
        eventually("the server counted 33 requests", () -> served.get() == 33);
        assertEquals(0, messageCountAndConsumers(rpcQueue)[0]);
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    private void rpcServer(String rpcQueue, AtomicInteger served) throws Exception {
        Channel channel = connect().createChannel();
        channel.queueDeclare(rpcQueue, false, false, false, null);
        channel.queuePurge(rpcQueue);
        channel.basicQos(1);
        DeliverCallback deliverCallback = (consumerTag, delivery) -> {
            AMQP.BasicProperties replyProps = new AMQP.BasicProperties.Builder()
                    .correlationId(delivery.getProperties().getCorrelationId())
                    .build();
            String response = "";
            try {
                int n = Integer.parseInt(new String(delivery.getBody(), StandardCharsets.UTF_8));
                response += fib(n);
            } catch (RuntimeException e) {
                // the tutorial answers "" and goes on
            } finally {
                channel.basicPublish("", delivery.getProperties().getReplyTo(), replyProps,
                        response.getBytes(StandardCharsets.UTF_8));
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                served.incrementAndGet();
            }
        };
        channel.basicConsume(rpcQueue, false, deliverCallback, consumerTag -> { });
    }

    /** RPCClient.java: a server-named reply queue per call, matched by correlation id. */
    private final class RpcClient {
        private final Channel channel;
        private final String requestQueueName;

        RpcClient(String requestQueueName) throws Exception {
            this.channel = connect().createChannel();
            this.requestQueueName = requestQueueName;
        }

        String call(String message) throws Exception {
            final String corrId = UUID.randomUUID().toString();
            String replyQueueName = channel.queueDeclare().getQueue();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .correlationId(corrId)
                    .replyTo(replyQueueName)
                    .build();
            channel.basicPublish("", requestQueueName, props, message.getBytes(StandardCharsets.UTF_8));
            final CompletableFuture<String> response = new CompletableFuture<>();
            String ctag = channel.basicConsume(replyQueueName, true, (consumerTag, delivery) -> {
                if (delivery.getProperties().getCorrelationId().equals(corrId)) {
                    response.complete(new String(delivery.getBody(), StandardCharsets.UTF_8));
                }
            }, consumerTag -> { });
            String result = response.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            channel.basicCancel(ctag);
            return result;
        }
    }

    // ---- 7. Publisher confirms: PublisherConfirms.java's three strategies

    private static final int MESSAGE_COUNT = 1_000;

    /** The tutorial's queue: non-durable, auto-delete (never consumed, so it stays; deleted after the test). */
    private String confirmsQueue(Channel ch) throws Exception {
        String queue = queueName("confirms");
        ch.queueDeclare(queue, false, false, true, null);
        return queue;
    }

    @Test
    void publisherConfirmsIndividually() throws Exception {
        Channel ch = connect().createChannel();
        String queue = confirmsQueue(ch);
        ch.confirmSelect();
        for (int i = 0; i < MESSAGE_COUNT / 4; i++) {
            ch.basicPublish("", queue, null, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5_000);
        }
        assertInQueue(ch, queue, MESSAGE_COUNT / 4);
    }

    @Test
    void publisherConfirmsInBatch() throws Exception {
        Channel ch = connect().createChannel();
        String queue = confirmsQueue(ch);
        ch.confirmSelect();
        int batchSize = 100;
        int outstandingMessageCount = 0;
        for (int i = 0; i < MESSAGE_COUNT; i++) {
            ch.basicPublish("", queue, null, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
            outstandingMessageCount++;
            if (outstandingMessageCount == batchSize) {
                ch.waitForConfirmsOrDie(5_000);
                outstandingMessageCount = 0;
            }
        }
        if (outstandingMessageCount > 0) {
            ch.waitForConfirmsOrDie(5_000);
        }
        assertInQueue(ch, queue, MESSAGE_COUNT);
    }

    @Test
    void publisherConfirmsAsynchronously() throws Exception {
        Channel ch = connect().createChannel();
        String queue = confirmsQueue(ch);
        ch.confirmSelect();
        ConcurrentNavigableMap<Long, String> outstandingConfirms = new ConcurrentSkipListMap<>();
        List<String> nacked = Collections.synchronizedList(new ArrayList<>());
        ConfirmCallback cleanOutstandingConfirms = (sequenceNumber, multiple) -> {
            if (multiple) {
                outstandingConfirms.headMap(sequenceNumber, true).clear();
            } else {
                outstandingConfirms.remove(sequenceNumber);
            }
        };
        ch.addConfirmListener(cleanOutstandingConfirms, (sequenceNumber, multiple) -> {
            nacked.add(outstandingConfirms.get(sequenceNumber));
            cleanOutstandingConfirms.handle(sequenceNumber, multiple);
        });
        for (int i = 0; i < MESSAGE_COUNT; i++) {
            String body = String.valueOf(i);
            outstandingConfirms.put(ch.getNextPublishSeqNo(), body);
            ch.basicPublish("", queue, null, body.getBytes(StandardCharsets.UTF_8));
        }
        eventually("all " + MESSAGE_COUNT + " confirmed", outstandingConfirms::isEmpty);
        assertEquals(List.of(), nacked);
        assertInQueue(ch, queue, MESSAGE_COUNT);
    }

    /** The queue holds "0".."count-1", in order. */
    private static void assertInQueue(Channel ch, String queue, int count) throws Exception {
        assertEquals(count, ch.queueDeclarePassive(queue).getMessageCount());
        for (int i = 0; i < count; i++) {
            assertEquals(String.valueOf(i), text(get(ch, queue, true).getBody()));
        }
        assertNull(ch.basicGet(queue, true));
    }
}
