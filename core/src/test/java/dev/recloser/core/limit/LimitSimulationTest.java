package dev.recloser.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recloser.testing.ManualClock;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each algorithm against {@link DependencyModel} on virtual time: capacity C = 50 workers, 10 ms
 * service (+-20%), offered load 2x the capacity's throughput, 100 ms windows. "Within 20%" is
 * {@code [0.8 C, 1.2 C]}. Where an algorithm cannot meet a goal in this model, the test pins what it
 * does instead (named so), and docs/limits.md shows the figures; the goals were not bent to fit.
 */
class LimitSimulationTest {

    private static final int C = 50;
    private static final long SERVICE_NANOS = Duration.ofMillis(10).toNanos();

    private final ManualClock clock = new ManualClock();

    private DependencyModel model(LimitAlgorithm algorithm) {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of("sim", ConcurrencyLimitConfig.builder()
                .algorithm(algorithm).clock(clock).window(Duration.ofMillis(100)).build());
        return new DependencyModel(clock, limiter, C, SERVICE_NANOS, 2.0);
    }

    /** The first index from which every value stays in [lo, hi]; -1 if the last one is outside. */
    static int settledFrom(List<Integer> limits, int lo, int hi) {
        int from = limits.size();
        for (int i = limits.size() - 1; i >= 0 && limits.get(i) >= lo && limits.get(i) <= hi; i--) {
            from = i;
        }
        return from == limits.size() ? -1 : from;
    }

    private static String figures(String label, List<Integer> limits, int lo, int hi) {
        IntSummaryStatistics s = limits.subList(Math.max(0, limits.size() - 100), limits.size()).stream()
                .mapToInt(Integer::intValue).summaryStatistics();
        String line = label + ": settled in [" + lo + ", " + hi + "] from window " + settledFrom(limits, lo, hi)
                + " of " + limits.size() + "; last 100 windows min " + s.getMin() + " max " + s.getMax();
        System.out.println(line);
        return line;
    }

    /**
     * Runs the three phases (C, then C/2, then C again, {@code windows} each) and checks that each ends
     * settled within 20% of the capacity of the phase, within {@code bound} windows, and stays there.
     */
    private void convergesFollowsAndRecovers(String name, LimitAlgorithm algorithm, int windows, int bound) {
        DependencyModel m = model(algorithm).runWindows(windows);
        List<Integer> phase1 = List.copyOf(m.limits());
        figures(name + " C=50", phase1, 40, 60);
        assertThat(settledFrom(phase1, 40, 60)).as(name + " converges to within 20% of C").isBetween(0, bound);

        m.capacity(C / 2).runWindows(windows);
        List<Integer> phase2 = List.copyOf(m.last(windows));
        figures(name + " C=25", phase2, 20, 30);
        assertThat(settledFrom(phase2, 20, 30)).as(name + " follows C/2").isBetween(0, bound);

        m.capacity(C).runWindows(windows);
        List<Integer> phase3 = List.copyOf(m.last(windows));
        figures(name + " C=50 again", phase3, 40, 60);
        assertThat(settledFrom(phase3, 40, 60)).as(name + " recovers").isBetween(0, bound);
    }

    @Test
    void aimdWithATimeoutNearTheBaseLatencyConvergesFromFarBelow() {
        // AIMD only reacts to drops: its timeout (12 ms = 1.2 x the base latency) is what turns
        // queueing into drops. With the default 5 s it would grow to maxLimit in this model.
        convergesFollowsAndRecovers("AIMD from 5", AimdLimit.builder().initialLimit(5).minLimit(1).maxLimit(1000)
                .timeout(Duration.ofMillis(12)).build(), 300, 100);
    }

    @Test
    void aimdWithATimeoutNearTheBaseLatencyConvergesFromFarAbove() {
        convergesFollowsAndRecovers("AIMD from 500", AimdLimit.builder().initialLimit(500).minLimit(1).maxLimit(1000)
                .timeout(Duration.ofMillis(12)).build(), 300, 100);
    }

    @Test
    void aimdWithItsDefaultTimeoutNeverSeesADropAndGrowsToItsMaximum() {
        DependencyModel m = model(AimdLimit.builder().initialLimit(5).minLimit(1).build()).runWindows(300);
        figures("AIMD defaults", m.limits(), 40, 60);
        assertThat(m.last(50)).containsOnly(200);
    }

