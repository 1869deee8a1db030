package dev.recloser.core.internal.window;

/**
 * Aggregate counts of the outcomes inside a window at one instant.
 *
 * @param calls       outcomes in the window
 * @param failedCalls failed outcomes (slow or not)
 * @param slowCalls   slow outcomes (failed or not): a slow failure counts in both
 */
public record WindowCounts(long calls, long failedCalls, long slowCalls) {

    /** An empty window. */
    public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0);

    public WindowCounts {
        if (calls < 0 || failedCalls < 0 || slowCalls < 0 || failedCalls > calls || slowCalls > calls) {
            throw new IllegalArgumentException("inconsistent counts: calls=" + calls
                    + ", failedCalls=" + failedCalls + ", slowCalls=" + slowCalls);
        }
    }
}
