package dev.recloser.core;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable set of listeners presented as one. The breaker holds {@link #NONE} until somebody
 * registers, so the no-listener case is a call to an empty method that the JIT inlines away.
 * Exceptions thrown by a listener are logged and never reach the call path.
 */
final class Listeners implements CircuitBreakerListener {

    static final Listeners NONE = new Listeners(new CircuitBreakerListener[0]);

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final CircuitBreakerListener[] listeners;

    private Listeners(CircuitBreakerListener[] listeners) {
        this.listeners = listeners;
    }

    Listeners with(CircuitBreakerListener listener) {
        CircuitBreakerListener[] copy = Arrays.copyOf(listeners, listeners.length + 1);
        copy[listeners.length] = listener;
        return new Listeners(copy);
    }

    Listeners without(CircuitBreakerListener listener) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                if (listeners.length == 1) {
                    return NONE;
                }
                CircuitBreakerListener[] copy = new CircuitBreakerListener[listeners.length - 1];
                System.arraycopy(listeners, 0, copy, 0, i);
                System.arraycopy(listeners, i + 1, copy, i, listeners.length - i - 1);
                return new Listeners(copy);
            }
        }
        return this;
    }

    boolean isEmpty() {
        return listeners.length == 0;
    }

    @Override
    public void onStateTransition(StateTransition transition) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onStateTransition(transition);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    @Override
    public void onCallNotPermitted(CircuitBreaker breaker, CircuitBreaker.State state) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onCallNotPermitted(breaker, state);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    @Override
    public void onShadowRejection(CircuitBreaker breaker, CircuitBreaker.State state) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onShadowRejection(breaker, state);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    @Override
    public void onSuccess(CircuitBreaker breaker, long durationNanos, boolean slow) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onSuccess(breaker, durationNanos, slow);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    @Override
    public void onFailure(CircuitBreaker breaker, long durationNanos, boolean slow, Throwable error, Object result) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onFailure(breaker, durationNanos, slow, error, result);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    @Override
    public void onIgnoredError(CircuitBreaker breaker, long durationNanos, Throwable error) {
        for (CircuitBreakerListener l : listeners) {
            try {
                l.onIgnoredError(breaker, durationNanos, error);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    private static void failed(CircuitBreakerListener listener, Throwable t) {
        if (t instanceof VirtualMachineError vme) {
            throw vme;
        }
        try {
            LOG.warn("CircuitBreakerListener {} threw; the event is dropped for it", listener, t);
        } catch (RuntimeException logFailure) {
            // A failing log backend must not reach the call path either; nothing else can be done.
        }
    }
}
