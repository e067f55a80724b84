package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A completion a test can wait for. */
final class Done implements Completion {

    private final CompletableFuture<Throwable> result = new CompletableFuture<>();

    @Override
    public void completed(Throwable failureOrNull) {
        result.complete(failureOrNull);
    }

    boolean isDone() {
        return result.isDone();
    }

    /** Waits for the completion and returns its failure (null on success). */
    Throwable failure() {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("completion did not run", e);
        }
    }

    /** Waits for the completion and asserts that it succeeded. */
    void ok() {
        Throwable failure = failure();
        if (failure != null) {
            throw new AssertionError("completion failed", failure);
        }
        assertNull(failure);
    }
}