    @Test
    void vegasConvergesFromFarBelowFollowsAHalvingAndRecovers() {
        convergesFollowsAndRecovers("Vegas from 5", VegasLimit.builder().initialLimit(5).build(), 300, 100);
    }

    @Test
    void vegasFromFarAboveLearnsAQueuedBaselineAndStaysAbove() {
        // Known limitation, not tuned away: started at 10 x C under 2x load, the queue never drains,
        // so the smallest window average Vegas sees (its no-load latency) already includes queueing;
        // it settles where that inflated baseline says the queue is small, about 3 x C.
        DependencyModel m = model(VegasLimit.builder().initialLimit(500).build()).runWindows(300);
        figures("Vegas from 500", m.limits(), 40, 60);
        assertThat(m.last(100)).allSatisfy(l -> assertThat(l).isGreaterThan(2 * C).isLessThan(500));
    }

    @Test
    void gradient2WithItsDefaultsDriftsUpwardUnderSustainedOverload() {
        // Known limitation, not tuned away: the long-term latency is an average over 600 windows of
        // the observed latency, so under sustained queueing it follows the queued latency, and the
        // 1.5 tolerance lets the limit grow by queueSize * smoothing per window above it.
        DependencyModel m = model(Gradient2Limit.builder().initialLimit(5).minLimit(1).maxLimit(1000).build())
                .runWindows(400);
        figures("Gradient2 defaults from 5", m.limits(), 40, 60);
        List<Integer> tail = m.last(100);
        assertThat(tail.get(99)).isGreaterThan(tail.get(0)).isGreaterThan(2 * C);
    }

    @Test
    void gradient2WithoutToleranceConvergesFromBelowButOvershootsAfterAHalving() {
        // rttTolerance 1.0 brings the first convergence within 20%, but after the halving the
        // baseline has already absorbed the queue of the first phase, so it settles above 1.2 x C/2.
        DependencyModel m = model(Gradient2Limit.builder().initialLimit(5).minLimit(1).maxLimit(1000)
                .rttTolerance(1.0).build()).runWindows(300);
        figures("Gradient2 tolerance 1.0 C=50", m.limits(), 40, 60);
        assertThat(settledFrom(m.limits(), 40, 60)).isBetween(0, 100);
        m.capacity(C / 2).runWindows(300);
        figures("Gradient2 tolerance 1.0 C=25", m.last(300), 20, 30);
        assertThat(m.last(100)).allSatisfy(l -> assertThat(l).isGreaterThan(30));
    }

    @Test
    void gradient2FromFarAboveNeverComesDownToTheCapacity() {
        // Known limitation, not tuned away: started at 10 x C, the long-term latency is learnt from
        // windows that are already queued, so the gradient stays near 1 (defaults: it keeps growing;
        // tolerance 1.0: it stays put). Either way it stays above 2 x C.
        DependencyModel defaults = model(Gradient2Limit.builder().initialLimit(500).minLimit(1).maxLimit(1000).build())
                .runWindows(300);
        figures("Gradient2 defaults from 500", defaults.limits(), 40, 60);
        assertThat(defaults.last(100)).allSatisfy(l -> assertThat(l).isGreaterThan(2 * C));
        DependencyModel strict = new DependencyModel(clock, ConcurrencyLimiter.of("sim2", ConcurrencyLimitConfig.builder()
                .algorithm(Gradient2Limit.builder().initialLimit(500).minLimit(1).maxLimit(1000).rttTolerance(1.0).build())
                .clock(clock).window(Duration.ofMillis(100)).build()), C, SERVICE_NANOS, 2.0).runWindows(300);
        figures("Gradient2 tolerance 1.0 from 500", strict.limits(), 40, 60);
        assertThat(strict.last(100)).allSatisfy(l -> assertThat(l).isGreaterThan(2 * C));
    }

    @Test
    void theSimulationIsDeterministic() {
        List<Integer> a = model(VegasLimit.builder().initialLimit(5).build()).runWindows(100).limits();
        ManualClock other = new ManualClock();
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of("sim", ConcurrencyLimitConfig.builder()
                .algorithm(VegasLimit.builder().initialLimit(5).build()).clock(other)
                .window(Duration.ofMillis(100)).build());
        List<Integer> b = new DependencyModel(other, limiter, C, SERVICE_NANOS, 2.0).runWindows(100).limits();
        assertThat(a).isEqualTo(b);
    }
}
