/**
 * Internal: the live sliding windows of call outcomes that a circuit breaker evaluates its trip
 * conditions on. Not exported by the module and not an API; applications describe a window with
 * {@link dev.recloser.core.SlidingWindow} and read its figures in
 * {@link dev.recloser.core.CircuitBreakerMetrics}.
 *
 * <p>Behind {@link dev.recloser.core.internal.window.OutcomeWindow} are a count-based ring of the
 * last N outcomes ({@code CountWindow}) and a time-based ring of buckets ({@code TimeWindow}), both
 * lock-free and package-private; {@link dev.recloser.core.internal.window.Windows} builds them.
 *
 * <h2>Memory-access vocabulary</h2>
 *
 * <p>In the implementation classes, a private accessor over a {@code VarHandle} ends with the access
 * mode it uses, from weakest to strongest:
 * <ul>
 *   <li>{@code xOpaque()}: an opaque load: atomic (no torn {@code long}), coherent for that variable
 *       and never hoisted out of a loop, but with no ordering of other variables;</li>
 *   <li>{@code xAcquire()}: an acquire load: later loads and stores of this thread stay after it;
 *       it pairs with a release store or add whose earlier writes it must see;</li>
 *   <li>{@code setXRelease()}, {@code getAndAddXRelease()}, {@code compareAndExchangeXRelease()}:
 *       earlier loads and stores of this thread stay before it (a publication point);</li>
 *   <li>{@code getAndAddXAcquire()}, {@code getAndSetXAcquire()}: an atomic read-modify-write whose
 *       only required property is atomicity (Java has no relaxed read-modify-write, so the acquire
 *       or release form is used instead of the sequentially consistent one).</li>
 * </ul>
 * Each class's implementation notes say why the mode it uses is sufficient; every release that
 * publishes something names the acquire it pairs with.
 */
package dev.recloser.core.internal.window;
