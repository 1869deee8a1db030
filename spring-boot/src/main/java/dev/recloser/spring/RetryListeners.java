package dev.recloser.spring;

import dev.recloser.core.retry.RetryListener;

/**
 * The retry listener for a named retrier: a meter binder when Micrometer is present, else
 * {@link RetryListener#NONE}. An indirection so that the core wiring never loads Micrometer types.
 */
@FunctionalInterface
interface RetryListeners {

    RetryListeners NONE = name -> RetryListener.NONE;

    RetryListener forName(String name);
}
