package io.warren.exchange;

/**
 * The exchange type refused a binding's arguments (for instance a headers binding whose
 * {@code x-match} is not all, any, all-with-x or any-with-x). RabbitMQ answers such a bind with
 * 406 PRECONDITION_FAILED and the message as reply text.
 */
public final class InvalidBindingException extends IllegalArgumentException {

    public InvalidBindingException(String message) {
        super(message);
    }
}
