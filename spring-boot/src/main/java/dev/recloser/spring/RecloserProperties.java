package dev.recloser.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code recloser.*} properties. Every value is checked when the application starts: an invalid
 * one fails the start-up with a message naming the property, the value and the valid range
 * ({@link RecloserConfigurationException}); nothing is clamped. {@code docs/spring-boot.md} lists
 * every property with its default.
 */
@ConfigurationProperties("recloser")
public class RecloserProperties {

    private final CircuitBreakers circuitbreaker = new CircuitBreakers();
    private final Retries retry = new Retries();
    private final Bulkheads bulkhead = new Bulkheads();
    private final WebClient webclient = new WebClient();
    private final Health health = new Health();
    private final Events events = new Events();
    private final Cloud cloud = new Cloud();

    /** {@code recloser.circuitbreaker.*}. */
    public CircuitBreakers getCircuitbreaker() {
        return circuitbreaker;
    }

    /** {@code recloser.retry.*}. */
    public Retries getRetry() {
        return retry;
    }

    /** {@code recloser.bulkhead.*}. */
    public Bulkheads getBulkhead() {
        return bulkhead;
    }

    /** {@code recloser.webclient.*}. */
    public WebClient getWebclient() {
        return webclient;
    }

    /** {@code recloser.health.*}. */
    public Health getHealth() {
        return health;
    }

    /** {@code recloser.events.*}. */
    public Events getEvents() {
        return events;
    }

    /** {@code recloser.cloud.*}. */
    public Cloud getCloud() {
        return cloud;
    }

    /** Named breaker configs and breaker instances. */
    public static class CircuitBreakers {
        /**
         * Named breaker configs. {@code default} is the registry's default config: the one every
         * breaker without a config of its own uses, the WebClient filter's included.
         */
        private Map<String, BreakerProperties> configs = new LinkedHashMap<>();
        /** Breakers created at start-up, by name, each from the default config unless it says otherwise. */
        private Map<String, BreakerProperties> instances = new LinkedHashMap<>();
        /** Tags every breaker of the registry carries (meter tags), under each breaker's own tags. */
        private Map<String, String> tags = new LinkedHashMap<>();

        public Map<String, BreakerProperties> getConfigs() {
            return configs;
        }

        public void setConfigs(Map<String, BreakerProperties> configs) {
            this.configs = configs;
        }

        public Map<String, BreakerProperties> getInstances() {
            return instances;
        }

        public void setInstances(Map<String, BreakerProperties> instances) {
            this.instances = instances;
        }

        public Map<String, String> getTags() {
            return tags;
        }

        public void setTags(Map<String, String> tags) {
            this.tags = tags;
        }
    }

    /** A preset a breaker config may start from. */
    public enum Preset {
        /** {@code CircuitBreakerConfig.aggressive()}. */
        AGGRESSIVE,
        /** {@code CircuitBreakerConfig.balanced()}, the library default. */
        BALANCED,
        /** {@code CircuitBreakerConfig.conservative()}. */
        CONSERVATIVE
    }

    /** The kind of sliding window. */
    public enum WindowType {
        /** The last {@code sliding-window-size} outcomes. */
        COUNT_BASED,
        /** The outcomes of the last {@code sliding-window-length}, in {@code sliding-window-buckets} buckets. */
        TIME_BASED
    }

