package dev.recloser.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid {@code recloser.*} property at start-up: the property, the value, and the
 * valid range, instead of a stack trace through the bean factory.
 */
public final class RecloserFailureAnalyzer extends AbstractFailureAnalyzer<RecloserConfigurationException> {

    /** Created by Spring Boot through {@code META-INF/spring.factories}. */
    public RecloserFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RecloserConfigurationException cause) {
        String description = "Invalid Recloser configuration:\n\n    Property: " + cause.property()
                + "\n    Value: " + cause.value() + "\n    Reason: " + cause.reason();
        String action = "Update " + cause.property() + " in your application's configuration to a value in the"
                + " range the reason gives (docs/spring-boot.md lists every recloser.* property and its range).";
        return new FailureAnalysis(description, action, cause);
    }
}
