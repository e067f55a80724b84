package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once, doing a seeded random mix of what clients do: publishers with confirms;
 * consumers with random prefetch that ack (one or many), nack and reject with requeue, hold
 * deliveries, cancel and re-consume, close their channel, or lose their connection (socket
 * closed, no AMQP close) with deliveries unacked. At the end, for every confirmed message:
 *
 * <ul>
 *   <li>it was settled for good exactly once: acked once (or dropped once, by a reject without
 *       requeue), never both, never twice;</li>
 *   <li>only its first delivery may have redelivered=false, every later one has it set, and a
 *       message a consumer held when its connection died or its channel closed, or that it
 *       requeued, was delivered again afterwards;</li>
 *   <li>nothing is left in the queues and nothing unknown was delivered.</li>
 * </ul>
 *
 * <p>The seed ({@code -Dwarren.compat.seed=N}, printed on failure) fixes every client's
 * decisions; the interleaving is the brokers' and the scheduler's, and the invariants must hold
 * for any of them.
 *
 * <p>Acks are fire-and-forget, so before an agent kills its socket it makes one synchronous call
 * on the channel: every ack it sent has then been processed, and what it still holds is exactly
 * what must come back.
 */
class RandomMixTest extends CompatTest {

    private static final int QUEUES = 3;
    private static final int PUBLISHERS = 3;
    private static final int MESSAGES_PER_PUBLISHER = 1000;
    private static final int AGENTS = 4;

    /** Everything that happened to each message, in one global order. */
    private static final class Ledger {
        final AtomicLong clock = new AtomicLong();
        final Map<String, List<String>> history = new ConcurrentHashMap<>();
        final Map<String, Boolean> confirmed = new ConcurrentHashMap<>();
        final Map<String, Integer> settledForGood = new ConcurrentHashMap<>();
        /** What the agents did besides settling (kills, closes, cancels), for failure messages. */
        final List<String> agentEvents = Collections.synchronizedList(new ArrayList<>());

        void agentEvent(int agent, String what) {
            agentEvents.add(clock.incrementAndGet() + " agent " + agent + " " + what);
        }

        private void log(String id, String event) {
            long t = clock.incrementAndGet();
            history.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(t + " " + event);
        }

        /** Confirms may trail deliveries: unknown ids are looked for at the end. */
        void delivered(String id, boolean redelivered, int agent) {
            log(id, (redelivered ? "redelivered" : "delivered") + " to " + agent);
        }

        void acked(String id, int agent) {
            log(id, "acked by " + agent);
            settledForGood.merge(id, 1, Integer::sum);
        }

        void dropped(String id, int agent) {
            log(id, "dropped by " + agent);
            settledForGood.merge(id, 1, Integer::sum);
        }

        /** Given back: requeued, or held by a closed channel or dead connection. Must come again. */
        void returned(String id, String why) {
            log(id, "returned (" + why + ")");
        }

        int settledCount() {
            return settledForGood.size();
        }
    }

    private record Delivery(Channel channel, String consumerTag, Envelope envelope, String id) {}

    /** A consumer slot: one connection after another, each doing random things until it ends. */
    private final class Agent implements Runnable {
        final int number;
        final Random rnd;
        final Ledger ledger;
        final String[] queues;
        volatile boolean stop;
        /** The consumers of the current channel: tag to queue. */
        final Map<String, String> consumed = new HashMap<>();
        volatile Throwable failure;
        int kills;
        int cancels;
        int channelCloses;