    /**
     * One breaker config or instance. Every option left unset is inherited: from
     * {@code base-config}, else from {@code preset}, else (instances and named configs) from
     * {@code configs.default}, else from {@code CircuitBreakerConfig.balanced()}.
     */
    public static class BreakerProperties {
        /** The named config (under recloser.circuitbreaker.configs) this one inherits from. */
        private String baseConfig;
        /** The preset this one starts from: aggressive, balanced or conservative. Exclusive with base-config. */
        private Preset preset;
        /** Failure rate, in percent, at which the breaker opens; in (0, 100]. Balanced: 50. */
        private Double failureRateThreshold;
        /** Slow-call rate, in percent, at which the breaker opens; in (0, 100]. Balanced: 100. */
        private Double slowCallRateThreshold;
        /** A call slower than this is slow; positive. Unset: no slow-call detection (balanced). */
        private Duration slowCallDurationThreshold;
        /** Failures in a row that open the breaker; >= 0, 0 = off (balanced). */
        private Integer consecutiveFailureThreshold;
        /** Outcomes the window must hold before a rate is evaluated; >= 1. Balanced: 20. */
        private Integer minimumNumberOfCalls;
        /** count-based or time-based. Balanced: count-based. */
        private WindowType slidingWindowType;
        /** Outcomes a count-based window holds; 1 to 1,000,000. Balanced: 100. */
        private Integer slidingWindowSize;
        /** The period a time-based window covers; positive. Default 60s. */
        private Duration slidingWindowLength;
        /** Buckets of a time-based window; 1 to 1,000. Default 10. */
        private Integer slidingWindowBuckets;
        /** Wait in OPEN after a first trip; positive. Balanced: 30s. */
        private Duration waitDurationInOpenState;
        /** Factor the open wait grows by per consecutive trip; in [1, 100]. Balanced: 2. */
        private Double openStateBackoffMultiplier;
        /** Cap of the growing open wait; >= wait-duration-in-open-state. Balanced: 5m. */
        private Duration maxWaitDurationInOpenState;
        /** Random spread of the open wait; in [0, 1). Balanced: 0.1. */
        private Double openStateJitter;
        /** Trial calls admitted at once in HALF_OPEN; >= 1. Balanced: 1. */
        private Integer permittedCallsInHalfOpenState;
        /** HALF_OPEN with every trial out for this long re-opens; positive. Balanced: 30s. */
        private Duration maxWaitInHalfOpenState;
        /** Exceptions counted as failures (any other error that is not ignored is a success). Default: every error. */
        private List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
        /** Exceptions that count as neither success nor failure. Default: none. */
        private List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();
        /** Shadow mode: evaluate and publish as usual, never reject a call. Default false. */
        private Boolean metricsOnly;
        /** Whether the breaker logs its transitions to SLF4J. Default true. */
        private Boolean logTransitions;
        /** Tags of the breaker (meter tags); an instance's tags win over its config's. */
        private Map<String, String> tags = new LinkedHashMap<>();

        public String getBaseConfig() {
            return baseConfig;
        }

        public void setBaseConfig(String baseConfig) {
            this.baseConfig = baseConfig;
        }

        public Preset getPreset() {
            return preset;
        }

        public void setPreset(Preset preset) {
            this.preset = preset;
        }

        public Double getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(Double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public Double getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public Duration getSlowCallDurationThreshold() {
            return slowCallDurationThreshold;
        }

        public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
            this.slowCallDurationThreshold = slowCallDurationThreshold;
        }

        public Integer getConsecutiveFailureThreshold() {
            return consecutiveFailureThreshold;
        }

        public void setConsecutiveFailureThreshold(Integer consecutiveFailureThreshold) {
            this.consecutiveFailureThreshold = consecutiveFailureThreshold;
        }

        public Integer getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public WindowType getSlidingWindowType() {
            return slidingWindowType;
        }

        public void setSlidingWindowType(WindowType slidingWindowType) {
            this.slidingWindowType = slidingWindowType;
        }

        public Integer getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(Integer slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public Duration getSlidingWindowLength() {
            return slidingWindowLength;
        }

        public void setSlidingWindowLength(Duration slidingWindowLength) {
            this.slidingWindowLength = slidingWindowLength;
        }

        public Integer getSlidingWindowBuckets() {
            return slidingWindowBuckets;
        }

        public void setSlidingWindowBuckets(Integer slidingWindowBuckets) {
            this.slidingWindowBuckets = slidingWindowBuckets;
        }

        public Duration getWaitDurationInOpenState() {
            return waitDurationInOpenState;
        }

        public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
            this.waitDurationInOpenState = waitDurationInOpenState;
        }

        public Double getOpenStateBackoffMultiplier() {
            return openStateBackoffMultiplier;
        }

