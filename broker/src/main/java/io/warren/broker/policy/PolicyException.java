package io.warren.broker.policy;

/** A policy or parameter refused, with RabbitMQ's reason text (the HTTP API answers it with 400). */
public final class PolicyException extends RuntimeException {

    public PolicyException(String reason) {
        super(reason, null, false, false);
    }

    /** RabbitMQ's wording of a failed validation: "Validation failed\n\n" then the reason. */
    static PolicyException validation(String reason) {
        return new PolicyException("Validation failed\n\n" + reason + "\n");
    }
}
