package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.Broker;

/**
 * Answers a change to something durable once the store has it, as queue.declare-ok and its
 * kin wait for the disk: a 201 or 204 must survive a crash right after it.
 */
final class Disk {

    private Disk() {}

    static void afterWrite(Broker broker, boolean durable, HttpResponses reply, Runnable answer) {
        if (!durable || broker.persistence() == null) {
            answer.run();
            return;
        }
        broker.persistence().flush(failure -> {
            if (failure == null) {
                answer.run();
            } else {
                reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, HttpResponses.errorBody("internal_server_error",
                        "could not write to disk: " + failure.getMessage()));
            }
        });
    }
}
