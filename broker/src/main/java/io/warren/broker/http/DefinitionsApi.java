package io.warren.broker.http;

import static io.warren.broker.http.ApiHandler.GET;
import static io.warren.broker.http.ApiHandler.POST;
import static io.warren.broker.http.ApiHandler.only;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.vhost.VirtualHost;

/**
 * {@code /api/definitions} and {@code /api/definitions/{vhost}}: GET exports in RabbitMQ's
 * format ({@link DefinitionsExport}), POST imports it ({@link DefinitionsImport}). Administrators
 * only, as in RabbitMQ.
 */
final class DefinitionsApi {

    private final ApiContext context;
    private final DefinitionsExport export;
    private final DefinitionsImport importer;

    DefinitionsApi(ApiContext context) {
        this.context = context;
        this.export = new DefinitionsExport(context);
        this.importer = new DefinitionsImport(context);
    }

    void route(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        only(n <= 2);
        r.allow(GET, POST);
        UserApi.requireAdministrator(u);
        VirtualHost vhost = null;
        if (n == 2) {
            vhost = context.vhosts().find(r.segment(1));
            if (vhost == null) {
                throw ApiError.badRequest("vhost_not_found"); // RabbitMQ's answer, a 400
            }
        }
        if (r.method().equals(GET)) {
            reply.json(HttpResponseStatus.OK, vhost == null ? export.all() : export.of(vhost));
            return;
        }
        importer.run(r.json(), vhost == null ? null : vhost.name(), u.name());
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }
}
