package dev.recloser.core;

/** Removes a listener registered with {@link CircuitBreaker#addListener}. */
@FunctionalInterface
public interface ListenerRegistration extends AutoCloseable {

    /** Removes the listener; further calls do nothing. */
    void remove();

    /** Same as {@link #remove()}. */
    @Override
    default void close() {
        remove();
    }
}
