package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Queue;
import io.warren.broker.queue.QueueArguments;
import io.warren.broker.queue.QueueDefinition;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.Binding;
import io.warren.exchange.DestinationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/queues}: list, show, declare (PUT), delete (with if-empty / if-unused), purge
 * ({@code DELETE .../contents}), get ({@code POST .../get}) and the queue's bindings, with
 * RabbitMQ's checks in RabbitMQ's order: vhost, vhost access, the queue, the AMQP permission.
 *
 * <p>What reads or changes a queue's contents runs on the queue's loop and answers from there.
 */
final class QueueApi {

    private final ApiContext context;

    QueueApi(ApiContext context) {
        this.context = context;
    }

    void route(ApiHandler.Request r, ManagementUser u, HttpResponses reply, Views views) {
        int n = r.path().size();
        ApiHandler.only(n <= 4);
        if (n <= 2) {
            r.allow(ApiHandler.GET);
            reply.json(HttpResponseStatus.OK, Listing.of(views.queues(u, n == 2 ? r.segment(1) : null), r.query()));
            return;
        }
        String vhostName = r.segment(1);
        String name = r.segment(2);
        if (n == 3) {
            r.allow(ApiHandler.GET, ApiHandler.PUT, ApiHandler.DELETE);
        } else {
            switch (r.segment(3)) {
                case "contents" -> r.allow(ApiHandler.DELETE);
                case "get" -> r.allow(ApiHandler.POST);
                case "bindings" -> r.allow(ApiHandler.GET);
                case "actions" -> r.allow(ApiHandler.POST);
                default -> throw ApiError.notFound();
            }
        }
        if (n == 4 && r.segment(3).equals("actions")) {
            u.requireAdministrator(); // before anything else, as RabbitMQ checks it
        }
        VirtualHost vhost = ApiHandler.vhostOf(context, r);
        u.checkVhostAccess(vhostName);
        if (n == 3 && r.method().equals(ApiHandler.PUT)) {
            declare(vhost, name, r.json(), u, reply);
            return;
        }
        if (n == 4 && r.segment(3).equals("get")) {
            get(vhost, name, r.json(), u, reply);
            return;
        }
        Queue q = vhost.queue(name);
        if (q == null) {
            throw ApiError.notFound();
        }
        if (n == 3) {
            if (r.method().equals(ApiHandler.GET)) {
                reply.json(HttpResponseStatus.OK, views.queueWithRates(q));
            } else {
                delete(vhost, q, r.flag("if-empty"), r.flag("if-unused"), u, reply);
            }
            return;
        }
        switch (r.segment(3)) {
            case "contents" -> purge(q, u, reply);
            case "actions" -> action(r.json(), reply);
            default -> reply.json(HttpResponseStatus.OK, bindings(vhost, q));
        }
    }