        Agent(int number, long seed, Ledger ledger, String[] queues) {
            this.number = number;
            this.rnd = new Random(seed);
            this.ledger = ledger;
            this.queues = queues;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    session();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void session() throws Exception {
            Socket[] socket = new Socket[1];
            ConnectionFactory f = factory();
            f.setExceptionHandler(new ForgivingExceptionHandler());
            f.setSocketConfigurator(s -> {
                s.setTcpNoDelay(true);
                socket[0] = s;
            });
            Connection connection = f.newConnection();
            BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
            Channel ch = openChannel(connection, inbox);
            TreeMap<Long, String> outstanding = new TreeMap<>();
            while (true) {
                if (stop) {
                    // A clean end: close-ok means every ack sent before was processed.
                    returnAll(outstanding, "agent stopped");
                    connection.close();
                    return;
                }
                Delivery d = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (d == null) {
                    idle(ch, inbox, outstanding);
                    continue;
                }
                if (d.channel() != ch) {
                    continue; // From a channel already closed: given back by the broker.
                }
                long tag = d.envelope().getDeliveryTag();
                ledger.delivered(d.id(), d.envelope().isRedeliver(), number);
                outstanding.put(tag, d.id());
                settle(ch, tag, outstanding);
                int event = rnd.nextInt(1000);
                if (event < 15) {
                    // Sync so that every ack sent has been processed, then die holding the rest.
                    ch.basicQos(0, false);
                    returnAll(outstanding, "connection of agent " + number + " killed");
                    kills++;
                    ledger.agentEvent(number, "killed its connection");
                    socket[0].close();
                    return;
                } else if (event < 25) {
                    returnAll(outstanding, "channel of agent " + number + " closed");
                    channelCloses++;
                    ledger.agentEvent(number, "closed its channel");
                    ch.close();
                    ch = openChannel(connection, inbox);
                } else if (event < 45) {
                    cancels++;
                    cancelOneAndConsumeAgain(ch, inbox);
                }
            }
        }

        /**
         * Nothing came for a while: held deliveries may have used up the prefetch, or no consumer
         * may be left on some queue. Settle what is held (ack or requeue) and consume some more.
         */
        private void idle(Channel ch, BlockingQueue<Delivery> inbox, TreeMap<Long, String> outstanding)
                throws IOException {
            if (!outstanding.isEmpty()) {
                long last = outstanding.lastKey();
                if (rnd.nextBoolean()) {
                    settleUpTo(outstanding, last, id -> ledger.acked(id, number));
                    ch.basicAck(last, true);
                } else {
                    settleUpTo(outstanding, last, id -> ledger.returned(id, "idle-nacked by " + number));
                    ch.basicNack(last, true, true);
                }
            } else {
                // Every queue this channel does not consume yet gets a consumer: none is left without.
                for (String q : queues) {
                    if (!consumed.containsValue(q)) {
                        consume(ch, inbox, q);
                    }
                }
            }
        }

        private Channel openChannel(Connection connection, BlockingQueue<Delivery> inbox) throws IOException {
            Channel ch = connection.createChannel();
            int prefetch = 1 + rnd.nextInt(30);
            ch.basicQos(prefetch, rnd.nextInt(3) == 0);
            consumed.clear();
            int n = 1 + rnd.nextInt(2);
            for (int i = 0; i < n; i++) {
                consume(ch, inbox, queues[rnd.nextInt(queues.length)]);
            }
            return ch;
        }

        private void consume(Channel ch, BlockingQueue<Delivery> inbox, String q) throws IOException {
            String tag = ch.basicConsume(q, false, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    inbox.add(new Delivery(ch, tag, envelope, properties.getMessageId()));
                }

                @Override
                public void handleCancel(String tag) {
                    ledger.agentEvent(number, "got basic.cancel for " + tag);
                }

                @Override
                public void handleShutdownSignal(String tag, com.rabbitmq.client.ShutdownSignalException sig) {
                    if (!sig.isInitiatedByApplication()) {
                        ledger.agentEvent(number, "consumer " + tag + " shut down: " + sig.getMessage());
                    }
                }
            });
            consumed.put(tag, q);
            ledger.agentEvent(number, "consumes " + q + " as " + tag + " on " + ch.getChannelNumber());
        }

        private void cancelOneAndConsumeAgain(Channel ch, BlockingQueue<Delivery> inbox) throws IOException {
            List<String> tags = new ArrayList<>(consumed.keySet());
            if (!tags.isEmpty()) {
                String tag = tags.get(rnd.nextInt(tags.size()));
                ch.basicCancel(tag);
                consumed.remove(tag);
                ledger.agentEvent(number, "cancelled " + tag);
            }
            consume(ch, inbox, queues[rnd.nextInt(queues.length)]);
        }

