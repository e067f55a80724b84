package io.warren.compat.fuzz;

/** The broker did what it must not: accepted what it must refuse, refused what it must accept. */
final class FuzzViolation extends RuntimeException {
    FuzzViolation(String message) {
        super(message);
    }
}
