package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.auth.Permission;
import io.warren.broker.message.Message;
import io.warren.broker.persistence.Persistence;
import io.warren.broker.queue.Queue;
import io.warren.broker.routing.MessageRouter;
import io.warren.broker.vhost.VirtualHost;
import io.warren.exchange.BindResult;
import io.warren.exchange.Binding;
import io.warren.exchange.Declared;
import io.warren.exchange.DeleteResult;
import io.warren.exchange.DestinationKind;
import io.warren.exchange.Exchange;
import io.warren.exchange.ExchangeDefinition;
import io.warren.exchange.InvalidBindingException;
import io.warren.exchange.UnbindResult;
import io.warren.exchange.UnknownExchangeTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/exchanges} (list, show, declare, delete, publish) and {@code /api/bindings} (list,
 * create, show, delete), with RabbitMQ's checks, texts and status codes. The default exchange is
 * spelled "amq.default" in paths, as in RabbitMQ's API.
 */
final class ExchangeApi {

    private static final String DEFAULT_EXCHANGE_ALIAS = "amq.default";

    private final ApiContext context;

    ExchangeApi(ApiContext context) {
        this.context = context;
    }

    private static String exchangeName(String segment) {
        return segment.equals(DEFAULT_EXCHANGE_ALIAS) ? "" : segment;
    }

    // ---- /api/exchanges ----------------------------------------------------------------------

    void routeExchanges(ApiHandler.Request r, ManagementUser u, HttpResponses reply, Views views) {
        int n = r.path().size();
        ApiHandler.only(n <= 5);
        if (n <= 2) {
            r.allow(ApiHandler.GET);
            reply.json(HttpResponseStatus.OK, views.exchanges(u, n == 2 ? r.segment(1) : null));
            return;
        }
        if (n == 3) {
            r.allow(ApiHandler.GET, ApiHandler.PUT, ApiHandler.DELETE);
        } else if (n == 4 && r.segment(3).equals("publish")) {
            r.allow(ApiHandler.POST);
        } else if (n == 5 && r.segment(3).equals("bindings")
                && (r.segment(4).equals("source") || r.segment(4).equals("destination"))) {
            r.allow(ApiHandler.GET);
        } else {
            throw ApiError.notFound();
        }
        VirtualHost vhost = ApiHandler.vhostOf(context, r);
        u.checkVhostAccess(vhost.name());
        String name = exchangeName(r.segment(2));
        if (n == 3 && r.method().equals(ApiHandler.PUT)) {
            declare(vhost, name, r.json(), u, reply);
            return;
        }
        if (n == 4) {
            publish(vhost, name, r.json(), u, reply);
            return;
        }
        Exchange x = vhost.topology().exchange(name);
        if (x == null) {
            throw ApiError.notFound();
        }
        if (n == 5) {
            List<Binding> found = r.segment(4).equals("source") ? vhost.topology().bindingsFrom(name)
                    : vhost.topology().bindingsTo(DestinationKind.EXCHANGE, name);
            reply.json(HttpResponseStatus.OK, views(vhost, found));
        } else if (r.method().equals(ApiHandler.GET)) {
            reply.json(HttpResponseStatus.OK, Views.exchange(vhost, x));
        } else {
            delete(vhost, name, r.flag("if-unused"), u, reply);
        }
    }

    private static List<Object> views(VirtualHost vhost, List<Binding> bindings) {
        List<Object> out = new ArrayList<>();
        for (Binding b : bindings) {
            out.add(Views.binding(vhost, b));
        }
        return out;
    }

