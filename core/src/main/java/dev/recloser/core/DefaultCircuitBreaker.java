package dev.recloser.core;

import dev.recloser.core.CircuitBreaker.State;
import dev.recloser.core.StateTransition.Reason;
import dev.recloser.core.fleet.FleetControl;
import dev.recloser.core.internal.BreakerProtocol;
import dev.recloser.core.internal.window.OutcomeWindow;
import dev.recloser.core.internal.window.Windows;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The circuit breaker state machine.
 *
 * <p>Implementation notes.
 *
 * <p>The whole state is one immutable {@link BreakerState} in {@link #state}, replaced only by
 * compare-and-set. A snapshot is published by a CAS (volatile write semantics) and read with a
 * volatile read, so a reader that sees a snapshot also sees its fields and the run and window it
 * points to fully constructed (they are final fields, and the window was built before the CAS).
 *
 * <p>The CLOSED path is one volatile read: the permit is the generation plus a kind tag, no write.
 * Recording an outcome reads the state again, drops the outcome if the generation moved on, and
 * records into the run of the snapshot it read. A recorder may be descheduled between that read and
 * its window update while the breaker transitions; its outcome then lands in a run that no snapshot
 * points to any more (each CLOSED period has its own run), so stale outcomes can never decide a
 * later generation. A trip is a CAS from the exact snapshot the verdict was computed on: if two
 * threads both see the threshold crossed, one CAS wins and only the winner logs and notifies.
 *
 * <p>OPEN moves to HALF_OPEN lazily: the first caller after the deadline CASes OPEN to HALF_OPEN
 * with one trial already taken by itself, so the wait needs no timer thread and exactly one caller
 * wins the first trial. HALF_OPEN bookkeeping (permits out, successes) is CASed snapshot by
 * snapshot with the generation unchanged; outcomes check both generation and state.
 *
 * <p>Metrics-only mode changes one thing: where a call would be rejected, it gets a DISABLED-kind
 * permit (its outcome is not recorded) and is counted as a shadow rejection. The state machine, its
 * events and its log are the same as in enforcing mode.
 *
 * <p>Events are published after the CAS by its winner. Two transitions made by different threads
 * in quick succession may reach listeners out of order; {@link StateTransition#generation()}
 * orders them.
 */
final class DefaultCircuitBreaker implements CircuitBreaker, BreakerProtocol, FleetControl {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultCircuitBreaker.class, "state", BreakerState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Permit layout: generation << 2 | kind. Kind 0 is NO_PERMIT, so no granted permit equals it.
    private static final int KIND_BITS = 2;
    private static final long KIND_MASK = (1L << KIND_BITS) - 1;
    private static final int KIND_CLOSED = 1;
    private static final int KIND_HALF_OPEN = 2;
    private static final int KIND_DISABLED = 3;

    // Verdict bit for consecutive failures, next to the window's rate verdict bits.
    private static final int TRIP_CONSECUTIVE = 4;

    /** The longest manual open: 100 years keeps every deadline far from nanoTime's 292-year wrap. */
    private static final Duration MAX_MANUAL_OPEN = Duration.ofDays(36_525);

    private final String name;
    private final CircuitBreakerConfig config;
    private final Map<String, String> tags;
    private final boolean metricsOnly;
    private final NanoClock clock;
    private final boolean timeWindow;
    private final long slowNanos;
    private final boolean detectsSlowCalls;
    private final int consecutiveFailureThreshold;
    private final int permittedTrials;
    private final LongAdder notPermitted = new LongAdder();

    @SuppressWarnings("unused") // accessed through STATE and plain volatile reads
    private volatile BreakerState state;
    private volatile Listeners listeners = Listeners.NONE;
    /**
     * Transition-only listeners ({@link FleetControl#addTransitionListener}): kept apart so that
     * they neither make callers time their calls nor sit on the outcome and rejection paths.
     */
    private volatile Listeners transitionListeners = Listeners.NONE;

    DefaultCircuitBreaker(String name, CircuitBreakerConfig config, Map<String, String> tags) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.tags = copyTags(tags);
        this.metricsOnly = config.metricsOnly;
        this.clock = config.clock;
        this.timeWindow = config.slidingWindow.type() == SlidingWindow.Type.TIME_BASED;
        this.slowNanos = config.slowCallDurationThresholdNanos;
        this.detectsSlowCalls = config.detectsSlowCalls();
        this.consecutiveFailureThreshold = config.consecutiveFailureThreshold;
        this.permittedTrials = config.permittedCallsInHalfOpenState;
        this.state = BreakerState.closed(0, newRun(clock.nanoTime()));
    }

    /** An immutable copy that keeps the caller's order (tags are shown in that order). */
    static Map<String, String> copyTags(Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        if (tags.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        tags.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "tag key"),
                Objects.requireNonNull(v, () -> "value of tag '" + k + "'")));
        return java.util.Collections.unmodifiableMap(copy);
    }

    private ClosedRun newRun(long nowNanos) {
        OutcomeWindow window = Windows.newWindow(config.slidingWindow, config.tripRule, nowNanos);
        return new ClosedRun(window);
    }

    private static long permit(long generation, int kind) {
        return generation << KIND_BITS | kind;
    }

    private static long generationOf(long permit) {
        return permit >>> KIND_BITS;
    }

    private boolean casState(BreakerState expected, BreakerState next) {
        return STATE.compareAndSet(this, expected, next);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CircuitBreakerConfig config() {
        return config;
    }

    @Override
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public State state() {
        return state.state;
    }

    @Override
    public boolean wantsCallDurations() {
        return detectsSlowCalls || !listeners.isEmpty();
    }

    // ---------------------------------------------------------------- permits

    @Override
    public long tryAcquirePermit() {
        BreakerState s = state;
        if (s.state == State.CLOSED) {
            return permit(s.generation, KIND_CLOSED);
        }
        return acquireSlow(s);
    }

    @Override
    public long tryAcquirePermit(long nowNanos) {
        BreakerState s = state;
        if (s.state == State.CLOSED) {
            return permit(s.generation, KIND_CLOSED);
        }
        return acquireSlow(s, nowNanos, true);
    }

    private long acquireSlow(BreakerState s) {
        return acquireSlow(s, 0L, false);
    }

    /** The non-CLOSED paths; {@code now} is read from the clock only if needed and not given. */
    private long acquireSlow(BreakerState s, long now, boolean haveNow) {
        for (;;) {
            switch (s.state) {
                case CLOSED:
                    return permit(s.generation, KIND_CLOSED);
                case DISABLED:
                    return permit(s.generation, KIND_DISABLED);
                case FORCED_OPEN:
                    return reject(s);
                case OPEN: {
                    if (!haveNow) {
                        now = clock.nanoTime();
                        haveNow = true;
                    }
                    if (now - s.deadlineNanos < 0) { // overflow-safe comparison, as for nanoTime
                        return reject(s);
                    }
                    BreakerState next = s.toHalfOpenWithOneTrial(now + config.maxWaitInHalfOpenStateNanos);
                    if (casState(s, next)) {
                        publish(s, next, Reason.OPEN_WAIT_ELAPSED, now);
                        return permit(next.generation, KIND_HALF_OPEN);
                    }
                    break;
                }
                case HALF_OPEN: {
                    if (!haveNow) {
                        now = clock.nanoTime();
                        haveNow = true;
                    }
                    if (s.trialsInFlight < permittedTrials) {
                        if (casState(s, s.withTrialGranted(now + config.maxWaitInHalfOpenStateNanos))) {
                            return permit(s.generation, KIND_HALF_OPEN);
                        }
                    } else if (now - s.deadlineNanos >= 0) {
                        // Every trial is out and none was granted for maxWaitInHalfOpenState: presume them
                        // stuck and re-open rather than reject forever. Their late outcomes are dropped.
                        BreakerState next = s.toOpen(now + OpenWait.nanos(config, s.trips + 1));
                        if (casState(s, next)) {
                            publish(s, next, Reason.TRIALS_TIMED_OUT, now);
                            return reject(next);
                        }
                    } else {
                        return reject(s);
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("unknown state " + s.state);
            }
            s = state; // lost a CAS: retry on the fresh snapshot
        }
    }

    private long reject(BreakerState s) {
        notPermitted.increment();
        if (metricsOnly) {
            // Shadow mode: the call runs with a permit that records nothing (its outcome would not
            // have existed in enforcing mode, so it must not steer the state machine either).
            listeners.onShadowRejection(this, s.state);
            return permit(s.generation, KIND_DISABLED);
        }
        listeners.onCallNotPermitted(this, s.state);
        return NO_PERMIT;
    }

    @Override
    public CallNotPermittedException callNotPermitted() {
        BreakerState s = state;
        // Only OPEN's retry-after depends on the time: FORCED_OPEN and HALF_OPEN read no clock.
        long now = s.state == State.OPEN ? clock.nanoTime() : 0L;
        return new CallNotPermittedException(name, s.state, remainingNanos(s, now));
    }

    @Override
    public CallNotPermittedException callNotPermitted(long nowNanos) {
        BreakerState s = state;
        return new CallNotPermittedException(name, s.state, remainingNanos(s, nowNanos));
    }

    @Override
    public Duration remainingOpenDuration() {
        BreakerState s = state;
        return remaining(s, s.state == State.OPEN ? clock.nanoTime() : 0L);
    }

    private Duration remaining(BreakerState s, long now) {
        long nanos = remainingNanos(s, now);
        return nanos == 0L ? Duration.ZERO : Duration.ofNanos(nanos);
    }

    private long remainingNanos(BreakerState s, long now) {
        switch (s.state) {
            case OPEN:
                long left = s.deadlineNanos - now;
                return left > 0 ? left : 0L;
            case FORCED_OPEN:
                return config.waitDurationInOpenStateNanos;
            default:
                return 0L;
        }
    }

    // ---------------------------------------------------------------- outcomes

    @Override
    public void onSuccess(long permit, long durationNanos) {
        int kind = (int) (permit & KIND_MASK);
        if (kind != KIND_CLOSED && kind != KIND_HALF_OPEN) {
            return; // DISABLED records nothing; NO_PERMIT is a caller bug with nothing to undo
        }
        recordClassified(permit, kind, durationNanos, false, null, null);
    }

    @Override
    public void onError(long permit, long durationNanos, Throwable error) {
        Objects.requireNonNull(error, "error");
        int kind = (int) (permit & KIND_MASK);
        if (kind != KIND_CLOSED && kind != KIND_HALF_OPEN) {
            return;
        }
        boolean ignored;
        boolean failure;
        try {
            ignored = config.ignoreErrors.test(error);
            failure = !ignored && config.recordFailure.test(error);
        } catch (RuntimeException | Error e) {
            releasePermit(permit); // exactly one outcome per permit, even when classification fails
            throw e;
        }
        if (ignored) {
            releasePermit(permit);
            listeners.onIgnoredError(this, durationNanos, error);
            return;
        }
        recordClassified(permit, kind, durationNanos, failure, error, null);
    }

    @Override
    public void onResult(long permit, long durationNanos, Object result) {
        int kind = (int) (permit & KIND_MASK);
        if (kind != KIND_CLOSED && kind != KIND_HALF_OPEN) {
            return;
        }
        boolean failure;
        try {
            failure = config.recordResult != null && config.recordResult.test(result);
        } catch (RuntimeException | Error e) {
            releasePermit(permit);
            throw e;
        }
        recordClassified(permit, kind, durationNanos, failure, null, result);
    }

    private void recordClassified(long permit, int kind, long durationNanos, boolean failure,
                                  Throwable error, Object result) {
        boolean slow = durationNanos > slowNanos;
        // Listeners hear of the call before any transition it causes, so they see "failure" then
        // "CLOSED -> OPEN". They hear of every finished call, also one whose generation is over.
        if (failure) {
            listeners.onFailure(this, durationNanos, slow, error, result);
        } else {
            listeners.onSuccess(this, durationNanos, slow);
        }
        if (kind == KIND_CLOSED) {
            recordClosed(permit, (failure ? OutcomeWindow.FAILED : 0) | (slow ? OutcomeWindow.SLOW : 0));
        } else {
            recordTrial(permit, !failure && !slow);
        }
    }

    private void recordClosed(long permit, int outcome) {
        BreakerState s = state;
        if (s.generation != generationOf(permit)) {
            return; // admitted in an older generation: dropped
        }
        // A count window ignores the time: only a time window pays for a clock read here.
        long now = timeWindow ? clock.nanoTime() : 0L;
        int verdict = s.run.window.record(outcome, now);
        if (consecutiveFailureThreshold > 0) {
            if ((outcome & OutcomeWindow.FAILED) != 0) {
                if (s.run.incrementConsecutiveFailures() >= consecutiveFailureThreshold) {
                    verdict |= TRIP_CONSECUTIVE;
                }
            } else {
                s.run.clearConsecutiveFailures();
            }
        }
        if (verdict != OutcomeWindow.KEEP) {
            trip(s, verdict, timeWindow ? now : clock.nanoTime());
        }
    }

    private void trip(BreakerState s, int verdict, long now) {
        BreakerState next = s.toOpen(now + OpenWait.nanos(config, s.trips + 1));
        if (casState(s, next)) {
            Reason reason = (verdict & OutcomeWindow.TRIP_FAILURE_RATE) != 0 ? Reason.FAILURE_RATE
                    : (verdict & OutcomeWindow.TRIP_SLOW_CALL_RATE) != 0 ? Reason.SLOW_CALL_RATE
                    : Reason.CONSECUTIVE_FAILURES;
            publish(s, next, reason, now);
        }
        // Lost the CAS: another thread tripped it (and published) or the state moved on.
    }

    /**
     * Settles one trial. A trial succeeds only if it neither failed nor was slow: a slow trial says
     * the dependency is still degraded.
     */
    private void recordTrial(long permit, boolean succeeded) {
        long generation = generationOf(permit);
        for (;;) {
            BreakerState s = state;
            if (s.generation != generation || s.state != State.HALF_OPEN || s.trialsInFlight == 0) {
                // The trial's generation is over (re-opened, closed or manual): dropped. No trial out
                // means a duplicate report for an already settled permit: dropped too.
                return;
            }
            BreakerState next;
            long now = clock.nanoTime();
            Reason reason;
            if (!succeeded) {
                next = s.toOpen(now + OpenWait.nanos(config, s.trips + 1));
                reason = Reason.TRIAL_FAILED;
            } else if (s.trialSuccesses + 1 >= permittedTrials) {
                next = s.toClosed(newRun(now));
                reason = Reason.TRIALS_SUCCEEDED;
            } else {
                next = s.withTrialReturned(true);
                reason = null;
            }
            if (casState(s, next)) {
                if (reason != null) {
                    publish(s, next, reason, now);
                }
                return;
            }
        }
    }

    @Override
    public void releasePermit(long permit) {
        if ((permit & KIND_MASK) != KIND_HALF_OPEN) {
            return; // CLOSED and DISABLED permits hold nothing
        }
        long generation = generationOf(permit);
        for (;;) {
            BreakerState s = state;
            if (s.generation != generation || s.state != State.HALF_OPEN || s.trialsInFlight == 0) {
                return;
            }
            if (casState(s, s.withTrialReturned(false))) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- manual transitions

    @Override
    public void transitionToOpen() {
        openManually(config.waitDurationInOpenStateNanos);
    }

    @Override
    public void transitionToOpenFor(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_MANUAL_OPEN) > 0) {
            throw new IllegalArgumentException("transitionToOpenFor.duration must be positive and at most "
                    + MAX_MANUAL_OPEN.toDays() + " days, was " + duration);
        }
        openManually(duration.toNanos());
    }

    @Override
    public void transitionToOpenUntil(Instant until) {
        Objects.requireNonNull(until, "until");
        Instant now = config.wallClock.instant();
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("transitionToOpenUntil.until must be in the future, was " + until
                    + " (now " + now + ")");
        }
        Duration duration = Duration.between(now, until);
        if (duration.compareTo(MAX_MANUAL_OPEN) > 0) {
            throw new IllegalArgumentException("transitionToOpenUntil.until must be at most "
                    + MAX_MANUAL_OPEN.toDays() + " days ahead, was " + until + " (now " + now + ")");
        }
        openManually(duration.toNanos());
    }

    private void openManually(long waitNanos) {
        for (;;) {
            BreakerState s = state;
            long now = clock.nanoTime();
            if (s.state == State.OPEN) {
                // Same state: only the deadline moves. Same generation, so nothing published and no
                // permit made stale (an OPEN breaker has no live permits anyway).
                if (casState(s, s.withDeadline(now + waitNanos))) {
                    return;
                }
                continue;
            }
            BreakerState next = s.toOpenManually(now + waitNanos);
            if (casState(s, next)) {
                publish(s, next, Reason.MANUAL, now);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- fleet verdicts

    private static long fleetNanos(String option, Duration remaining) {
        Objects.requireNonNull(remaining, option);
        if (remaining.isNegative() || remaining.isZero() || remaining.compareTo(MAX_MANUAL_OPEN) > 0) {
            throw new IllegalArgumentException(option + " must be positive and at most "
                    + MAX_MANUAL_OPEN.toDays() + " days, was " + remaining);
        }
        return remaining.toNanos();
    }

    @Override
    public boolean openByFleet(Duration remaining) {
        long waitNanos = fleetNanos("openByFleet.remaining", remaining);
        for (;;) {
            BreakerState s = state;
            if (s.state == State.FORCED_OPEN || s.state == State.DISABLED) {
                return false;
            }
            long now = clock.nanoTime();
            if (s.state == State.OPEN) {
                // Align with the shared deadline: same generation, nothing published.
                if (casState(s, s.withDeadline(now + waitNanos))) {
                    return true;
                }
                continue;
            }
            BreakerState next = s.toOpenManually(now + waitNanos);
            if (casState(s, next)) {
                publish(s, next, Reason.FLEET, now);
                return true;
            }
        }
    }

    @Override
    public boolean closeByFleet() {
        for (;;) {
            BreakerState s = state;
            if (s.state != State.OPEN && s.state != State.HALF_OPEN) {
                return false;
            }
            long now = clock.nanoTime();
            BreakerState next = s.toClosed(newRun(now));
            if (casState(s, next)) {
                publish(s, next, Reason.FLEET, now);
                return true;
            }
        }
    }

    @Override
    public boolean holdOpen(Duration remaining) {
        long waitNanos = fleetNanos("holdOpen.remaining", remaining);
        for (;;) {
            BreakerState s = state;
            if (s.state != State.OPEN) {
                return false;
            }
            long until = clock.nanoTime() + waitNanos;
            if (until - s.deadlineNanos <= 0) {
                return false; // the deadline only grows
            }
            if (casState(s, s.withDeadline(until))) {
                return true;
            }
        }
    }

    @Override
    public void transitionToForcedOpen() {
        manual(State.FORCED_OPEN, Reason.MANUAL);
    }

    @Override
    public void transitionToDisabled() {
        manual(State.DISABLED, Reason.MANUAL);
    }

    @Override
    public void transitionToClosed() {
        manual(State.CLOSED, Reason.MANUAL);
    }

    @Override
    public void reset() {
        notPermitted.reset();
        manual(State.CLOSED, Reason.RESET);
    }

    /**
     * A manual transition. Into the state the breaker is in already it is a no-op (no event, no log,
     * no new generation, so permits out stay valid), except for {@link #reset()}, which always
     * starts afresh.
     */
    private void manual(State target, Reason reason) {
        for (;;) {
            BreakerState s = state;
            if (s.state == target && reason != Reason.RESET) {
                return;
            }
            long now = clock.nanoTime();
            BreakerState next = target == State.CLOSED ? s.toClosed(newRun(now)) : s.toManual(target);
            if (casState(s, next)) {
                publish(s, next, reason, now);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- observation

    @Override
    public CircuitBreakerMetrics metrics() {
        return metrics(state, clock.nanoTime());
    }

    private CircuitBreakerMetrics metrics(BreakerState s, long now) {
        var counts = s.run.window.counts(now);
        return new CircuitBreakerMetrics(s.state, counts.calls(), counts.failedCalls(), counts.slowCalls(),
                notPermitted.sum(), s.run.consecutiveFailures(), config.minimumNumberOfCalls,
                remaining(s, now));
    }

    private void publish(BreakerState from, BreakerState to, Reason reason, long now) {
        Listeners l = listeners;
        Listeners tl = transitionListeners;
        boolean log = config.logTransitions && TransitionLog.enabled(to.state);
        if (l.isEmpty() && tl.isEmpty() && !log) {
            return;
        }
        StateTransition t = new StateTransition(name, from.state, to.state, to.generation, reason, metrics(to, now), this);
        if (log) {
            TransitionLog.log(t, config);
        }
        l.onStateTransition(t);
        tl.onStateTransition(t);
    }

    @Override
    public ListenerRegistration addTransitionListener(CircuitBreakerListener listener) {
        return registerTransitionListener(listener);
    }

    @Override
    public ListenerRegistration addListener(CircuitBreakerListener listener) {
        Objects.requireNonNull(listener, "listener");
        // Registration is rare: a copy-on-write array behind a volatile field, swapped by a
        // compare-and-set loop on the field's current value.
        for (;;) {
            Listeners current = listeners;
            if (LISTENERS.compareAndSet(this, current, current.with(listener))) {
                break;
            }
        }
        return () -> {
            for (;;) {
                Listeners current = listeners;
                Listeners next = current.without(listener);
                if (next == current || LISTENERS.compareAndSet(this, current, next)) {
                    return;
                }
            }
        };
    }

    private ListenerRegistration registerTransitionListener(CircuitBreakerListener listener) {
        Objects.requireNonNull(listener, "listener");
        // As addListener, on the transition-only set.
        for (;;) {
            Listeners current = transitionListeners;
            if (TRANSITION_LISTENERS.compareAndSet(this, current, current.with(listener))) {
                break;
            }
        }
        return () -> {
            for (;;) {
                Listeners current = transitionListeners;
                Listeners next = current.without(listener);
                if (next == current || TRANSITION_LISTENERS.compareAndSet(this, current, next)) {
                    return;
                }
            }
        };
    }

    private static final VarHandle LISTENERS;
    private static final VarHandle TRANSITION_LISTENERS;

    static {
        try {
            LISTENERS = MethodHandles.lookup().findVarHandle(DefaultCircuitBreaker.class, "listeners", Listeners.class);
            TRANSITION_LISTENERS = MethodHandles.lookup().findVarHandle(DefaultCircuitBreaker.class, "transitionListeners", Listeners.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker{name='" + name + "', state=" + state + '}';
    }
}
