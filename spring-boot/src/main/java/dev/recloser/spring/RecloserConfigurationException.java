package dev.recloser.spring;

import java.util.Objects;

/**
 * An invalid {@code recloser.*} property: thrown while the application context starts, and turned
 * into a start-up failure report by {@link RecloserFailureAnalyzer}.
 *
 * <p>The message names the property, the value it had and what the builder that rejected it said
 * (which names the valid range), for example {@code recloser.circuitbreaker.instances.inventory.failure-rate-threshold
 * was 150.0: failureRateThreshold must be in (0, 100], was 150.0}.
 */
public final class RecloserConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The property, e.g. {@code recloser.circuitbreaker.configs.default.minimum-number-of-calls}. */
    private final String property;
    /** The value as configured, rendered as text; {@code null} when none was set. */
    private final String value;
    /** What was wrong with it, including the valid range. */
    private final String reason;

    /**
     * @param property the full property name
     * @param value    the configured value, or {@code null}
     * @param reason   what is wrong, with the valid range
     * @param cause    the builder's exception, or {@code null}
     */
    public RecloserConfigurationException(String property, Object value, String reason, Throwable cause) {
        super(property + " was " + value + ": " + reason, cause);
        this.property = Objects.requireNonNull(property, "property");
        this.value = value == null ? null : String.valueOf(value);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The full name of the invalid property. */
    public String property() {
        return property;
    }

    /** The invalid value as text, or {@code null}. */
    public String value() {
        return value;
    }

    /** What is wrong with the value, with the valid range. */
    public String reason() {
        return reason;
    }
}
