package dev.recloser.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report knows about the benchmarks that is not in JMH's output: which method measures
 * which library, how to label it, which row is the bare baseline and which is Recloser's (the two
 * denominators of the ratio columns), the headings and explanations of each benchmark class, and
 * the titles of {@code @Param} values.
 *
 * <p>An explicit table rather than parsing: a new benchmark method gets one line in
 * {@link #METHODS}. Methods that are not in the table still appear in the report, classified by
 * {@link #infer} from their name prefix ({@code baseline*}, {@code recloser*}, {@code resilience4j*},
 * {@code failsafe*}, suffix {@code WithException}).
 */
final class Catalog {

    private Catalog() {
    }

    /** Who a row measures; also its colour in the charts (Okabe–Ito palette, readable by the colour-blind). */
    enum Library {
        /** The floor: one volatile read into a Blackhole. The denominator of "÷ baseline". */
        BASELINE("bare baseline", "#9e9e9e"),
        /** An operation that is not a breaker but explains a breaker's cost (a clock read, a shared increment). */
        COST("cost component", "#bdbdbd"),
        RECLOSER("Recloser", "#0072B2"),
        RESILIENCE4J_SYNCHRONIZED("Resilience4j SYNCHRONIZED", "#E69F00"),
        RESILIENCE4J_LOCK_FREE("Resilience4j LOCK_FREE", "#CC79A7"),
        /** Resilience4j where its window strategy does not matter (an open breaker). */
        RESILIENCE4J("Resilience4j", "#E69F00"),
        FAILSAFE("Failsafe", "#009E73"),
        OTHER("other", "#56B4E9");

        final String displayName;
        final String color;

        Library(String displayName, String color) {
            this.displayName = displayName;
            this.color = color;
        }

        /** A breaker under comparison, as opposed to a baseline or a cost component. */
        boolean isBreaker() {
            return this != BASELINE && this != COST;
        }
    }

    /** The bare operation, or the operation plus the exception the library raises for it. */
    enum Variant {
        BARE,
        WITH_EXCEPTION
    }

    /**
     * One benchmark method.
     *
     * @param className  the benchmark's simple class name
     * @param method     the method name
     * @param library    what it measures
     * @param variant    bare or with the exception
     * @param label      Markdown label of its table rows (the method name is appended)
     * @param loadProbe  touches no shared state, so its time should not grow with the thread count:
     *                   if it does, the machine did not give each benchmark thread a core
     * @param path       splits a class's table when one class measures several paths by method name
     *                   ({@code monoRecloser}, {@code fluxRecloser}): the name's part before the library;
     *                   empty for one path per parameter combination. A method with an empty path in a
     *                   class whose other methods have one is shown in each of its paths' tables
     */
    record MethodInfo(String className, String method, Library library, Variant variant, String label,
                      boolean loadProbe, String path) {

        /** The row every other row of its table is divided by in "÷ Recloser". */
        boolean isRecloserReference() {
            return library == Library.RECLOSER && variant == Variant.BARE;
        }
    }

    /** What a benchmark class exercises; the report charts each family on its own. */
    enum Family {
        /** The breaker's own API: permits, outcomes, rejections. */
        CORE("core API"),
        /** The Reactor operator: a whole subscription per operation. */
        REACTOR("Reactor operator"),
        /** The WebClient filter: a whole HTTP call, or a call failed fast, per operation. */
        WEBCLIENT("WebClient filter");

        final String displayName;

        Family(String displayName) {
            this.displayName = displayName;
        }
    }

    /**
     * One benchmark class.
     *
     * @param className    simple class name
     * @param family       what it exercises
     * @param heading      its section heading (Markdown)
     * @param intro        the paragraph under the heading (Markdown), may be empty
     * @param paramTitles  {@code @Param} value or {@linkplain MethodInfo#path method path} → subsection
     *                     title, in the order the subsections appear
     * @param chartTitles  {@code @Param} value or method path → short group title in the charts; the key
     *                     {@code ""} titles a table that has neither (a class without parameters or paths)
     */
    record ClassInfo(String className, Family family, String heading, String intro, Map<String, String> paramTitles,
                     Map<String, String> chartTitles) {
    }

    private static final String CORE = "CoreBreakerBenchmark";
    private static final String REJECTION = "RejectionBenchmark";
    private static final String REJECTION_LATENCY = "RejectionLatencyBenchmark";
    private static final String REACTOR = "ReactorBreakerBenchmark";
    private static final String REACTOR_LATENCY = "ReactorFastFailLatencyBenchmark";
    private static final String REACTOR_CONTENTION = "ReactorContentionBenchmark";
    private static final String WEBCLIENT = "WebClientFilterBenchmark";
    private static final String WEBCLIENT_FAST_FAIL = "WebClientFastFailBenchmark";

    /** {@link MethodInfo#path} of the Reactor closed path guarding a Mono. */
    static final String MONO = "mono";
    /** {@link MethodInfo#path} of the Reactor closed path guarding a Flux. */
    static final String FLUX = "flux";
    /** {@link MethodInfo#path} of the Reactor open path. */
    static final String FAST_FAIL = "fastFail";
    /** {@link MethodInfo#path} of cost components a class measures apart from its paths. */
    static final String COSTS = "costs";

    private static final String RECLOSER_CLOSED = "**Recloser** `tryAcquirePermit()` + `onSuccess(p, 0)`";
    private static final String RECLOSER_REJECT = "**Recloser** `tryAcquirePermit()` → `NO_PERMIT`";
    private static final String RECLOSER_REJECT_EXCEPTION = "Recloser, plus `callNotPermitted()`";
    private static final String R4J_REJECT = "Resilience4j `tryAcquirePermission()` → false";
    private static final String FAILSAFE_REJECT = "Failsafe `tryAcquirePermit()` → false";
    private static final String BASELINE_LABEL = "bare baseline: volatile read + Blackhole";
    private static final String REACTOR_RECLOSER_REJECT = "**Recloser**: rejected with its stackless `CallNotPermittedException`";
    private static final String REACTOR_R4J_REJECT =
            "Resilience4j, `transformDeferred` (documented): rejected with its `CallNotPermittedException`";
    private static final String BARE_ERROR = "bare: `Mono.error(preallocated)`, no operator";

    /** Every known method, in the order of the rows of its class's tables. */
    static final List<MethodInfo> METHODS = List.of(
            m(CORE, "baseline", Library.BASELINE, BASELINE_LABEL),
            m(CORE, "baselineAtomicIncrement", Library.COST, "cost component: shared `AtomicLong.getAndIncrement()`"),
            m(CORE, "recloser", Library.RECLOSER, RECLOSER_CLOSED),
            m(CORE, "resilience4jSynchronized", Library.RESILIENCE4J_SYNCHRONIZED,
                    "Resilience4j, `SYNCHRONIZED` window (default)"),
            m(CORE, "resilience4jLockFree", Library.RESILIENCE4J_LOCK_FREE, "Resilience4j, `LOCK_FREE` window"),
            m(CORE, "failsafe", Library.FAILSAFE, "Failsafe `tryAcquirePermit()` + `recordSuccess()`"),

            m(REJECTION, "baseline", Library.BASELINE, BASELINE_LABEL),
            new MethodInfo(REJECTION, "baselineNanoTime", Library.COST, Variant.BARE,
                    "cost component: `System.nanoTime()`", true, ""),
            m(REJECTION, "baselineLongAdder", Library.COST, "cost component: shared `LongAdder.increment()`"),
            m(REJECTION, "recloser", Library.RECLOSER, RECLOSER_REJECT),
            x(REJECTION, "recloserWithException", Library.RECLOSER, RECLOSER_REJECT_EXCEPTION),
            m(REJECTION, "resilience4j", Library.RESILIENCE4J, R4J_REJECT),
            x(REJECTION, "resilience4jWithException", Library.RESILIENCE4J,
                    "Resilience4j, plus `CallNotPermittedException`"),
            m(REJECTION, "failsafe", Library.FAILSAFE, FAILSAFE_REJECT),
            x(REJECTION, "failsafeWithException", Library.FAILSAFE, "Failsafe, plus `CircuitBreakerOpenException`"),

            m(REJECTION_LATENCY, "baseline", Library.BASELINE, BASELINE_LABEL),
            m(REJECTION_LATENCY, "recloser", Library.RECLOSER, RECLOSER_REJECT),
            x(REJECTION_LATENCY, "recloserWithException", Library.RECLOSER, RECLOSER_REJECT_EXCEPTION),
            m(REJECTION_LATENCY, "resilience4j", Library.RESILIENCE4J, R4J_REJECT),
            m(REJECTION_LATENCY, "failsafe", Library.FAILSAFE, FAILSAFE_REJECT),

            p(REACTOR, MONO, "monoBare", Library.BASELINE, "bare: `Mono.just(1)`, no operator"),
            p(REACTOR, MONO, "monoRecloser", Library.RECLOSER,
                    "**Recloser** `transform(CircuitBreakerOperator.of(breaker))`, untimed (default config)"),
            p(REACTOR, MONO, "monoRecloserTimed", Library.RECLOSER,
                    "Recloser, slow-call detection on: every call timed (two clock reads)"),
            p(REACTOR, MONO, "monoResilience4j", Library.RESILIENCE4J,
                    "Resilience4j `transformDeferred(CircuitBreakerOperator.of(cb))` (documented)"),
            p(REACTOR, MONO, "monoResilience4jTransform", Library.RESILIENCE4J,
                    "Resilience4j, operator applied once with `transform`"),
            p(REACTOR, FLUX, "fluxBare", Library.BASELINE, "bare: `Flux.range(0, 8)`, no operator"),
            p(REACTOR, FLUX, "fluxRecloser", Library.RECLOSER, "**Recloser** `transform(CircuitBreakerOperator.of(breaker))`"),
            p(REACTOR, FLUX, "fluxResilience4j", Library.RESILIENCE4J, "Resilience4j `transformDeferred` (documented)"),
            p(REACTOR, FLUX, "fluxResilience4jTransform", Library.RESILIENCE4J, "Resilience4j, `transform`"),
            // The fresh error first: the denominator of "÷ baseline" is the first baseline.
            p(REACTOR, FAST_FAIL, "fastFailBareFreshError", Library.BASELINE,
                    "bare: `Mono.error(FreshError::new)`, a 40 B stackless error per call"),
            p(REACTOR, FAST_FAIL, "fastFailBare", Library.BASELINE, BARE_ERROR),
            p(REACTOR, FAST_FAIL, "fastFailRecloser", Library.RECLOSER, REACTOR_RECLOSER_REJECT),
            p(REACTOR, FAST_FAIL, "fastFailResilience4j", Library.RESILIENCE4J, REACTOR_R4J_REJECT),
            p(REACTOR, FAST_FAIL, "fastFailResilience4jTransform", Library.RESILIENCE4J,
                    "Resilience4j, `transform`: rejected with its `CallNotPermittedException`"),
            new MethodInfo(REACTOR, "baselineNanoTime", Library.COST, Variant.BARE,
                    "cost component: `System.nanoTime()`", true, COSTS),
            p(REACTOR, COSTS, "baselineLongAdder", Library.COST, "cost component: shared `LongAdder.increment()`"),

            m(REACTOR_LATENCY, "bare", Library.BASELINE, BARE_ERROR),
            m(REACTOR_LATENCY, "recloser", Library.RECLOSER, REACTOR_RECLOSER_REJECT),
            m(REACTOR_LATENCY, "resilience4j", Library.RESILIENCE4J, REACTOR_R4J_REJECT),

            m(REACTOR_CONTENTION, "recloserShared", Library.RECLOSER, "**Recloser**, one breaker shared by the threads"),
            m(REACTOR_CONTENTION, "recloserPerThread", Library.RECLOSER, "Recloser, a breaker per thread"),
            m(REACTOR_CONTENTION, "resilience4jShared", Library.RESILIENCE4J,
                    "Resilience4j (`transformDeferred`), one breaker shared by the threads"),
            m(REACTOR_CONTENTION, "resilience4jPerThread", Library.RESILIENCE4J,
                    "Resilience4j (`transformDeferred`), a breaker per thread"),

            m(WEBCLIENT, "withoutFilter", Library.BASELINE, "bare: the WebClient without the filter"),
            m(WEBCLIENT, "withFilter", Library.RECLOSER,
                    "**Recloser** `ResilienceFilter`, defaults: breaker + 10 s attempt timeout"),
            m(WEBCLIENT, "withFilterNoTimeout", Library.RECLOSER, "Recloser filter, breaker alone (`noAttemptTimeout()`)"),
            m(WEBCLIENT, "withFilterRetry", Library.RECLOSER, "Recloser filter, defaults plus `retry(idempotentRetry())`"),

            m(WEBCLIENT_FAST_FAIL, "bare", Library.BASELINE, "bare: a filter returning `Mono.error(preallocated)`"),
            m(WEBCLIENT_FAST_FAIL, "recloser", Library.RECLOSER,
                    "**Recloser** filter, breaker OPEN: `CallNotPermittedException`"));

    private static final Map<String, String> OPEN_STATES = ordered(
            "OPEN", "OPEN (tripped by failures, open wait not elapsed)",
            "FORCED_OPEN", "FORCED_OPEN (Failsafe: OPEN, it has no forced state)");

    private static final Map<String, String> OPEN_STATES_SHORT = ordered("OPEN", "OPEN", "FORCED_OPEN", "FORCED_OPEN");

    /** Every known class, in the order of the report's sections. */
    static final List<ClassInfo> CLASSES = List.of(
            new ClassInfo(CORE, Family.CORE, "Closed path: `CoreBreakerBenchmark`",
                    """
                    Average time per call (ns/op, lower is better), allocation per call (B/op = `gc.alloc.rate.norm`),
                    and each row divided by Recloser's and by the bare baseline's time in the same run and thread count.""",
                    ordered("COUNT", "Count window (last 100 calls)", "TIME", "Time window (last 60 s)"),
                    ordered("COUNT", "closed, count window", "TIME", "closed, time window")),
            new ClassInfo(REJECTION, Family.CORE, "Rejection path: `RejectionBenchmark`",
                    """
                    "plus ..." rows build the exception each library raises for a rejection: Recloser's stackless
                    `CallNotPermittedException` from `callNotPermitted()`, Resilience4j's `CallNotPermittedException`
                    as `acquirePermission()` builds it (default `writableStackTraceEnabled = true`, so it walks the
                    stack), Failsafe's `CircuitBreakerOpenException` as its executor builds it (with a stack trace).
                    "÷ Recloser" divides every row by Recloser's bare rejection.""",
                    OPEN_STATES,
                    ordered("OPEN", "rejection, OPEN", "FORCED_OPEN", "rejection, FORCED_OPEN")),
            new ClassInfo(REJECTION_LATENCY, Family.CORE, "Rejection percentiles: `RejectionLatencyBenchmark` (`Mode.SampleTime`)",
                    """
                    Nanoseconds per single call. JMH times each sampled call with two `System.nanoTime()` reads, so a
                    call of a few nanoseconds cannot be resolved: the bare baseline's p50 is the floor of this
                    measurement on this machine, and the rows are best compared against it. The tail (p99.99, max) is
                    dominated by the machine: descheduling, safepoints and GC, not the breakers.""",
                    OPEN_STATES_SHORT,
                    ordered("OPEN", "sampled rejection, OPEN", "FORCED_OPEN", "sampled rejection, FORCED_OPEN")),
            new ClassInfo(REACTOR, Family.REACTOR, "Reactor operator: `ReactorBreakerBenchmark`",
                    """
                    One whole subscription per operation (subscribe, the signals, completion or error) through Recloser's
                    `CircuitBreakerOperator`, through Resilience4j's, and with no operator (the bare rows); every publisher
                    is assembled once and shared by all threads, so 2 threads contend on one breaker. Resilience4j is
                    measured as documented, `transformDeferred` (which re-applies its operator at each subscription), and
                    applied once with `transform` like Recloser's; its breaker has the default `SYNCHRONIZED` count window.
                    Recloser's default config detects no slow calls, so its operator reads no clock on the closed path;
                    `monoRecloserTimed` turns slow-call detection on, as Resilience4j's default has it (the cost
                    components: a timed call reads `System.nanoTime()` twice, a fast fail once and counts the rejection
                    in a shared `LongAdder`). The fast-fail
                    rows subscribe to an open breaker; their "÷ baseline" divides by `fastFailBareFreshError`
                    (`Mono.error` of a 40 B stackless error built per call: what any rejection that reports anything
                    allocates), not by `fastFailBare` (`Mono.error` of one preallocated error, which the JIT reduces to
                    next to nothing). "÷ Recloser" divides by `monoRecloser`, `fluxRecloser` or `fastFailRecloser`.""",
                    ordered(MONO, "Mono, closed breaker: `Mono.just(1)`",
                            FLUX, "Flux, closed breaker: `Flux.range(0, 8)`, one call of eight values",
                            FAST_FAIL, "Fast fail, open breaker",
                            COSTS, "Cost components (not operators)",
                            "OPEN", "OPEN (tripped by failures, open wait not elapsed)",
                            "FORCED_OPEN", "FORCED_OPEN"),
                    ordered(MONO, "Mono", FLUX, "Flux", FAST_FAIL, "fast fail", COSTS, "costs",
                            "OPEN", "OPEN", "FORCED_OPEN", "FORCED_OPEN")),
            new ClassInfo(REACTOR_LATENCY, Family.REACTOR,
                    "Reactor fast-fail percentiles: `ReactorFastFailLatencyBenchmark` (`Mode.SampleTime`)",
                    """
                    Nanoseconds per single subscription to an open breaker: the `fastFail...` rows above, timed call by
                    call. A call of a few tens of nanoseconds is close to the resolution of the two timer reads JMH puts
                    around it, so the low percentiles are best read against the bare row (`Mono.error` of a preallocated
                    exception); the tail shows the machine's stalls (GC, safepoints, descheduling).""",
                    OPEN_STATES_SHORT,
                    ordered("OPEN", "sampled fast fail, OPEN", "FORCED_OPEN", "sampled fast fail, FORCED_OPEN")),
            new ClassInfo(REACTOR_CONTENTION, Family.REACTOR, "Reactor contention: `ReactorContentionBenchmark`",
                    """
                    A diagnostic for the 2-thread rows of `ReactorBreakerBenchmark`: the guarded `Mono.just(1)` of each
                    library with one breaker shared by all threads (as there) and with a breaker per thread, in the same
                    run. The difference is what sharing the breaker costs (cache lines moving between the cores), apart
                    from what the threads share anyway (the cores, the allocator, the collector). Only meaningful at 2
                    threads or more. "÷ Recloser" divides by `recloserShared`; there is no bare row.""",
                    Map.of(), Map.of("", "Mono, one breaker shared vs one per thread")),
            new ClassInfo(WEBCLIENT, Family.WEBCLIENT, "WebClient filter overhead: `WebClientFilterBenchmark`",
                    """
                    What `ResilienceFilter` adds to a healthy HTTP call: one whole `GET` of a small body from a local
                    Reactor Netty server per operation (request, response, body released, connection back to the pool),
                    through a WebClient without the filter (`withoutFilter`, the denominator of "÷ baseline": 1.03 is 3%
                    overhead) and with it, in the same run; every filtered client has a breaker of its own. The benchmark
                    thread, the client and the server share the machine's cores, so this is a loopback round trip, not a
                    network one: the filter's share of a real call is smaller. JMH reported µs/op; shown in ns/op.""",
                    Map.of(), Map.of("", "WebClient GET on loopback")),
            new ClassInfo(WEBCLIENT_FAST_FAIL, Family.WEBCLIENT,
                    "WebClient fast fail: `WebClientFastFailBenchmark` (`Mode.SampleTime`)",
                    """
                    Nanoseconds per WebClient call that the filter fails fast because the host's breaker is open (tripped
                    by failures), one breaker and one client shared by all threads: from the subscription to `onError`,
                    synchronous, no network. `bare` is the same call through a filter returning `Mono.error` of a
                    preallocated exception: what WebClient itself costs for a call failed in a filter, the floor of any
                    fast fail. With more threads than cores the operating system preempts them, and a call during which
                    its thread waited for a core includes that wait: the tail then measures the scheduler as well as the
                    filter; the 1-thread rows show the filter alone.""",
                    Map.of(), Map.of("", "WebClient fast fail")));

    /** The opening paragraphs of the report, before the machine section. */
    static final String INTRO = """
            These are **benchmarks, not tests**: no build phase runs them (`mvn verify` compiles them and builds
            the jar; the module's unit tests are those of this report's generator and a short smoke run of the
            outage scenario), nothing asserts on their results, and their figures describe one machine on one day.
            The module is `benchmarks/` (`recloser-benchmarks`, never deployed): JMH benchmarks shaded into one
            runnable jar, `benchmarks/target/benchmarks.jar`.

            What is measured, each peer in the same JMH invocation as Recloser and a bare baseline:

            | class | path | peers |
            |---|---|---|
            | `CoreBreakerBenchmark` | closed path: permit + record a success, `@Param window` = `COUNT` (last 100 calls), `TIME` (last 60 s) | Resilience4j with the `SYNCHRONIZED` (default) and the `LOCK_FREE` window strategy, Failsafe |
            | `RejectionBenchmark` | open path, average time: the bare rejection, and the rejection plus the exception each library raises; `@Param state` = `OPEN` (tripped by failures, open wait of 1 h not elapsed), `FORCED_OPEN` | Resilience4j `tryAcquirePermission()`, Failsafe `tryAcquirePermit()` |
            | `RejectionLatencyBenchmark` | the same rejections in `Mode.SampleTime`, for percentiles | same |
            | `ReactorBreakerBenchmark` | the Reactor operator, one whole subscription per operation: a closed breaker guarding `Mono.just(1)` (`mono...`) and `Flux.range(0, 8)` (`flux...`), an open breaker rejecting the subscription (`fastFail...`, `@Param state` as above) | Resilience4j's Reactor `CircuitBreakerOperator` with `transformDeferred` (documented) and with `transform`; no operator (bare `Mono.just`, `Flux.range`, `Mono.error`) |
            | `ReactorFastFailLatencyBenchmark` | the fast-fail subscriptions in `Mode.SampleTime`, for percentiles | Resilience4j (`transformDeferred`), bare `Mono.error` |
            | `ReactorContentionBenchmark` | the guarded `Mono.just(1)` with one breaker shared by the threads and with a breaker per thread | Resilience4j (`transformDeferred`) |
            | `WebClientFilterBenchmark` | a healthy HTTP `GET` on loopback through WebClient with `ResilienceFilter` (defaults, without the attempt timeout, with retry) | the same WebClient without the filter |
            | `WebClientFastFailBenchmark` | a WebClient call failed fast by the filter's open breaker, `Mode.SampleTime` | the same call failed by a filter returning `Mono.error` |

            All breakers are shared by the benchmark threads (`@State(Scope.Benchmark)`), so `-t 2` measures two
            threads contending on one breaker (except the `...PerThread` rows of `ReactorContentionBenchmark`).
            Every library gets the same settings (`Peers.java`): trip at 50% failures once 20 outcomes are in the
            window, over the last 100 calls or the last 60 s, open wait 1 h. The libraries differ where they cannot
            be configured alike: Failsafe's count rule is "50 failures of the last 100 executions" (no minimum
            number of calls); the 60 s window is 12 buckets of 5 s in Recloser, 60 buckets of 1 s in Resilience4j
            and 10 buckets of 6 s in Failsafe (both fixed by the library); Failsafe has no forced-open state, so
            both of its rejection rows are its OPEN state. Failsafe's rejection counts nothing; Recloser and
            Resilience4j count every rejection.

            Baselines, measured in the same run: `baseline` (one volatile read into a `Blackhole`: the floor
            every path of the core classes stands on, and the denominator of "÷ baseline"), and three cost
            components that are not breakers but explain the figures: `baselineAtomicIncrement` (one shared
            `AtomicLong` increment, the least any window pays to record into shared memory), `baselineNanoTime`
            (one `System.nanoTime()`) and `baselineLongAdder` (one shared `LongAdder.increment()`, Recloser's
            rejection counter). The Reactor and WebClient classes have bare rows of their own: the same
            publisher or HTTP call without any breaker (their sections say which row "÷ baseline" divides by).
            """;

    private static final Map<String, MethodInfo> METHOD_INDEX = new LinkedHashMap<>();
    private static final Map<String, ClassInfo> CLASS_INDEX = new LinkedHashMap<>();

    static {
        for (MethodInfo info : METHODS) {
            METHOD_INDEX.put(info.className() + "." + info.method(), info);
        }
        for (ClassInfo info : CLASSES) {
            CLASS_INDEX.put(info.className(), info);
        }
    }

    /** The table entry for a method, or one inferred from its name. */
    static MethodInfo method(String className, String method) {
        MethodInfo known = METHOD_INDEX.get(className + "." + method);
        return known != null ? known : infer(className, method);
    }

    /** Whether the method has an entry in {@link #METHODS}. */
    static boolean isKnown(String className, String method) {
        return METHOD_INDEX.containsKey(className + "." + method);
    }

    /** The position of a method within its class's rows; unknown methods sort after known ones. */
    static int methodOrder(String className, String method) {
        int i = 0;
        for (MethodInfo info : METHODS) {
            if (info.className().equals(className)) {
                if (info.method().equals(method)) {
                    return i;
                }
                i++;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The class's entry, or a generic one. */
    static ClassInfo classInfo(String className) {
        ClassInfo known = CLASS_INDEX.get(className);
        return known != null ? known
                : new ClassInfo(className, Family.CORE, "`" + className + "`", "", Map.of(), Map.of());
    }

    /** The position of a class among the sections; unknown classes sort after known ones. */
    static int classOrder(String className) {
        int i = 0;
        for (ClassInfo info : CLASSES) {
            if (info.className().equals(className)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }

    /** Library names looked for in a method name the table does not know, in the order they are tried. */
    private static final List<String> NAMES = List.of("recloser", "resilience4j", "failsafe", "bare");

    /**
     * Classifies a method the table does not know by its name: {@code baseline} is the bare baseline,
     * {@code baseline*} a cost component; otherwise the first library name in it ({@code recloser},
     * {@code resilience4j}, {@code failsafe}, or {@code bare}, a baseline without any breaker) gives
     * the library, what precedes it the {@linkplain MethodInfo#path path} ({@code fastFailRecloser}:
     * path {@code fastFail}), what follows it the label's suffix, and a {@code WithException} suffix
     * the variant. A name with none of these is {@link Library#OTHER}.
     */
    static MethodInfo infer(String className, String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (m.equals("baseline")) {
            return new MethodInfo(className, method, Library.BASELINE, Variant.BARE, "bare baseline", false, "");
        }
        if (m.startsWith("baseline")) {
            return new MethodInfo(className, method, Library.COST, Variant.BARE, "cost component", false, "");
        }
        int at = -1;
        String found = null;
        for (String name : NAMES) {
            int i = m.indexOf(name);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                found = name;
            }
        }
        if (found == null) {
            return new MethodInfo(className, method, Library.OTHER, Variant.BARE, "", false, "");
        }
        String path = method.substring(0, at);
        String rest = method.substring(at + found.length());
        Variant variant = Variant.BARE;
        if (rest.toLowerCase(Locale.ROOT).endsWith("withexception")) {
            variant = Variant.WITH_EXCEPTION;
            rest = rest.substring(0, rest.length() - "withexception".length());
        }
        String r = rest.toLowerCase(Locale.ROOT);
        Library library = switch (found) {
            case "recloser" -> Library.RECLOSER;
            case "failsafe" -> Library.FAILSAFE;
            case "bare" -> Library.BASELINE;
            default -> r.contains("lockfree") ? Library.RESILIENCE4J_LOCK_FREE
                    : r.contains("synchronized") ? Library.RESILIENCE4J_SYNCHRONIZED : Library.RESILIENCE4J;
        };
        if (library == Library.RESILIENCE4J_LOCK_FREE || library == Library.RESILIENCE4J_SYNCHRONIZED) {
            rest = rest.replaceAll("(?i)lockfree|synchronized", "");
        }
        String label = switch (library) {
            case BASELINE -> "bare: no breaker";
            case RECLOSER -> variant == Variant.BARE && rest.isEmpty() ? "**Recloser**" : "Recloser";
            default -> library.displayName;
        };
        if (!rest.isEmpty()) {
            label += " " + words(rest);
        }
        if (variant == Variant.WITH_EXCEPTION) {
            label += ", plus its exception";
        }
        return new MethodInfo(className, method, library, variant, label, false, path);
    }

    /** {@code fastFail} → {@code fast fail}. */
    static String words(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT).strip();
    }

    private static MethodInfo m(String className, String method, Library library, String label) {
        return new MethodInfo(className, method, library, Variant.BARE, label, false, "");
    }

    /** A method of one of the paths its class tells apart by method name. */
    private static MethodInfo p(String className, String path, String method, Library library, String label) {
        return new MethodInfo(className, method, library, Variant.BARE, label, false, path);
    }

    private static MethodInfo x(String className, String method, Library library, String label) {
        return new MethodInfo(className, method, library, Variant.WITH_EXCEPTION, label, false, "");
    }

    /** A map that keeps the order of its arguments: key, value, key, value... */
    static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The known {@code @Param} values of a class, in report order. */
    static List<String> paramOrder(String className) {
        return new ArrayList<>(classInfo(className).paramTitles().keySet());
    }
}
