package dev.recloser.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.recloser.core.Bulkhead;
import dev.recloser.core.CircuitBreaker;
import dev.recloser.core.CircuitBreakerConfig;
import dev.recloser.core.CircuitBreakerRegistry;
import dev.recloser.testing.ManualClock;
import dev.recloser.core.SlidingWindow;
import dev.recloser.core.limit.AimdLimit;
import dev.recloser.core.limit.ConcurrencyLimitConfig;
import dev.recloser.core.limit.ConcurrencyLimiter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the observability assets in {@code docs/} against what the binders really publish: every
 * metric, label and label value that the Grafana dashboard and the Prometheus alert rules query must
 * appear in a Prometheus scrape of breakers, a bulkhead and a concurrency limiter that served real
 * calls (and of a retry binder fed the events the retry operator reports), and
 * {@code docs/metrics.md} must describe every series of that scrape. A renamed meter or a misspelt
 * query fails here. Jackson reads the JSON and the YAML, refusing duplicate keys.
 */
class ObservabilityAssetsTest {

    private static final Pattern METRIC = Pattern.compile("recloser_[a-z_]+");
    /** A selector {@code metric{matchers}}; Grafana variables never contain braces. */
    private static final Pattern SELECTOR = Pattern.compile("(recloser_[a-z_]+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(recloser_[a-z_]+)(?:\\{[^}]*})?\\s*,\\s*([a-zA-Z_]+)\\s*\\)");
    /** Labels the Prometheus server adds at scrape time. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static Path root;
    private static Scrape scrape;
    private static Set<String> meterNames;

    // ------------------------------------------------------------------------------------ fixture

    @BeforeAll
    static void serveRealCallsAndScrape() {
        root = repositoryRoot();
        ManualClock clock = new ManualClock();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.builder()
                .clock(clock).slidingWindow(SlidingWindow.countBased(10)).minimumNumberOfCalls(4)
                .slowCallDurationThreshold(Duration.ofMillis(100)).openStateJitter(0)
                .waitDurationInOpenState(Duration.ofSeconds(10)).openStateBackoff(1, Duration.ofSeconds(10))
                .ignoreErrors(e -> e instanceof IllegalArgumentException).build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CircuitBreakerMeterBinder.of(breakers).bindTo(prometheus);
        Bulkhead db = Bulkhead.of("db", 2);
        BulkheadMeterBinder.of(db).bindTo(prometheus);
        RetryMeterBinder retry = RetryMeterBinder.of("inventory");
        retry.bindTo(prometheus);
        ConcurrencyLimiter limit = ConcurrencyLimiter.of("db", ConcurrencyLimitConfig.builder().clock(clock)
                .algorithm(AimdLimit.builder().initialLimit(1).minLimit(1).build()).minSamples(1).build());
        ConcurrencyLimiterMeterBinder.of(limit).bindTo(prometheus);
        long held = limit.tryAcquire();
        assertThat(limit.tryAcquire()).isEqualTo(ConcurrencyLimiter.NO_PERMIT); // one rejection
        clock.advance(Duration.ofSeconds(2));
        limit.onSuccess(held); // closes a window: limit 1 -> 2, latency 2 s
        assertThat(limit.limit()).isEqualTo(2);

        CircuitBreaker payments = breakers.breaker("payments");
        Duration fast = Duration.ofMillis(5);
        Duration slow = Duration.ofMillis(500);
        List<String> outcomes = new ArrayList<>();
        outcomes.add(call(payments, db, clock, fast, () -> "ok"));
        outcomes.add(call(payments, db, clock, slow, () -> "ok"));
        outcomes.add(call(payments, db, clock, fast, () -> { throw new IllegalArgumentException("ignored"); }));
        outcomes.add(call(payments, db, clock, fast, () -> { throw new IOException("down"); }));
        outcomes.add(call(payments, db, clock, slow, () -> { throw new IOException("down"); })); // 2 of 4 failed: trips
        outcomes.add(call(payments, db, clock, fast, () -> "ok")); // rejected by the open breaker
        clock.advance(Duration.ofSeconds(10));
        outcomes.add(call(payments, db, clock, fast, () -> { throw new IOException("still down"); })); // trial fails
        clock.advance(Duration.ofSeconds(10));
        outcomes.add(call(payments, db, clock, fast, () -> "ok")); // trial succeeds: closes
        assertThat(db.tryAcquire()).isTrue(); // two calls in flight fill the bulkhead
        assertThat(db.tryAcquire()).isTrue();
        outcomes.add(call(payments, db, clock, fast, () -> "ok"));
        db.release();
        db.release();
        assertThat(outcomes).containsExactly("ok", "ok", "error", "error", "error", "not_permitted",
                "error", "ok", "bulkhead_full");
        assertThat(payments.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        CircuitBreaker inventory = breakers.breaker("inventory");
        inventory.transitionToForcedOpen();
        assertThat(call(inventory, db, clock, fast, () -> "ok")).isEqualTo("not_permitted");

        // The retry operator's events (the operator lives in recloser-reactor; its listener calls are
        // tested there), one call of each kind: as RetryOperator.listener(retry) reports them.
        retry.onCallFinished(true, 1); // successful_without_retry
        retry.onRetryScheduled(2, 100_000_000L);
        retry.onCallFinished(true, 2); // successful_with_retry
        retry.onCallFinished(false, 1); // failed_without_retry: a non-retryable error
        retry.onRetryScheduled(2, 100_000_000L);
        retry.onRetryScheduled(3, 100_000_000L);
        retry.onCallFinished(false, 3); // failed_with_retry: attempts exhausted
        retry.onRetryScheduled(2, 100_000_000L);
        retry.onBudgetRejected();
        retry.onCallFinished(false, 2); // failed_with_retry: the budget refused the second retry
        retry.onCallCancelled(1); // not counted

        meterNames = new TreeSet<>();
        for (Meter m : prometheus.getMeters()) {
            meterNames.add(m.getId().getName());
        }
        scrape = Scrape.parse(prometheus.scrape());
    }

    /** One call through a bulkhead and then a breaker, as the Reactor operators make it. */
    private static String call(CircuitBreaker breaker, Bulkhead bulkhead, ManualClock clock, Duration took,
                               Callable<Object> body) {
        if (!bulkhead.tryAcquire()) {
            return "bulkhead_full";
        }
        try {
            long permit = breaker.tryAcquirePermit();
            if (permit == CircuitBreaker.NO_PERMIT) {
                return "not_permitted";
            }
            long start = clock.nanoTime();
            Object result;
            try {
                result = body.call();
            } catch (Exception e) {
                clock.advance(took);
                breaker.onError(permit, clock.nanoTime() - start, e);
                return "error";
            }
            clock.advance(took);
            breaker.onResult(permit, clock.nanoTime() - start, result);
            return "ok";
        } finally {
            bulkhead.release();
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/grafana")) && Files.isDirectory(p.resolve("core"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root with docs/grafana above " + Path.of("").toAbsolutePath());
    }

