package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Answers a change to something durable once the store has it, as queue.declare-ok and its
 * kin wait for the disk: a 201 or 204 must survive a crash right after it.
 */
final class Disk {

    private Disk() {}

    static void afterWrite(ApiContext context, boolean durable, HttpResponses reply, Runnable answer) {
        if (!durable || context.persistence() == null) {
            answer.run();
            return;
        }
        context.persistence().flush(failure -> {
            if (failure == null) {
                answer.run();
            } else {
                reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.errorBody("internal_server_error",
                        "could not write to disk: " + failure.getMessage()));
            }
        });
    }
}