        /**
         * What to do with the delivery just recorded (and maybe with others held before it). A
         * give-back is logged before it is sent: the next delivery may reach another agent
         * before this thread runs again.
         */
        private void settle(Channel ch, long tag, TreeMap<Long, String> outstanding) throws IOException {
            int r = rnd.nextInt(100);
            if (r < 55) {
                ledger.acked(outstanding.remove(tag), number);
                ch.basicAck(tag, false);
            } else if (r < 65) {
                settleUpTo(outstanding, tag, id -> ledger.acked(id, number));
                ch.basicAck(tag, true);
            } else if (r < 78) {
                // Hold it: settled later by a multiple ack, a close, or a death.
            } else if (r < 86) {
                ledger.returned(outstanding.remove(tag), "nacked by " + number);
                ch.basicNack(tag, false, true);
            } else if (r < 93) {
                ledger.returned(outstanding.remove(tag), "rejected by " + number);
                ch.basicReject(tag, true);
            } else if (r < 97) {
                settleUpTo(outstanding, tag, id -> ledger.returned(id, "multiple-nacked by " + number));
                ch.basicNack(tag, true, true);
            } else {
                ledger.dropped(outstanding.remove(tag), number);
                ch.basicReject(tag, false);
            }
        }

        private void settleUpTo(TreeMap<Long, String> outstanding, long tag, java.util.function.Consumer<String> how) {
            Iterator<Map.Entry<Long, String>> it = outstanding.headMap(tag, true).entrySet().iterator();
            while (it.hasNext()) {
                how.accept(it.next().getValue());
                it.remove();
            }
        }