    /**
     * POST .../actions: "sync" and "cancel_sync" of a mirrored classic queue. Warren has no
     * mirrors, so there is nothing to synchronise: 204, as RabbitMQ answers for a queue without
     * mirrors.
     */
    private static void action(Map<String, Object> body, HttpResponses reply) {
        Object action = body.get("action");
        if (action == null) {
            throw ApiError.badRequest("[{key_missing,action}]");
        }
        if (!action.equals("sync") && !action.equals("cancel_sync")) {
            throw ApiError.badRequest(List.of("unknown", String.valueOf(action)));
        }
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    private static List<Object> bindings(VirtualHost vhost, Queue q) {
        List<Object> out = new ArrayList<>();
        out.add(Views.binding(vhost, Views.defaultBinding(q.name())));
        for (Binding b : vhost.topology().bindingsTo(DestinationKind.QUEUE, q.name())) {
            out.add(Views.binding(vhost, b));
        }
        return out;
    }

    /** PUT: 201 when created, 204 when an equivalent queue exists, 400 when it differs. */
    private void declare(VirtualHost vhost, String name, Map<String, Object> body, ManagementUser u,
                         HttpResponses reply) {
        if (name.startsWith("amq.")) {
            throw ApiError.accessRefused(); // RabbitMQ's 403 for the reserved prefix
        }
        u.checkConfigure(vhost.name(), name);
        boolean durable = Bodies.bool(body, "durable", false);
        boolean autoDelete = Bodies.bool(body, "auto_delete", false);
        Map<String, Object> args = Bodies.table(body, "arguments");
        QueueDefinition wanted = new QueueDefinition(vhost.name(), name, durable, false, autoDelete, args);
        Queue existing = vhost.queue(name);
        if (existing == null) {
            QueueArguments.Invalid invalid = QueueArguments.validate(args);
            if (invalid != null) {
                throw ApiError.badRequest(invalid.explain(name, vhost.name()));
            }
            VirtualHost.DeclaredQueue declared = vhost.declareQueue(wanted, context.ioLoops().next(), null);
            if (declared.created()) {
                declared.queue().touch();
                Disk.afterWrite(context, Persistence.storesMessages(declared.queue()), reply,
                        () -> reply.empty(HttpResponseStatus.CREATED));
                return;
            }
            existing = declared.queue();
        }
        if (existing.exclusiveOwner() != null) {
            throw ApiError.badRequest(locked(existing));
        }
        checkEquivalent(existing.definition(), wanted);
        existing.touch();
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    private static void checkEquivalent(QueueDefinition current, QueueDefinition wanted) {
        String what = "queue '" + current.name() + "' in vhost '" + current.vhost() + "'";
        if (current.durable() != wanted.durable()) {
            throw ApiError.badRequest(inequivalent("durable", what, wanted.durable(), current.durable()));
        }
        if (current.autoDelete() != wanted.autoDelete()) {
            throw ApiError.badRequest(inequivalent("auto_delete", what, wanted.autoDelete(), current.autoDelete()));
        }
        for (String key : QueueArguments.EQUIVALENCE_KEYS) {
            Object was = current.arguments().get(key);
            Object now = wanted.arguments().get(key);
            if (!QueueArguments.equivalent(was, now)) {
                throw ApiError.badRequest(inequivalent(key, what, now, was));
            }
        }
    }

    /**
     * RabbitMQ's text (rabbit_misc:assert_args_equivalence): both values bare when both are
     * given, else the one given with its AMQP type and the other as "none".
     */
    static String inequivalent(String field, String what, Object received, Object current) {
        boolean both = received != null && current != null;
        return "inequivalent arg '" + field + "' for " + what + ": received "
                + (both ? "'" + received + "'" : describe(received)) + " but current is "
                + (both ? "'" + current + "'" : describe(current));
    }

    private static String describe(Object v) {
        return v == null ? "none" : "the value '" + v + "' of type '" + QueueArguments.amqpTypeName(v) + "'";
    }

    /** RabbitMQ's answer when a queue is exclusive to a connection (the API has none). */
    static String locked(Queue q) {
        return "cannot obtain exclusive access to locked queue '" + q.name() + "' in vhost '"
                + q.definition().vhost() + "'. It could be originally declared on another connection or the"
                + " exclusive property value does not match that of the original declaration.";
    }

    /**
     * DELETE: the checks and the delete happen together on the queue's loop, as queue.delete
     * does, so no message or consumer can slip in between.
     */
    private void delete(VirtualHost vhost, Queue q, boolean ifEmpty, boolean ifUnused, ManagementUser u,
                        HttpResponses reply) {
        u.checkConfigure(vhost.name(), q.name());
        if (q.exclusiveOwner() != null) {
            throw ApiError.badRequest(locked(q));
        }
        String what = "queue '" + q.name() + "' in vhost '" + vhost.name() + "'";
        q.submit(() -> respond(reply, () -> {
            if (q.deleted()) {
                throw ApiError.notFound();
            }
            if (ifUnused && q.consumerCount() > 0) {
                throw ApiError.badRequest(what + " in use");
            }
            if (ifEmpty && q.messageCount() > 0) {
                throw ApiError.badRequest(what + " not empty");
            }
            vhost.deleteQueue(q);
            Disk.afterWrite(context, Persistence.storesMessages(q), reply,
                    () -> reply.empty(HttpResponseStatus.NO_CONTENT));
        }));
    }

    /** DELETE .../contents: queue.purge, the ready messages only; the queue stays. */
    private void purge(Queue q, ManagementUser u, HttpResponses reply) {
        u.checkRead(q.definition().vhost(), q.name());
        if (q.exclusiveOwner() != null) {
            throw ApiError.badRequest(locked(q));
        }
        q.submit(() -> respond(reply, () -> {
            if (q.deleted()) {
                throw ApiError.notFound();
            }
            q.purge();
            Disk.afterWrite(context, Persistence.storesMessages(q), reply,
                    () -> reply.empty(HttpResponseStatus.NO_CONTENT));
        }));
    }

    /**
     * POST .../get: takes up to {@code count} messages as basic.get would, shows them, then
     * settles them all as {@code ackmode} says (requeued ones come back marked redelivered).
     * RabbitMQ reads the body first, and answers a missing queue (or one deleted before the get
     * ran) with basic.get's 404 text rather than the path's "Object Not Found".
     */
    private void get(VirtualHost vhost, String name, Map<String, Object> body, ManagementUser u,
                     HttpResponses reply) {
        Bodies.require(body, "count", "ackmode", "encoding");
        Delivery.Settlement settlement = switch (String.valueOf(body.get("ackmode"))) {
            case "ack_requeue_true", "reject_requeue_true" -> Delivery.Settlement.REQUEUE;
            case "ack_requeue_false" -> Delivery.Settlement.ACK;
            case "reject_requeue_false" -> Delivery.Settlement.DROP;
            default -> throw ApiError.badRequest("Unsupported ackmode. Please use ack_requeue_true,"
                    + " ack_requeue_false, reject_requeue_true or reject_requeue_false.");
        };
        String encoding = String.valueOf(body.get("encoding"));
        if (!encoding.equals("auto") && !encoding.equals("base64")) {
            throw ApiError.badRequest("Unsupported encoding. Please use auto or base64.");
        }
        long count = Bodies.integer(body, "count");
        Object truncateValue = body.get("truncate");
        long truncate = truncateValue == null ? Long.MAX_VALUE : Bodies.integer(body, "truncate");
        Queue q = vhost.queue(name);
        if (q == null) {
            throw noQueue(vhost.name(), name);
        }
        u.checkRead(q.definition().vhost(), q.name());
        if (q.exclusiveOwner() != null) {
            throw ApiError.badRequest(locked(q));
        }
        q.submit(() -> respond(reply, () -> {
            if (q.deleted()) {
                throw noQueue(vhost.name(), name);
            }
            List<Object> out = new ArrayList<>();
            List<Delivery> taken = new ArrayList<>();
            try {
                for (long i = 0; i < count; i++) {
                    Delivery d = q.get(false);
                    if (d == null) {
                        break;
                    }
                    taken.add(d);
                    if (truncate < 0) {
                        // RabbitMQ 3.10 crashes truncating a message to a negative size (an empty
                        // queue answers []): 500 with an empty body, its dying channel returning
                        // what it took.
                        requeue(taken);
                        reply.empty(HttpResponseStatus.INTERNAL_SERVER_ERROR);
                        return;
                    }
                    out.add(Messages.describe(d, q.messageCount(), encoding.equals("base64"), truncate));
                }
            } catch (RuntimeException | Error e) {
                // No answer shows them: back to the queue, as RabbitMQ's dying channel returns them,
                // rather than unacked with no owner until a restart.
                requeue(taken);
                throw e;
            }
            context.counters().deliveredGet.add(taken.size());
            for (Delivery d : taken) {
                d.settle(settlement);
            }
            reply.json(HttpResponseStatus.OK, out);
        }));
    }

    private static ApiError noQueue(String vhost, String name) {
        return ApiError.notFound("NOT_FOUND - no queue '" + name + "' in vhost '" + vhost + "'");
    }

    private static void requeue(List<Delivery> taken) {
        for (Delivery d : taken) {
            d.settle(Delivery.Settlement.REQUEUE);
        }
    }

    /** Runs {@code work} (on a queue's loop), answering its refusal if it throws one. */
    static void respond(HttpResponses reply, Runnable work) {
        try {
            work.run();
        } catch (ApiError e) {
            reply.error(e);
        } catch (Throwable e) { // never a request left unanswered
            reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    HttpResponses.errorBody("internal_server_error", String.valueOf(e.getMessage())));
        }
    }
}