    /** PUT: 201 created, 204 when an equivalent one exists, 400 when it differs. */
    private void declare(VirtualHost vhost, String name, Map<String, Object> body, ManagementUser u,
                         HttpResponses reply) {
        if (name.isEmpty()) {
            throw ApiError.accessRefused(); // the default exchange: 403 over AMQP
        }
        String type = Bodies.string(body, "type", "direct");
        boolean durable = Bodies.bool(body, "durable", false);
        boolean autoDelete = Bodies.bool(body, "auto_delete", false);
        boolean internal = Bodies.bool(body, "internal", false);
        Map<String, Object> args = Bodies.table(body, "arguments");
        if (!vhost.topology().types().isKnown(type)) {
            throw ApiError.badRequest("invalid exchange type '" + type + "'");
        }
        u.checkConfigure(vhost.name(), name);
        Exchange x = vhost.topology().exchange(name);
        if (x == null) {
            if (name.startsWith("amq.")) {
                throw ApiError.accessRefused();
            }
            Declared declared;
            try {
                declared = vhost.topology().declareExchange(
                        new ExchangeDefinition(name, type, durable, autoDelete, internal, args));
            } catch (UnknownExchangeTypeException e) {
                throw ApiError.badRequest("invalid exchange type '" + type + "'");
            }
            x = declared.exchange();
            if (declared.created()) {
                vhost.listener().exchangeDeclared(vhost, x);
                Disk.afterWrite(context, x.durable(), reply, () -> reply.empty(HttpResponseStatus.CREATED));
                return;
            }
        }
        String what = "exchange '" + name + "' in vhost '" + vhost.name() + "'";
        checkField("type", what, type, x.type());
        checkField("durable", what, durable, x.durable());
        checkField("auto_delete", what, autoDelete, x.autoDelete());
        checkField("internal", what, internal, x.internal());
        Object wantedAe = args.get(ExchangeDefinition.ALTERNATE_EXCHANGE);
        Object currentAe = x.arguments().get(ExchangeDefinition.ALTERNATE_EXCHANGE);
        if (!io.warren.broker.queue.QueueArguments.equivalent(wantedAe, currentAe)) {
            throw ApiError.badRequest(QueueApi.inequivalent(ExchangeDefinition.ALTERNATE_EXCHANGE, what, wantedAe,
                    currentAe));
        }
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    private static void checkField(String field, String what, Object wanted, Object current) {
        if (!wanted.equals(current)) {
            throw ApiError.badRequest("inequivalent arg '" + field + "' for " + what + ": received '" + wanted
                    + "' but current is '" + current + "'");
        }
    }

    private void delete(VirtualHost vhost, String name, boolean ifUnused, ManagementUser u, HttpResponses reply) {
        if (name.isEmpty() || name.startsWith("amq.")) {
            throw ApiError.accessRefused(); // RabbitMQ refuses to delete its standard exchanges
        }
        u.checkConfigure(vhost.name(), name);
        Exchange before = vhost.topology().exchange(name);
        List<String> cascade = new ArrayList<>();
        DeleteResult result = vhost.topology().deleteExchange(name, ifUnused, cascade::add);
        if (result == DeleteResult.NOT_FOUND) {
            throw ApiError.notFound();
        }
        if (result == DeleteResult.IN_USE) {
            throw ApiError.badRequest("exchange '" + name + "' in vhost '" + vhost.name() + "' in use");
        }
        vhost.listener().exchangeDeleted(vhost, name);
        for (String x : cascade) {
            vhost.listener().exchangeDeleted(vhost, x);
        }
        boolean durable = (before != null && before.durable()) || !cascade.isEmpty();
        Disk.afterWrite(context, durable, reply, () -> reply.empty(HttpResponseStatus.NO_CONTENT));
    }

    /**
     * POST .../publish: routes the message as basic.publish would and answers whether any queue
     * took it ({@code {"routed":true}}); a persistent message bound for a durable queue is on
     * disk before the answer. Errors come back as RabbitMQ's channel errors do through its API:
     * 400 with the AMQP code and text, a refused write permission too ("403 ACCESS_REFUSED - ...").
     */
    private void publish(VirtualHost vhost, String name, Map<String, Object> body, ManagementUser u,
                         HttpResponses reply) {
        Exchange x = vhost.topology().exchange(name);
        if (x == null) {
            throw ApiError.badRequest("404 NOT_FOUND - no exchange '" + name + "' in vhost '" + vhost.name() + "'");
        }
        if (x.internal()) {
            throw ApiError.notAuthorised("ACCESS_REFUSED - cannot publish to internal exchange '" + name
                    + "' in vhost '" + vhost.name() + "'");
        }
        String resource = Permission.exchangeResource(name); // as basic.publish checks it
        try {
            u.checkWrite(vhost.name(), resource);
        } catch (ApiError e) {
            throw ApiError.badRequest("403 " + u.refusal("exchange", resource, vhost.name()));
        }
        Message message = Messages.fromPublish(context.nextMessageId(), name, body, System.currentTimeMillis());
        try {
            String userId = message.header().userId();
            if (userId != null && !userId.equals(u.name())) {
                throw ApiError.badRequest("406 PRECONDITION_FAILED - user_id property set to '" + userId
                        + "' but authenticated user was '" + u.name() + "'");
            }
            MessageRouter router = new MessageRouter(context.persistence());
            int routed = router.collect(vhost.topology(), x, message);
            context.counters().received.increment();
            if (routed > 0) {
                context.counters().routed.increment();
                context.counters().queuePublished.add(routed);
            } else {
                context.counters().unroutableDropped.increment();
            }
            Map<String, Object> answer = Map.of("routed", routed > 0);
            boolean stored = router.deliver(message, 0, (tag, failure) -> {
                if (failure == null) {
                    reply.json(HttpResponseStatus.OK, answer);
                } else {
                    reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.errorBody(
                            "internal_server_error", "could not write to disk: " + failure.getMessage()));
                }
            });
            if (!stored) {
                reply.json(HttpResponseStatus.OK, answer);
            }
        } finally {
            message.release();
        }
    }

    // ---- /api/bindings -----------------------------------------------------------------------