    private static String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(ObjectMapper mapper, String relative) {
        try {
            return mapper.readValue(read(relative), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(relative, e);
        }
    }

    // ------------------------------------------------------------------------------------ the scrape

    @Test
    void theScrapeHoldsEverySeriesOfTheBinders() {
        assertThat(scrape.names()).contains(
                "recloser_circuitbreaker_state",
                "recloser_circuitbreaker_calls_total",
                "recloser_circuitbreaker_transitions_total",
                "recloser_circuitbreaker_failure_rate_percent",
                "recloser_circuitbreaker_slow_call_rate_percent",
                "recloser_circuitbreaker_buffered_calls",
                "recloser_circuitbreaker_call_duration_seconds_count",
                "recloser_circuitbreaker_call_duration_seconds_sum",
                "recloser_circuitbreaker_call_duration_seconds_max",
                "recloser_bulkhead_available_permits",
                "recloser_bulkhead_max_concurrent_calls",
                "recloser_bulkhead_rejected_total",
                "recloser_retry_calls_total",
                "recloser_retry_attempts_count",
                "recloser_retry_attempts_sum",
                "recloser_retry_attempts_max",
                "recloser_retry_budget_rejections_total");
        assertThat(scrape.values("recloser_circuitbreaker_state", "state"))
                .containsExactlyInAnyOrder("closed", "open", "half_open", "forced_open", "disabled");
        assertThat(scrape.values("recloser_circuitbreaker_calls_total", "kind"))
                .containsExactlyInAnyOrder("successful", "failed", "ignored", "not_permitted", "shadow_rejected");
        assertThat(scrape.transitions()).contains("closed->open", "open->half_open", "half_open->open",
                "half_open->closed", "closed->forced_open");
        assertThat(scrape.value("recloser_circuitbreaker_state", Map.of("name", "payments", "state", "closed"))).isEqualTo(1.0);
        assertThat(scrape.value("recloser_circuitbreaker_state", Map.of("name", "inventory", "state", "forced_open"))).isEqualTo(1.0);
        assertThat(scrape.value("recloser_circuitbreaker_calls_total",
                Map.of("name", "payments", "kind", "not_permitted", "slow", "false"))).isEqualTo(1.0);
        assertThat(scrape.value("recloser_circuitbreaker_calls_total",
                Map.of("name", "payments", "kind", "failed", "slow", "true"))).isEqualTo(1.0);
        assertThat(scrape.value("recloser_circuitbreaker_failure_rate_percent", Map.of("name", "payments"))).isNaN(); // window emptied by closing
        assertThat(scrape.value("recloser_circuitbreaker_failure_rate_percent", Map.of("name", "inventory"))).isNaN();
        assertThat(scrape.value("recloser_bulkhead_rejected_total", Map.of("name", "db"))).isEqualTo(1.0);
        assertThat(scrape.value("recloser_bulkhead_available_permits", Map.of("name", "db"))).isEqualTo(2.0);
        assertThat(scrape.values("recloser_retry_calls_total", "kind")).containsExactlyInAnyOrder(
                "successful_without_retry", "successful_with_retry", "failed_without_retry", "failed_with_retry");
        assertThat(scrape.value("recloser_retry_calls_total", Map.of("name", "inventory", "kind", "failed_with_retry"))).isEqualTo(2.0);
        assertThat(scrape.value("recloser_retry_attempts_count", Map.of("name", "inventory"))).isEqualTo(5.0);
        assertThat(scrape.value("recloser_retry_attempts_sum", Map.of("name", "inventory"))).isEqualTo(9.0);
        assertThat(scrape.value("recloser_retry_budget_rejections_total", Map.of("name", "inventory"))).isEqualTo(1.0);
    }

    // ------------------------------------------------------------------------------------ dashboard

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() {
        return parse(JSON, "docs/grafana/recloser-dashboard.json");
    }

    /** Top-level panels, then the panels of collapsed rows. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> allPanels(Map<String, Object> dashboard) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) dashboard.get("panels")) {
            Map<String, Object> p = (Map<String, Object>) o;
            out.add(p);
            if (p.get("panels") instanceof List<?> nested) {
                nested.forEach(n -> out.add((Map<String, Object>) n));
            }
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardIsImportableJsonWithTitledLaidOutPanels() {
        Map<String, Object> d = dashboard();
        assertThat(d.get("title")).isEqualTo("Recloser");
        assertThat((String) d.get("uid")).isNotBlank();
        assertThat(((Number) d.get("schemaVersion")).intValue()).isBetween(36, 41);
        List<Object> inputs = (List<Object>) d.get("__inputs");
        assertThat(inputs).anySatisfy(i -> {
            Map<String, Object> in = (Map<String, Object>) i;
            assertThat(in).containsEntry("name", "DS_PROMETHEUS").containsEntry("type", "datasource")
                    .containsEntry("pluginId", "prometheus");
        });

        List<Map<String, Object>> top = (List<Map<String, Object>>) (List<?>) d.get("panels");
        List<Map<String, Object>> panels = allPanels(d);
        assertThat(top).hasSizeGreaterThanOrEqualTo(10);
        Set<Object> ids = new LinkedHashSet<>();
        Set<String> titles = new LinkedHashSet<>();
        Set<String> units = new TreeSet<>();
        for (Map<String, Object> p : panels) {
            String title = (String) p.get("title");
            assertThat(title).as("panel %s title", p.get("id")).isNotBlank();
            assertThat(titles.add(title)).as("unique title %s", title).isTrue();
            assertThat(ids.add(p.get("id"))).as("unique id of %s", title).isTrue();
            Map<String, Object> g = (Map<String, Object>) p.get("gridPos");
            assertThat(g).as("gridPos of %s", title).isNotNull().containsKeys("x", "y", "w", "h");
            int x = ((Number) g.get("x")).intValue();
            int w = ((Number) g.get("w")).intValue();
            assertThat(x).as("x of %s", title).isBetween(0, 23);
            assertThat(w).as("w of %s", title).isBetween(1, 24 - x);
            assertThat(((Number) g.get("h")).intValue()).as("h of %s", title).isPositive();
            if ("row".equals(p.get("type"))) {
                continue;
            }
            Map<String, Object> ds = (Map<String, Object>) p.get("datasource");
            assertThat(ds).as("datasource of %s", title).containsEntry("uid", "${DS_PROMETHEUS}");
            List<Object> targets = (List<Object>) p.get("targets");
            assertThat(targets).as("targets of %s", title).isNotEmpty();
            for (Object t : targets) {
                Map<String, Object> target = (Map<String, Object>) t;
                assertThat((String) target.get("expr")).as("expr of %s", title).isNotBlank();
                assertThat((Map<String, Object>) target.get("datasource")).containsEntry("uid", "${DS_PROMETHEUS}");
            }
            Map<String, Object> defaults = (Map<String, Object>) ((Map<String, Object>) p.get("fieldConfig")).get("defaults");
            if (defaults.get("unit") instanceof String u) {
                units.add(u);
            }
        }
        assertThat(units).contains("percent", "reqps", "s");
        assertThat(titles).contains("Open breakers", "State per breaker", "Failure rate", "Slow-call rate",
                "Call rate by kind", "Not-permitted calls per breaker", "State transitions (10m)",
                "Mean call duration", "Max call duration", "Bulkhead available permits", "Bulkhead rejections",
                "Retry outcomes by kind", "Attempts per call", "Retry budget rejections");

        for (int i = 0; i < top.size(); i++) { // no two top-level panels overlap
            for (int j = i + 1; j < top.size(); j++) {
                assertThat(overlap(top.get(i), top.get(j)))
                        .as("%s overlaps %s", top.get(i).get("title"), top.get(j).get("title")).isFalse();
            }
        }

        Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
        for (Object v : (List<Object>) ((Map<String, Object>) d.get("templating")).get("list")) {
            vars.put((String) ((Map<String, Object>) v).get("name"), (Map<String, Object>) v);
        }
        Map<String, Object> name = vars.get("name");
        assertThat(name).as("variable name").isNotNull().containsEntry("multi", true).containsEntry("includeAll", true);
        assertThat((String) name.get("definition")).startsWith("label_values(recloser_circuitbreaker_state").endsWith(", name)");
    }

    @SuppressWarnings("unchecked")
    private static boolean overlap(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> g = (Map<String, Object>) a.get("gridPos");
        Map<String, Object> h = (Map<String, Object>) b.get("gridPos");
        int ax = ((Number) g.get("x")).intValue(), ay = ((Number) g.get("y")).intValue();
        int aw = ((Number) g.get("w")).intValue(), ah = ((Number) g.get("h")).intValue();
        int bx = ((Number) h.get("x")).intValue(), by = ((Number) h.get("y")).intValue();
        int bw = ((Number) h.get("w")).intValue(), bh = ((Number) h.get("h")).intValue();
        return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
    }

    /** Every query of the dashboard: panel targets and variable definitions. */
    private static List<String> dashboardQueries() {
        List<String> out = new ArrayList<>();
        collectStrings(dashboard(), Set.of("expr", "definition", "query"), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collectStrings(Object node, Set<String> keys, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                if (keys.contains(e.getKey()) && e.getValue() instanceof String s) {
                    out.add(s);
                } else {
                    collectStrings(e.getValue(), keys, out);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(n -> collectStrings(n, keys, out));
        }
    }

    @Test
    void theDashboardQueriesOnlyScrapedMetricsLabelsAndValues() {
        List<String> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            used.addAll(checkQuery("dashboard", q));
        }
        assertThat(used).contains("recloser_circuitbreaker_state", "recloser_circuitbreaker_calls_total",
                "recloser_circuitbreaker_transitions_total", "recloser_circuitbreaker_failure_rate_percent",
                "recloser_circuitbreaker_slow_call_rate_percent", "recloser_circuitbreaker_call_duration_seconds_sum",
                "recloser_circuitbreaker_call_duration_seconds_count", "recloser_circuitbreaker_call_duration_seconds_max",
                "recloser_bulkhead_available_permits", "recloser_bulkhead_rejected_total",
                "recloser_retry_calls_total", "recloser_retry_attempts_sum", "recloser_retry_attempts_count",
                "recloser_retry_budget_rejections_total");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRetryRowHasPanelsOnTheRetryMeters() {
        List<Map<String, Object>> top = (List<Map<String, Object>>) (List<?>) dashboard().get("panels");
        int row = -1;
        for (int i = 0; i < top.size(); i++) {
            if ("row".equals(top.get(i).get("type")) && "Retry".equals(top.get(i).get("title"))) {
                row = i;
            }
        }
        assertThat(row).as("a row titled Retry").isNotNegative();
        Map<String, Object> retryRow = top.get(row);
        assertThat(retryRow.get("collapsed")).isEqualTo(false);
        assertThat((List<Object>) retryRow.get("panels")).isEmpty(); // an expanded row lists its panels after it
        int rowY = ((Number) ((Map<String, Object>) retryRow.get("gridPos")).get("y")).intValue();
        List<String> below = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (int i = row + 1; i < top.size() && !"row".equals(top.get(i).get("type")); i++) {
            Map<String, Object> p = top.get(i);
            assertThat(((Number) ((Map<String, Object>) p.get("gridPos")).get("y")).intValue())
                    .as("y of %s", p.get("title")).isGreaterThan(rowY);
            below.add((String) p.get("title"));
            collectStrings(p, Set.of("expr"), exprs);
        }
        assertThat(below).containsExactly("Retry outcomes by kind", "Attempts per call", "Retry budget rejections");
        assertThat(String.join("\n", exprs))
                .contains("rate(recloser_retry_calls_total{")
                .contains("rate(recloser_retry_attempts_sum{").contains("rate(recloser_retry_attempts_count{")
                .contains("rate(recloser_retry_budget_rejections_total{");
        for (String e : exprs) {
            assertThat(e).as("retry panels query retry meters only: %s", e).doesNotContain("recloser_circuitbreaker", "recloser_bulkhead");
        }
    }

    /**
     * Checks one PromQL query (Grafana variables allowed) against the scrape: every metric name
     * exists, every label used in a matcher, grouping or label_values exists, and every literal
     * value of an {@code =} or {@code =~} matcher (a plain alternation like {@code open|forced_open})
     * was scraped for that metric. Returns the metric names.
     */
    private static Set<String> checkQuery(String where, String query) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group());
        }
        assertThat(names).as("%s query without a recloser metric: %s", where, query).isNotEmpty();
        for (String n : names) {
            assertThat(scrape.names()).as("%s: metric %s of %s", where, n, query).contains(n);
        }
        assertThat(balanced(query)).as("%s: unbalanced brackets or quotes in %s", where, query).isTrue();

        Matcher s = SELECTOR.matcher(query);
        while (s.find()) {
            String metric = s.group(1);
            for (String matcher : s.group(2).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                if (matcher.isBlank()) {
                    continue;
                }
                Matcher mm = MATCHER.matcher(matcher);
                assertThat(mm.matches()).as("%s: matcher '%s' in %s", where, matcher, query).isTrue();
                String label = mm.group(1);
                if (TARGET_LABELS.contains(label)) {
                    continue;
                }
                assertThat(scrape.labels(metric)).as("%s: label %s of %s in %s", where, label, metric, query).contains(label);
                String value = mm.group(3);
                if ((mm.group(2).equals("=") || mm.group(2).equals("=~")) && value.matches("[a-z_]+(\\|[a-z_]+)*")) {
                    for (String v : value.split("\\|")) {
                        assertThat(scrape.values(metric, label)).as("%s: %s=\"%s\" in %s", where, label, v, query).contains(v);
                    }
                }
            }
        }
        Set<String> allLabels = scrape.allLabels();
        Matcher g = GROUPING.matcher(query);
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                String l = label.trim();
                if (!l.isEmpty() && !TARGET_LABELS.contains(l)) {
                    assertThat(allLabels).as("%s: %s label %s in %s", where, g.group(1), l, query).contains(l);
                }
            }
        }
        Matcher lv = LABEL_VALUES.matcher(query);
        while (lv.find()) {
            if (!TARGET_LABELS.contains(lv.group(2))) {
                assertThat(scrape.labels(lv.group(1))).as("%s: label_values in %s", where, query).contains(lv.group(2));
            }
        }
        return names;
    }

    /** Parentheses, brackets and braces nest and close, and double quotes pair, outside strings. */
    private static boolean balanced(String q) {
        StringBuilder stack = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '(' -> stack.append(')');
                case '[' -> stack.append(']');
                case '{' -> stack.append('}');
                case ')', ']', '}' -> {
                    if (stack.isEmpty() || stack.charAt(stack.length() - 1) != c) {
                        return false;
                    }
                    stack.setLength(stack.length() - 1);
                }
                default -> { }
            }
        }
        return !inString && stack.isEmpty();
    }

    // ------------------------------------------------------------------------------------ alert rules

    /** One alerting rule of the rule file. */
    private record Rule(String group, String alert, String expr, String forDuration, Map<String, Object> labels,
                        Map<String, Object> annotations) { }

    @SuppressWarnings("unchecked")
    private static List<Rule> rules() {
        Map<String, Object> file = parse(YAML, "docs/prometheus/recloser-alerts.yml");
        assertThat(file).containsOnlyKeys("groups");
        List<Rule> out = new ArrayList<>();
        Set<String> groupNames = new LinkedHashSet<>();
        for (Object g : (List<Object>) file.get("groups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            String groupName = (String) group.get("name");
            assertThat(groupName).isNotBlank();
            assertThat(groupNames.add(groupName)).as("unique group %s", groupName).isTrue();
            assertThat(group.keySet()).isSubsetOf("name", "interval", "rules", "limit");
            for (Object r : (List<Object>) group.get("rules")) {
                Map<String, Object> rule = (Map<String, Object>) r;
                assertThat(rule.keySet()).as("keys of %s", rule).contains("alert", "expr")
                        .isSubsetOf("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
                out.add(new Rule(groupName, (String) rule.get("alert"), (String) rule.get("expr"), (String) rule.get("for"),
                        (Map<String, Object>) rule.getOrDefault("labels", Map.of()),
                        (Map<String, Object>) rule.getOrDefault("annotations", Map.of())));
            }
        }
        return out;
    }

    @Test
    void theAlertRulesHaveTheirDurationsSeveritiesAndAnnotations() {
        List<Rule> rules = rules();
        Map<String, Rule> byName = new LinkedHashMap<>();
        for (Rule r : rules) {
            assertThat(byName.put(r.alert(), r)).as("duplicate alert %s", r.alert()).isNull();
        }
        assertThat(byName).containsOnlyKeys("RecloserCircuitBreakerOpen", "RecloserCircuitBreakerOpenLong",
                "RecloserCircuitBreakerFlapping", "RecloserFailureRateApproaching", "RecloserBulkheadSaturated",
                "RecloserRetryBudgetExhausted");
        assertRule(byName.get("RecloserCircuitBreakerOpen"), "2m", "warning");
        assertRule(byName.get("RecloserCircuitBreakerOpenLong"), "10m", "critical");
        assertRule(byName.get("RecloserCircuitBreakerFlapping"), null, "warning");
        assertRule(byName.get("RecloserFailureRateApproaching"), "5m", "warning");
        assertRule(byName.get("RecloserBulkheadSaturated"), "1m", "warning");
        assertRule(byName.get("RecloserRetryBudgetExhausted"), "5m", "warning");

        assertThat(byName.get("RecloserCircuitBreakerOpen").expr())
                .contains("recloser_circuitbreaker_state{state=~\"open|forced_open\"}").contains("== 1");
        assertThat(byName.get("RecloserCircuitBreakerOpenLong").expr()).isEqualTo(byName.get("RecloserCircuitBreakerOpen").expr());
        assertThat(byName.get("RecloserCircuitBreakerFlapping").expr())
                .contains("increase(recloser_circuitbreaker_transitions_total{to=\"open\"}[10m])").contains(">= 4");
        assertThat(byName.get("RecloserFailureRateApproaching").expr()).contains("recloser_circuitbreaker_failure_rate_percent > 40");
        assertThat((String) byName.get("RecloserFailureRateApproaching").annotations().get("description"))
                .contains("default failureRateThreshold is 50%").contains("configured threshold");
        assertThat(byName.get("RecloserBulkheadSaturated").expr())
                .contains("recloser_bulkhead_available_permits == 0").contains("recloser_bulkhead_rejected_total");
        assertThat(byName.get("RecloserRetryBudgetExhausted").expr())
                .contains("increase(recloser_retry_budget_rejections_total[2m]) > 0");
        assertThat(byName.get("RecloserRetryBudgetExhausted").group()).isEqualTo("recloser-retry");

        String doc = read("docs/metrics.md");
        for (Rule r : rules) {
            for (String key : List.of("summary", "description")) {
                assertThat((String) r.annotations().get(key)).as("%s of %s", key, r.alert()).contains("{{ $labels.name }}");
            }
            String anchor = r.alert().toLowerCase();
            assertThat((String) r.annotations().get("runbook")).as("runbook of %s", r.alert())
                    .isEqualTo("docs/metrics.md#" + anchor);
            assertThat(doc).as("runbook section of %s", r.alert()).contains("\n### " + r.alert() + "\n");
        }
    }

    private static void assertRule(Rule rule, String forDuration, String severity) {
        assertThat(rule.forDuration()).as("for: of %s", rule.alert()).isEqualTo(forDuration);
        assertThat(rule.labels()).as("labels of %s", rule.alert()).containsEntry("severity", severity);
        if (forDuration != null) {
            assertThat(forDuration).matches("[0-9]+[smh]");
        }
    }

    @Test
    void theAlertRulesQueryOnlyScrapedMetricsLabelsAndValues() {
        for (Rule r : rules()) {
            checkQuery(r.alert(), r.expr());
        }
    }

    // ------------------------------------------------------------------------------------ docs/metrics.md

    @Test
    void theMetricsDocDescribesEverySeriesAndMeterAndNamesNoOther() {
        String doc = read("docs/metrics.md");
        for (String n : scrape.names()) {
            assertThat(doc).as("Prometheus name %s in docs/metrics.md", n).contains("`" + n);
        }
        for (String n : meterNames) {
            assertThat(doc).as("meter %s in docs/metrics.md", n).contains("`" + n + "`");
        }
        Matcher m = METRIC.matcher(doc);
        while (m.find()) {
            assertThat(scrape.names()).as("docs/metrics.md names %s", m.group()).contains(m.group());
        }
        assertThat(doc).contains("CircuitBreakerMeterBinder.of(", ".bindTo(", "MeterBinder", "@Bean",
                "RetryMeterBinder retryMetrics = RetryMeterBinder.of(\"inventory\");",
                "retryMetrics.bindTo(meterRegistry);",
                "mono.transform(RetryOperator.of(policy).listener(retryMetrics))",
                "ServerResponse.ok().bodyValue(registry.health())", "## Health endpoint",
                "docs/grafana/recloser-dashboard.json", "docs/prometheus/recloser-alerts.yml");
    }

    // ------------------------------------------------------------------------------------ helpers

    /** The samples of a Prometheus text-format scrape, by sample name exactly as exposed. */
    private record Scrape(Map<String, List<Map<String, String>>> samples, Map<String, List<Double>> sampleValues) {

        static Scrape parse(String text) {
            Map<String, List<Map<String, String>>> samples = new TreeMap<>();
            Map<String, List<Double>> values = new TreeMap<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int i = 0;
                while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                    i++;
                }
                String name = line.substring(0, i);
                Map<String, String> labels = new TreeMap<>();
                if (i < line.length() && line.charAt(i) == '{') {
                    i++;
                    while (line.charAt(i) != '}') {
                        int eq = line.indexOf('=', i);
                        String key = line.substring(i, eq);
                        StringBuilder v = new StringBuilder();
                        int j = eq + 2; // past ="
                        for (; line.charAt(j) != '"'; j++) {
                            char c = line.charAt(j);
                            if (c == '\\') {
                                char n = line.charAt(++j);
                                v.append(n == 'n' ? '\n' : n);
                            } else {
                                v.append(c);
                            }
                        }
                        labels.put(key, v.toString());
                        i = j + 1;
                        if (line.charAt(i) == ',') {
                            i++;
                        }
                    }
                    i++;
                }
                String value = line.substring(i).trim().split(" ")[0];
                samples.computeIfAbsent(name, k -> new ArrayList<>()).add(labels);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(switch (value) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(value);
                });
            }
            return new Scrape(samples, values);
        }

        Set<String> names() {
            return samples.keySet();
        }

        Set<String> labels(String name) {
            Set<String> out = new TreeSet<>();
            samples.getOrDefault(name, List.of()).forEach(l -> out.addAll(l.keySet()));
            return out;
        }

        Set<String> allLabels() {
            Set<String> out = new TreeSet<>();
            samples.keySet().forEach(n -> out.addAll(labels(n)));
            return out;
        }

        Set<String> values(String name, String label) {
            Set<String> out = new TreeSet<>();
            for (Map<String, String> l : samples.getOrDefault(name, List.of())) {
                if (l.containsKey(label)) {
                    out.add(l.get(label));
                }
            }
            return out;
        }

        Set<String> transitions() {
            Set<String> out = new TreeSet<>();
            samples.getOrDefault("recloser_circuitbreaker_transitions_total", List.of())
                    .forEach(l -> out.add(l.get("from") + "->" + l.get("to")));
            return out;
        }

        double value(String name, Map<String, String> labels) {
            List<Map<String, String>> list = samples.get(name);
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).equals(new TreeMap<>(labels))) {
                    return sampleValues.get(name).get(i);
                }
            }
            throw new AssertionError("no sample " + name + labels);
        }
    }
}
