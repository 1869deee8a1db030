package dev.recloser.testing;

/** Iteration counts for concurrency proofs: moderate in CI, raised with a system property. */
public final class RaceSupport {

    private RaceSupport() {
    }

    /** {@code -Drecloser.race.iterations=N} (default 2000); scale a test's base count by it. */
    public static int iterations() {
        return Integer.getInteger("recloser.race.iterations", 2000);
    }
}