    void routeBindings(ApiHandler.Request r, ManagementUser u, HttpResponses reply, Views views) {
        int n = r.path().size();
        if (n <= 2) {
            r.allow(ApiHandler.GET);
            reply.json(HttpResponseStatus.OK, views.bindings(u, n == 2 ? r.segment(1) : null));
            return;
        }
        // bindings / vhost / e / source / q|e / destination [/ properties key]
        ApiHandler.only((n == 6 || n == 7) && r.segment(2).equals("e")
                && (r.segment(4).equals("q") || r.segment(4).equals("e")));
        if (n == 6) {
            r.allow(ApiHandler.GET, ApiHandler.POST);
        } else {
            r.allow(ApiHandler.GET, ApiHandler.DELETE);
        }
        VirtualHost vhost = ApiHandler.vhost(context, r.segment(1));
        u.checkVhostAccess(vhost.name());
        String source = exchangeName(r.segment(3));
        DestinationKind kind = r.segment(4).equals("q") ? DestinationKind.QUEUE : DestinationKind.EXCHANGE;
        String destination = kind == DestinationKind.EXCHANGE ? exchangeName(r.segment(5)) : r.segment(5);
        if (n == 6 && r.method().equals(ApiHandler.POST)) {
            Map<String, Object> body = r.json();
            Binding b = new Binding(source, kind, destination, Bodies.string(body, "routing_key", ""),
                    Bodies.table(body, "arguments"));
            bind(vhost, b, u, reply);
            return;
        }
        if (vhost.topology().exchange(source) == null || !destinationExists(vhost, kind, destination)) {
            throw ApiError.notFound();
        }
        List<Binding> between = new ArrayList<>();
        if (source.isEmpty() && kind == DestinationKind.QUEUE) {
            between.add(Views.defaultBinding(destination));
        }
        for (Binding b : vhost.topology().bindingsFrom(source)) {
            if (b.kind() == kind && b.destination().equals(destination)) {
                between.add(b);
            }
        }
        if (n == 6) {
            reply.json(HttpResponseStatus.OK, views(vhost, between));
            return;
        }
        Binding found = null;
        for (Binding b : between) {
            if (Views.propertiesKey(b).equals(r.segment(6))) {
                found = b;
            }
        }
        if (found == null) {
            throw ApiError.notFound();
        }
        if (r.method().equals(ApiHandler.GET)) {
            reply.json(HttpResponseStatus.OK, Views.binding(vhost, found));
        } else {
            unbind(vhost, found, u, reply);
        }
    }

    private static boolean destinationExists(VirtualHost vhost, DestinationKind kind, String name) {
        return kind == DestinationKind.QUEUE ? vhost.queue(name) != null : vhost.topology().exchange(name) != null;
    }

    /** RabbitMQ's checks for queue.bind / exchange.bind, as the API reports them. */
    private static void checkBindable(VirtualHost vhost, Binding b, ManagementUser u) {
        if (b.source().isEmpty() || (b.kind() == DestinationKind.EXCHANGE && b.destination().isEmpty())) {
            throw ApiError.accessRefused(); // "operation not permitted on the default exchange"
        }
        if (b.kind() == DestinationKind.QUEUE) {
            Queue q = vhost.queue(b.destination());
            if (q != null && q.exclusiveOwner() != null) {
                throw ApiError.badRequest(QueueApi.locked(q));
            }
        }
        u.checkWrite(vhost.name(), b.destination());
        u.checkRead(vhost.name(), b.source());
    }

    /** POST: 201 with the new binding's location (also when it existed, as RabbitMQ answers). */
    private void bind(VirtualHost vhost, Binding b, ManagementUser u, HttpResponses reply) {
        checkBindable(vhost, b, u);
        BindResult result;
        try {
            result = vhost.topology().bind(b);
        } catch (InvalidBindingException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        switch (result) {
            case SOURCE_NOT_FOUND -> throw ApiError.notFound("no exchange '" + b.source() + "' in vhost '"
                    + vhost.name() + "'");
            case DESTINATION_NOT_FOUND -> throw ApiError.notFound("no " + (b.kind() == DestinationKind.QUEUE
                    ? "queue" : "exchange") + " '" + b.destination() + "' in vhost '" + vhost.name() + "'");
            case CREATED -> vhost.listener().bindingAdded(vhost, b);
            default -> { }
        }
        String location = Views.pathSegment(b.destination()) + "/" + Views.pathSegment(Views.propertiesKey(b));
        boolean durable = result == BindResult.CREATED && Persistence.isDurable(vhost, b);
        Disk.afterWrite(context, durable, reply, () -> reply.send(HttpResponseStatus.CREATED, null, "",
                Map.of("location", location)));
    }

    private void unbind(VirtualHost vhost, Binding b, ManagementUser u, HttpResponses reply) {
        checkBindable(vhost, b, u);
        List<String> cascade = new ArrayList<>();
        UnbindResult result = vhost.topology().unbind(b, cascade::add);
        if (result != UnbindResult.REMOVED) {
            throw ApiError.notFound();
        }
        vhost.listener().bindingRemoved(vhost, b);
        for (String x : cascade) {
            vhost.listener().exchangeDeleted(vhost, x);
        }
        boolean durable = Persistence.isDurable(vhost, b) || !cascade.isEmpty();
        Disk.afterWrite(context, durable, reply, () -> reply.empty(HttpResponseStatus.NO_CONTENT));
    }
}
