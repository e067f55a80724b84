package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.warren.broker.auth.Permission;
import io.warren.broker.message.Message;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.routing.MessageRouter;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two health checks RabbitMQ 3.10's API has, doing what they claim:
 * {@code /api/aliveness-test/{vhost}} declares the queue "aliveness-test", publishes a message
 * to it and gets it back; {@code /api/healthchecks/node} checks that no resource alarm is in
 * effect and that every I/O event loop (where connections and queues run) still runs tasks.
 */
final class HealthApi {

    static final String ALIVENESS_QUEUE = "aliveness-test";
    private static final long LOOP_TIMEOUT_MS = 5_000;

    private final ApiContext context;

    HealthApi(ApiContext context) {
        this.context = context;
    }

    /**
     * RabbitMQ's aliveness test, as its management plugin ran it in 3.10: in the vhost, as the
     * user, queue.declare "aliveness-test" (non-durable; kept between calls), publish
     * "test_message" to it through the default exchange, basic.get it (no-ack). 200
     * {@code {"status":"ok"}}, or 503 {@code {"status":"failed","reason":...}}.
     */
    void aliveness(String vhostName, ManagementUser u, HttpResponses reply) {
        VirtualHost vhost = ApiHandler.vhost(context, vhostName);
        u.checkVhostAccess(vhost.name());
        try {
            u.checkConfigure(vhost.name(), ALIVENESS_QUEUE);
            u.checkWrite(vhost.name(), ALIVENESS_QUEUE);
            u.checkRead(vhost.name(), ALIVENESS_QUEUE);
        } catch (ApiError e) {
            throw ApiError.notAuthorised(u.refusal("queue", ALIVENESS_QUEUE, vhost.name()));
        }
        try {
            u.checkWrite(vhost.name(), Permission.exchangeResource("")); // publishing through the default exchange
        } catch (ApiError e) {
            throw ApiError.notAuthorised(u.refusal("exchange", Permission.exchangeResource(""), vhost.name()));
        }
        Queue q = vhost.declareQueue(new QueueDefinition(vhost.name(), ALIVENESS_QUEUE, false, false, false, Map.of()),
                context.ioLoops().next(), null).queue();
        if (q.exclusiveOwner() != null) {
            failed(reply, "aliveness-test queue is exclusive to another connection");
            return;
        }
        long now = System.currentTimeMillis();
        Message m = Messages.fromPublish(context.nextMessageId(), "", Map.of("routing_key", ALIVENESS_QUEUE,
                "properties", Map.of(), "payload", "test_message", "payload_encoding", "string"), now);
        try {
            MessageRouter router = new MessageRouter(context.persistence());
            if (router.collect(vhost.topology(), vhost.topology().defaultExchange(), m) == 0) {
                failed(reply, "aliveness-test queue did not take the test message");
                return;
            }
            router.deliver(m, 0, null);
        } finally {
            m.release();
        }
        // After the offer in the queue's inbox: the get sees the message unless a consumer took it.
        q.submit(() -> {
            Delivery d = q.get(true);
            if (d == null) {
                failed(reply, "aliveness-test queue is empty");
                return;
            }
            d.message().release();
            reply.json(HttpResponseStatus.OK, Map.of("status", "ok"));
        });
    }

    private static void failed(HttpResponses reply, String reason) {
        reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, status("failed", reason));
    }

    private static Map<String, Object> status(String status, String reason) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", status);
        m.put("reason", reason);
        return m;
    }

    /**
     * RabbitMQ's node health check: 200 {@code {"status":"ok"}}, or 200
     * {@code {"status":"failed","reason":...}} when a resource alarm is in effect or an I/O
     * event loop (where connections and queues run) does not run a task within five seconds. The
     * acceptor loop, the HTTP API's own loop and the store's writer thread are not asked.
     */
    void node(HttpResponses reply) {
        List<String> alarms = new ArrayList<>(2);
        if (context.memoryAlarm().raised()) {
            alarms.add("{resource_limit,memory,'" + Views.NODE + "'}");
        }
        if (context.diskAlarm() != null && context.diskAlarm().raised()) {
            alarms.add("{resource_limit,disk,'" + Views.NODE + "'}");
        }
        if (!alarms.isEmpty()) {
            reply.json(HttpResponseStatus.OK, status("failed",
                    "resource alarm(s) in effect:[" + String.join(",", alarms) + "]"));
            return;
        }
        // The AMQP loops, not this request's own: the API has a loop of its own.
        List<EventExecutor> loops = new ArrayList<>();
        context.ioLoops().forEach(loops::add);
        EventExecutor own = reply.context().executor();
        AtomicInteger pending = new AtomicInteger(loops.size());
        AtomicBoolean answered = new AtomicBoolean();
        // Scheduled before the loops are asked, so the last one to answer can cancel it: a probe
        // polled every few seconds would otherwise leave a task per call on the loop for 5 s.
        ScheduledFuture<?> timeout = own.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                reply.json(HttpResponseStatus.OK, status("failed", "node " + Views.NODE + " health check timed out: "
                        + pending.get() + " of " + loops.size() + " event loops did not answer"));
            }
        }, LOOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (EventExecutor loop : loops) {
            loop.execute(() -> {
                if (pending.decrementAndGet() == 0 && answered.compareAndSet(false, true)) {
                    timeout.cancel(false);
                    reply.json(HttpResponseStatus.OK, Map.of("status", "ok"));
                }
            });
        }
    }
}
