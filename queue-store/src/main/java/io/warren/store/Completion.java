package io.warren.store;

/**
 * Told once when a store operation has become durable, or has failed.
 *
 * <p>In {@link MvStoreMessageStore} it runs on the store's writer thread, after the fsync that
 * made the operation durable: keep it short (complete a future, hand a confirm to the
 * publisher's event loop) and never block or call back into the store synchronously waiting.
 * Completions of one caller run in the order that caller submitted its operations.
 */
@FunctionalInterface
public interface Completion {

    /** @param failureOrNull null when the operation is durable, else why it is not */
    void completed(Throwable failureOrNull);
}