        private void returnAll(TreeMap<Long, String> outstanding, String why) {
            for (String id : outstanding.values()) {
                ledger.returned(id, why);
            }
            outstanding.clear();
        }
    }

    private final class Publisher implements Runnable {
        final int number;
        final Random rnd;
        final Ledger ledger;
        final String[] queues;
        volatile Throwable failure;

        Publisher(int number, long seed, Ledger ledger, String[] queues) {
            this.number = number;
            this.rnd = new Random(seed);
            this.ledger = ledger;
            this.queues = queues;
        }

        @Override
        public void run() {
            try (Connection c = factory().newConnection()) {
                Channel ch = c.createChannel();
                ch.confirmSelect();
                List<String> batch = new ArrayList<>();
                int batchSize = 1 + rnd.nextInt(50);
                for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                    String id = "p" + number + "-" + i;
                    byte[] body = new byte[rnd.nextInt(20) == 0 ? 40_000 + rnd.nextInt(200_000) : rnd.nextInt(200)];
                    rnd.nextBytes(body);
                    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                            .messageId(id).deliveryMode(1 + rnd.nextInt(2)).build();
                    ch.basicPublish("", queues[rnd.nextInt(queues.length)], props, body);
                    batch.add(id);
                    if (batch.size() == batchSize || i == MESSAGES_PER_PUBLISHER - 1) {
                        ch.waitForConfirmsOrDie(TIMEOUT_SECONDS * 1000L);
                        for (String b : batch) {
                            ledger.confirmed.put(b, true);
                        }
                        batch.clear();
                        batchSize = 1 + rnd.nextInt(50);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @Test
    void everyConfirmedMessageIsSettledExactlyOnceAndNothingIsLost() throws Exception {
        long seed = Long.getLong("warren.compat.seed", 20260601L);
        Random master = new Random(seed);
        String[] queues = new String[QUEUES];
        Channel admin = channel();
        for (int i = 0; i < QUEUES; i++) {
            queues[i] = queueName("mix-" + i);
            admin.queueDeclare(queues[i], i == 0, false, false, null);
        }
        Ledger ledger = new Ledger();
        List<Agent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            Agent a = new Agent(i, master.nextLong(), ledger, queues);
            agents.add(a);
            threads.add(new Thread(a, "mix-agent-" + i));
        }
        List<Publisher> publishers = new ArrayList<>();
        List<Thread> publisherThreads = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Publisher p = new Publisher(i, master.nextLong(), ledger, queues);
            publishers.add(p);
            publisherThreads.add(new Thread(p, "mix-publisher-" + i));
        }
        threads.forEach(Thread::start);
        publisherThreads.forEach(Thread::start);
        String context = "seed " + seed + " (rerun with -Dwarren.compat.seed=" + seed + ")";
        try {
            for (Thread t : publisherThreads) {
                t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS * 6L));
            }
            for (Publisher p : publishers) {
                if (p.failure != null) {
                    throw new AssertionError("publisher " + p.number + " failed; " + context, p.failure);
                }
            }
            int total = PUBLISHERS * MESSAGES_PER_PUBLISHER;
            assertEquals(total, ledger.confirmed.size(), "confirmed publishes; " + context);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 6L);
            while (ledger.settledCount() < total && System.nanoTime() < deadline) {
                for (Agent a : agents) {
                    if (a.failure != null) {
                        throw new AssertionError("agent " + a.number + " failed; " + context, a.failure);
                    }
                }
                Thread.sleep(20);
            }
            if (ledger.settledCount() < total) {
                StringBuilder stacks = new StringBuilder();
                for (Thread t : threads) {
                    stacks.append(t.getName()).append(' ').append(t.getState()).append('\n');
                    for (StackTraceElement e : t.getStackTrace()) {
                        stacks.append("    at ").append(e).append('\n');
                    }
                }
                System.out.println("RandomMixTest stalled; agent threads:\n" + stacks);
            }
        } finally {
            for (Agent a : agents) {
                a.stop = true;
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
        }
        for (Agent a : agents) {
            if (a.failure != null) {
                throw new AssertionError("agent " + a.number + " failed; " + context, a.failure);
            }
        }
        verify(ledger, queues, agents, context);
    }

    private void verify(Ledger ledger, String[] queues, List<Agent> agents, String context) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String id : ledger.confirmed.keySet()) {
            Integer settled = ledger.settledForGood.get(id);
            if (settled == null) {
                problems.add(id + " lost: " + ledger.history.get(id));
            } else if (settled > 1) {
                problems.add(id + " settled " + settled + " times: " + ledger.history.get(id));
            }
        }
        for (String id : ledger.history.keySet()) {
            if (!ledger.confirmed.containsKey(id)) {
                problems.add("unknown message " + id + " delivered: " + ledger.history.get(id));
            }
        }
        for (Map.Entry<String, List<String>> e : ledger.history.entrySet()) {
            checkRedeliveries(e.getKey(), e.getValue(), problems);
        }
        int kills = 0;
        int cancels = 0;
        int closes = 0;
        for (Agent a : agents) {
            kills += a.kills;
            cancels += a.cancels;
            closes += a.channelCloses;
        }
        if (!problems.isEmpty()) {
            System.out.println("RandomMixTest agent events:\n" + String.join("\n", ledger.agentEvents));
        }
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())),
                problems.size() + " problem(s); " + context);
        // The mix did what it claims to do.
        assertTrue(kills > 0 && cancels > 0 && closes > 0,
                "kills " + kills + ", cancels " + cancels + ", channel closes " + closes + "; " + context);
        Channel ch = channel();
        for (String q : queues) {
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q);
            assertEquals(0, ok.getMessageCount(), q + " not empty; " + context);
            assertEquals(0, ok.getConsumerCount(), q + " still has consumers; " + context);
        }
    }

    /** Only the first delivery may be unflagged; whatever was given back came again, flagged. */
    private static void checkRedeliveries(String id, List<String> events, List<String> problems) {
        List<String> sorted;
        synchronized (events) {
            sorted = new ArrayList<>(events);
        }
        sorted.sort((a, b) -> Long.compare(Long.parseLong(a.substring(0, a.indexOf(' '))),
                Long.parseLong(b.substring(0, b.indexOf(' ')))));
        boolean seen = false;
        boolean owedAgain = false;
        for (String event : sorted) {
            String what = event.substring(event.indexOf(' ') + 1);
            if (what.startsWith("delivered")) {
                if (seen) {
                    problems.add(id + " delivered again without the redelivered flag: " + sorted);
                }
                seen = true;
                owedAgain = false;
            } else if (what.startsWith("redelivered")) {
                seen = true;
                owedAgain = false;
            } else if (what.startsWith("returned")) {
                owedAgain = true;
            }
        }
        if (owedAgain) {
            problems.add(id + " given back but never delivered again: " + sorted);
        }
    }
}
