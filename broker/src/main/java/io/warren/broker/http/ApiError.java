package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A refusal of the HTTP API, with the status and the {@code {"error":..,"reason":..}} body
 * RabbitMQ's management plugin answers in the same case. Thrown by the handlers, answered once.
 */
final class ApiError extends RuntimeException {

    final HttpResponseStatus status;
    final String error;
    /** Text, or for some of RabbitMQ's errors a list (e.g. {@code ["not_base64","abc"]}). */
    final Object reason;
    /** For 405: the methods the resource does support (the Allow header); null otherwise. */
    final String allow;

    private ApiError(HttpResponseStatus status, String error, Object reason, String allow) {
        super(status.code() + " " + error + ": " + reason, null, false, false);
        this.status = status;
        this.error = error;
        this.reason = reason;
        this.allow = allow;
    }

    /** No such path, or no such object on a path that names one (RabbitMQ's resource_exists). */
    static ApiError notFound() {
        return new ApiError(HttpResponseStatus.NOT_FOUND, "Object Not Found", "Not Found", null);
    }

    /** An object an operation needed is missing (RabbitMQ's AMQP 404 text, e.g. "no exchange 'x' in vhost '/'"). */
    static ApiError notFound(String reason) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, "not_found", reason, null);
    }

    static ApiError badRequest(String reason) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, "bad_request", reason, null);
    }

    /** 400 with an error name of its own, e.g. "invalid_pagination_parameters". */
    static ApiError badRequest(String error, Object reason) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, error, reason, null);
    }

    /** 400 with a structured reason, as RabbitMQ prints an Erlang tuple: ["no_such_user","bob"]. */
    static ApiError badRequest(java.util.List<String> reason) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, "bad_request", reason, null);
    }

    /** 401 not_authorised: "Access refused.", "User not authorised to access virtual host"... */
    static ApiError notAuthorised(String reason) {
        return new ApiError(HttpResponseStatus.UNAUTHORIZED, "not_authorised", reason, null);
    }

    /** No credentials: 401 with an empty body (the WWW-Authenticate header asks for them). */
    static ApiError loginRequired() {
        return new ApiError(HttpResponseStatus.UNAUTHORIZED, null, null, null);
    }

    /** Unknown user or wrong password (RabbitMQ spells this one "not_authorized"). */
    static ApiError loginFailed() {
        return new ApiError(HttpResponseStatus.UNAUTHORIZED, "not_authorized", "Login failed", null);
    }

    /** What an AMQP permission check refused (RabbitMQ answers the same text whatever the check). */
    static ApiError accessRefused() {
        return notAuthorised("Access refused.");
    }

    static ApiError methodNotAllowed(String allow) {
        return new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, null, null, allow);
    }
}