        public void setOpenStateBackoffMultiplier(Double openStateBackoffMultiplier) {
            this.openStateBackoffMultiplier = openStateBackoffMultiplier;
        }

        public Duration getMaxWaitDurationInOpenState() {
            return maxWaitDurationInOpenState;
        }

        public void setMaxWaitDurationInOpenState(Duration maxWaitDurationInOpenState) {
            this.maxWaitDurationInOpenState = maxWaitDurationInOpenState;
        }

        public Double getOpenStateJitter() {
            return openStateJitter;
        }

        public void setOpenStateJitter(Double openStateJitter) {
            this.openStateJitter = openStateJitter;
        }

        public Integer getPermittedCallsInHalfOpenState() {
            return permittedCallsInHalfOpenState;
        }

        public void setPermittedCallsInHalfOpenState(Integer permittedCallsInHalfOpenState) {
            this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        }

        public Duration getMaxWaitInHalfOpenState() {
            return maxWaitInHalfOpenState;
        }

        public void setMaxWaitInHalfOpenState(Duration maxWaitInHalfOpenState) {
            this.maxWaitInHalfOpenState = maxWaitInHalfOpenState;
        }

        public List<Class<? extends Throwable>> getRecordExceptions() {
            return recordExceptions;
        }

        public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
            this.recordExceptions = recordExceptions;
        }

        public List<Class<? extends Throwable>> getIgnoreExceptions() {
            return ignoreExceptions;
        }

