package dev.recloser.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RetryExhaustedExceptionTest {

    @Test
    void carriesAttemptsCauseAndEarlierErrorsInOrder() {
        IOException first = new IOException("first");
        TimeoutException second = new TimeoutException("second");
        IOException last = new IOException("third");

        RetryExhaustedException e = new RetryExhaustedException(3, last, List.of(first, second));

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getCause()).isSameAs(last);
        assertThat(e.getSuppressed()).containsExactly(first, second);
        assertThat(e.lastResult()).isNull();
        assertThat(e.getMessage()).isEqualTo("Retries exhausted after 3 attempts: java.io.IOException: third");
        assertThat(e.getStackTrace()).isNotEmpty();
    }

    @Test
    void skipsNullsAndTheLastErrorItself() {
        IOException first = new IOException("first");
        IOException last = new IOException("last");
        RetryExhaustedException e = new RetryExhaustedException(3, last, Arrays.asList(first, null, last));
        assertThat(e.getSuppressed()).containsExactly(first);
    }

    @Test
    void earlierErrorsMayBeAddedLater() {
        IOException last = new IOException("last");
        RetryExhaustedException e = new RetryExhaustedException(2, last, List.of());
        IOException earlier = new IOException("earlier");
        e.addSuppressed(earlier);
        assertThat(e.getSuppressed()).containsExactly(earlier);
    }

    @Test
    void singleAttempt() {
        RetryExhaustedException e = new RetryExhaustedException(1, new IllegalStateException(), List.of());
        assertThat(e.getMessage()).isEqualTo("Retries exhausted after 1 attempt: java.lang.IllegalStateException");
    }

    @Test
    void resultBasedExhaustionHasNoCauseAndKeepsTheValueOutOfTheMessage() {
        IOException earlier = new IOException("earlier");
        Object response = new Object() {
            @Override
            public String toString() {
                return "secret-token";
            }
        };
        RetryExhaustedException e = RetryExhaustedException.ofResult(4, response, List.of(earlier));
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.getCause()).isNull();
        assertThat(e.lastResult()).isSameAs(response);
        assertThat(e.getSuppressed()).containsExactly(earlier);
        assertThat(e.getMessage())
                .startsWith("Retries exhausted after 4 attempts: last result ")
                .endsWith(" matched retryOnResult")
                .contains(response.getClass().getName())
                .doesNotContain("secret-token");
    }

    @Test
    void resultBasedExhaustionWithANullValue() {
        RetryExhaustedException e = RetryExhaustedException.ofResult(2, null, List.of());
        assertThat(e.lastResult()).isNull();
        assertThat(e.getMessage()).isEqualTo("Retries exhausted after 2 attempts: last result null matched retryOnResult");
    }
}
