package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.connection.AmqpConnection;
import io.warren.broker.vhost.VirtualHost;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/connections} (list, show, close, a connection's channels) and
 * {@code /api/vhosts/{vhost}/connections|channels}: connections a user sees (its own; every one
 * for monitoring and administrator users), closed only by their owner or an administrator.
 */
final class ConnectionApi {

    private final ApiContext context;
    private final Views views;
    private final ChannelApi channels;

    ConnectionApi(ApiContext context, Views views, ChannelApi channels) {
        this.context = context;
        this.views = views;
        this.channels = channels;
    }

    /** {@code /api/vhosts/{vhost}/connections} and {@code .../channels}: what the user sees there. */
    void vhostConnectionsOrChannels(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        r.allow(ApiHandler.GET);
        VirtualHost v = ApiHandler.vhost(context, r.segment(1));
        u.checkVhostAccess(v.name()); // a monitoring user too needs access to the vhost, as in RabbitMQ
        if (r.segment(2).equals("channels")) {
            channels.vhostChannels(r, u, reply, v.name());
            return;
        }
        List<Object> out = new ArrayList<>();
        for (AmqpConnection c : context.connections().all()) {
            if (u.seesConnection(c) && c.vhost() == v) {
                out.add(views.connection(c));
            }
        }
        reply.json(HttpResponseStatus.OK, Listing.of(out, r.query()));
    }

    void route(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        ApiHandler.only(n <= 3);
        if (n == 3) {
            ApiHandler.only(r.segment(2).equals("channels"));
            channels.connectionChannels(r, u, reply, find(context, r.segment(1)));
            return;
        }
        if (n == 1) {
            r.allow(ApiHandler.GET);
            reply.json(HttpResponseStatus.OK, Listing.of(views.connections(u), r.query()));
            return;
        }
        r.allow(ApiHandler.GET, ApiHandler.DELETE);
        AmqpConnection c = find(context, r.segment(1));
        if (r.method().equals(ApiHandler.GET)) {
            if (!u.seesConnection(c)) {
                throw ApiError.notAuthorised("User not authorised to access object");
            }
            reply.json(HttpResponseStatus.OK, views.connection(c));
        } else {
            if (!u.mayClose(c)) {
                throw ApiError.notAuthorised("User not authorised to access object");
            }
            // RabbitMQ's API (and rabbitmqctl close_connection) tell the client the reason given in X-Reason
            String reason = r.headers().get("X-Reason");
            if (reason == null || reason.isBlank()) {
                c.closeByAdministrator();
            } else {
                c.closeForced(reason);
            }
            reply.empty(HttpResponseStatus.NO_CONTENT);
        }
    }

    /** The connection a path names: 404 if there is none. */
    static AmqpConnection find(ApiContext context, String name) {
        for (AmqpConnection c : context.connections().all()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw ApiError.notFound();
    }
}