        public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
            this.ignoreExceptions = ignoreExceptions;
        }

        public Boolean getMetricsOnly() {
            return metricsOnly;
        }

        public void setMetricsOnly(Boolean metricsOnly) {
            this.metricsOnly = metricsOnly;
        }

        public Boolean getLogTransitions() {
            return logTransitions;
        }

        public void setLogTransitions(Boolean logTransitions) {
            this.logTransitions = logTransitions;
        }

        public Map<String, String> getTags() {
            return tags;
        }

        public void setTags(Map<String, String> tags) {
            this.tags = tags;
        }
    }

    /** Named retry policies. */
    public static class Retries {
        /** Retry policies by name; each starts from RetryPolicy.defaults(). */
        private Map<String, RetryProperties> instances = new LinkedHashMap<>();

        public Map<String, RetryProperties> getInstances() {
            return instances;
        }

        public void setInstances(Map<String, RetryProperties> instances) {
            this.instances = instances;
        }
    }

    /** The kind of backoff between attempts. */
    public enum BackoffType {
        /** No wait. */
        NONE,
        /** {@code initial-delay} every time. */
        FIXED,
        /** {@code initial-delay}, plus {@code increment} per retry, up to {@code max-delay}. */
        LINEAR,
        /** {@code initial-delay}, times {@code multiplier} per retry, up to {@code max-delay}. */
        EXPONENTIAL
    }

    /** The randomisation of each backoff delay. */
    public enum JitterType {
        /** The computed delay. */
        NONE,
        /** Uniform in [0, delay). */
        FULL,
        /** Uniform in [delay/2, delay). */
        EQUAL,
        /** AWS's decorrelated jitter. */
        DECORRELATED,
        /** delay times a factor in [1 - jitter-factor, 1 + jitter-factor]. */
        FACTOR
    }

    /** One retry policy. */
    public static class RetryProperties {
        /** Attempts per call including the first; >= 1. Default 3. */
        private Integer maxAttempts;
        /** Longest a call may take, retries and waits included; positive. Default: no bound. */
        private Duration maxTotalDuration;
        /** The backoff kind. Default exponential. */
        private BackoffType backoff = BackoffType.EXPONENTIAL;
        /** The first delay (fixed: every delay); positive. Default 100ms. */
        private Duration initialDelay = Duration.ofMillis(100);
        /** Linear backoff: added per retry; positive. Default 100ms. */
        private Duration increment = Duration.ofMillis(100);
        /** Exponential backoff: the growth per retry; >= 1. Default 2. */
        private double multiplier = 2.0;
        /** Linear and exponential: the cap of a delay; >= initial-delay. Default 5s. */
        private Duration maxDelay = Duration.ofSeconds(5);
        /** The jitter. Default equal. */
        private JitterType jitter = JitterType.EQUAL;
        /** jitter=factor: the spread; in (0, 1]. Default 0.5. */
        private double jitterFactor = 0.5;
        /** Longest a server's Retry-After may impose; positive. Default 60s (WebClient: 30s). */
        private Duration maxDelayHint;
        /** Whether a call rejected by an open breaker waits for it, if that fits. Default false. */
        private Boolean waitForOpenBreaker;
        /** Exceptions retried (subclasses included). Default: every error; for the WebClient, transient I/O errors. */
        private List<Class<? extends Throwable>> retryExceptions = new ArrayList<>();

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getMaxTotalDuration() {
            return maxTotalDuration;
        }

        public void setMaxTotalDuration(Duration maxTotalDuration) {
            this.maxTotalDuration = maxTotalDuration;
        }

        public BackoffType getBackoff() {
            return backoff;
        }

        public void setBackoff(BackoffType backoff) {
            this.backoff = backoff;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getIncrement() {
            return increment;
        }

        public void setIncrement(Duration increment) {
            this.increment = increment;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public JitterType getJitter() {
            return jitter;
        }

        public void setJitter(JitterType jitter) {
            this.jitter = jitter;
        }

        public double getJitterFactor() {
            return jitterFactor;
        }

        public void setJitterFactor(double jitterFactor) {
            this.jitterFactor = jitterFactor;
        }

        public Duration getMaxDelayHint() {
            return maxDelayHint;
        }

        public void setMaxDelayHint(Duration maxDelayHint) {
            this.maxDelayHint = maxDelayHint;
        }

        public Boolean getWaitForOpenBreaker() {
            return waitForOpenBreaker;
        }

        public void setWaitForOpenBreaker(Boolean waitForOpenBreaker) {
            this.waitForOpenBreaker = waitForOpenBreaker;
        }

        public List<Class<? extends Throwable>> getRetryExceptions() {
            return retryExceptions;
        }

        public void setRetryExceptions(List<Class<? extends Throwable>> retryExceptions) {
            this.retryExceptions = retryExceptions;
        }
    }

    /** Named bulkheads. */
    public static class Bulkheads {
        /** Bulkheads by name. */
        private Map<String, BulkheadProperties> instances = new LinkedHashMap<>();

        public Map<String, BulkheadProperties> getInstances() {
            return instances;
        }

        public void setInstances(Map<String, BulkheadProperties> instances) {
            this.instances = instances;
        }
    }

    /** One bulkhead. */
    public static class BulkheadProperties {
        /** Calls in flight at most; >= 1. Default 25. */
        private int maxConcurrentCalls = 25;

        public int getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }
    }

    /** How the WebClient filter keys its breakers. */
    public enum KeyStrategy {
        /** One breaker per host:port. */
        HOST_AND_PORT,
        /** One breaker per host:port and HTTP method. */
        HOST_PORT_AND_METHOD
    }

    /** The filter added to every auto-configured {@code WebClient.Builder}. */
    public static class WebClient {
        /** Whether the filter is added to Boot's WebClient.Builder. */
        private boolean enabled = true;
        /** How requests map to breakers. */
        private KeyStrategy keyStrategy = KeyStrategy.HOST_AND_PORT;
        /** The most breakers the filter holds (least recently used closed ones are evicted); >= 1. */
        private int maxBreakers = 1000;
        /** Bounds each attempt until the response headers arrive; positive. */
        private Duration attemptTimeout = Duration.ofSeconds(10);
        /** Bounds the whole call, retries included; positive, >= attempt-timeout. Default: none. */
        private Duration totalTimeout;
        /** An open breaker answers with a synthetic 503 carrying Retry-After instead of an error. */
        private boolean fastFailResponse = false;
        /** The breaker config (under recloser.circuitbreaker.configs) of the per-host breakers. Default: the default config. */
        private String circuitBreakerConfig;
        /**
         * The retry policy (under recloser.retry.instances) of idempotent requests; "idempotent"
         * (the default) is ResilienceFilter.idempotentRetry(), "none" disables retries.
         */
        private String retry = "idempotent";
        /** Per-host overrides, by a name of your choice, checked in order; the first match wins. */
        private Map<String, Override> overrides = new LinkedHashMap<>();
        /** An adaptive concurrency limit per key (host:port by default), inside the retry, outside the breaker. */
        private final ConcurrencyLimit concurrencyLimit = new ConcurrencyLimit();

        public ConcurrencyLimit getConcurrencyLimit() {
            return concurrencyLimit;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public KeyStrategy getKeyStrategy() {
            return keyStrategy;
        }

        public void setKeyStrategy(KeyStrategy keyStrategy) {
            this.keyStrategy = keyStrategy;
        }

        public int getMaxBreakers() {
            return maxBreakers;
        }

        public void setMaxBreakers(int maxBreakers) {
            this.maxBreakers = maxBreakers;
        }

        public Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }

        public Duration getTotalTimeout() {
            return totalTimeout;
        }

        public void setTotalTimeout(Duration totalTimeout) {
            this.totalTimeout = totalTimeout;
        }

        public boolean isFastFailResponse() {
            return fastFailResponse;
        }

        public void setFastFailResponse(boolean fastFailResponse) {
            this.fastFailResponse = fastFailResponse;
        }

        public String getCircuitBreakerConfig() {
            return circuitBreakerConfig;
        }

        public void setCircuitBreakerConfig(String circuitBreakerConfig) {
            this.circuitBreakerConfig = circuitBreakerConfig;
        }

        public String getRetry() {
            return retry;
        }

        public void setRetry(String retry) {
            this.retry = retry;
        }

        public Map<String, Override> getOverrides() {
            return overrides;
        }

        public void setOverrides(Map<String, Override> overrides) {
            this.overrides = overrides;
        }
    }

    /** The adaptive concurrency limit algorithm. */
    public enum LimitAlgorithmType {
        /** Additive increase, multiplicative decrease on drops. */
        AIMD,
        /** TCP Vegas: queueing estimated from the latency over the smallest one seen. */
        VEGAS,
        /** Netflix's Gradient2: long-term against short-term latency. */
        GRADIENT2
    }

    /**
     * {@code recloser.webclient.concurrency-limit.*}: the filter's adaptive concurrency limit (see
     * docs/limits.md). Unset values are the algorithm's and ConcurrencyLimitConfig's defaults.
     */
    public static class ConcurrencyLimit {
        /** Whether each key gets an adaptive concurrency limit. */
        private boolean enabled = false;
        /** aimd, vegas or gradient2. */
        private LimitAlgorithmType algorithm = LimitAlgorithmType.VEGAS;
        /** The limit to start from; >= 1, in [min-limit, max-limit]. Default: the algorithm's (20). */
        private Integer initialLimit;
        /** The lowest limit; >= 1. Default: the algorithm's. */
        private Integer minLimit;
        /** The highest limit; >= 1. Default: the algorithm's. */
        private Integer maxLimit;
        /** The shortest sample window; positive, <= max-window. Default 1s. */
        private Duration minWindow;
        /** The longest sample window; positive. Default 1s. */
        private Duration maxWindow;
        /** Samples a window needs to move the limit; >= 1. Default 10. */
        private Integer minSamples;
        /** Calls faster than this are not sampled; >= 0. Default 100us. */
        private Duration minRttThreshold;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public LimitAlgorithmType getAlgorithm() {
            return algorithm;
        }

        public void setAlgorithm(LimitAlgorithmType algorithm) {
            this.algorithm = algorithm;
        }

        public Integer getInitialLimit() {
            return initialLimit;
        }

        public void setInitialLimit(Integer initialLimit) {
            this.initialLimit = initialLimit;
        }

        public Integer getMinLimit() {
            return minLimit;
        }

        public void setMinLimit(Integer minLimit) {
            this.minLimit = minLimit;
        }

        public Integer getMaxLimit() {
            return maxLimit;
        }

        public void setMaxLimit(Integer maxLimit) {
            this.maxLimit = maxLimit;
        }

        public Duration getMinWindow() {
            return minWindow;
        }

        public void setMinWindow(Duration minWindow) {
            this.minWindow = minWindow;
        }

        public Duration getMaxWindow() {
            return maxWindow;
        }

        public void setMaxWindow(Duration maxWindow) {
            this.maxWindow = maxWindow;
        }

        public Integer getMinSamples() {
            return minSamples;
        }

        public void setMinSamples(Integer minSamples) {
            this.minSamples = minSamples;
        }

        public Duration getMinRttThreshold() {
            return minRttThreshold;
        }

        public void setMinRttThreshold(Duration minRttThreshold) {
            this.minRttThreshold = minRttThreshold;
        }
    }

    /** Requests to some hosts get another breaker config and retry policy. */
    public static class Override {
        /**
         * Host patterns: a host ("api.example.com"), host:port ("api.example.com:8443"), or a
         * leading wildcard ("*.example.com"); matched case-insensitively.
         */
        private List<String> hosts = new ArrayList<>();
        /** The breaker config for these hosts. Default: the filter's. */
        private String circuitBreakerConfig;
        /** The retry policy for these hosts ("idempotent", "none" or a name). Default: the filter's. */
        private String retry;

        public List<String> getHosts() {
            return hosts;
        }

        public void setHosts(List<String> hosts) {
            this.hosts = hosts;
        }

        public String getCircuitBreakerConfig() {
            return circuitBreakerConfig;
        }

        public void setCircuitBreakerConfig(String circuitBreakerConfig) {
            this.circuitBreakerConfig = circuitBreakerConfig;
        }

        public String getRetry() {
            return retry;
        }

        public void setRetry(String retry) {
            this.retry = retry;
        }
    }

    /** The {@code recloser} health contributor (management.health.recloser.enabled turns it off). */
    public static class Health {
        /**
         * The status reported while a breaker is OPEN or FORCED_OPEN. The default, CIRCUIT_OPEN, is
         * left out of the overall health by Boot's default status order (a dependency's outage must
         * not fail every instance's health); DOWN fails it.
         */
        private String openStatus = "CIRCUIT_OPEN";
        /** The status reported while a breaker is HALF_OPEN (and none is open). */
        private String halfOpenStatus = "UP";

        public String getOpenStatus() {
            return openStatus;
        }

        public void setOpenStatus(String openStatus) {
            this.openStatus = openStatus;
        }

        public String getHalfOpenStatus() {
            return halfOpenStatus;
        }

        public void setHalfOpenStatus(String halfOpenStatus) {
            this.halfOpenStatus = halfOpenStatus;
        }
    }

    /** The recent transitions the circuitbreakerevents endpoint shows. */
    public static class Events {
        /** Transitions kept in memory (the oldest is dropped); 1 to 10,000. */
        private int capacity = 256;

        public int getCapacity() {
            return capacity;
        }

        public void setCapacity(int capacity) {
            this.capacity = capacity;
        }
    }

    /** The Spring Cloud CircuitBreaker factory. */
    public static class Cloud {
        /** Whether the ReactiveCircuitBreakerFactory is auto-configured (with spring-cloud-commons present). */
        private boolean enabled = true;
        /**
         * Default timeout of each run, inside the breaker (a timeout is a failure); positive.
         * 1s, as Spring Cloud's Resilience4j TimeLimiter. Set timeout-enabled=false for none.
         */
        private Duration timeout = Duration.ofSeconds(1);
        /** Whether runs get the timeout. */
        private boolean timeoutEnabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public boolean isTimeoutEnabled() {
            return timeoutEnabled;
        }

        public void setTimeoutEnabled(boolean timeoutEnabled) {
            this.timeoutEnabled = timeoutEnabled;
        }
    }
}
