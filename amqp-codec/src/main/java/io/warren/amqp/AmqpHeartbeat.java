package io.warren.amqp;

/** A heartbeat frame: decoded from the wire, and written by {@link AmqpEncoder}. */
public enum AmqpHeartbeat {
    INSTANCE
}
