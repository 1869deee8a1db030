package dev.recloser.webclient;

import static dev.recloser.webclient.TestServer.HTTP_DATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock WALL = Clock.fixed(NOW, ZoneOffset.UTC);

    private static HttpHeaders headers(String retryAfter) {
        HttpHeaders h = new HttpHeaders();
        if (retryAfter != null) {
            h.set(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return h;
    }

    @Test
    void delaySecondsAreSeconds() {
        assertThat(RetryAfter.delay(headers("1"), WALL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAfter.delay(headers(" 120 "), WALL)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.delay(headers("0"), WALL)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateCountsFromTheDateHeaderWhenThereIsOne() {
        Instant serverNow = Instant.parse("2031-03-04T05:06:07Z");
        HttpHeaders h = headers(HTTP_DATE.format(serverNow.plusSeconds(7)));
        h.set(HttpHeaders.DATE, HTTP_DATE.format(serverNow));
        assertThat(RetryAfter.delay(h, WALL)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anHttpDateCountsFromTheWallClockWithoutADateHeader() {
        assertThat(RetryAfter.delay(headers(HTTP_DATE.format(NOW.plusSeconds(30))), WALL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.delay(headers("Sun, 01 Jun 2025 12:00:05 GMT"), WALL))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theObsoleteDateFormatsAreRead() {
        assertThat(RetryAfter.delay(headers("Sunday, 01-Jun-25 12:00:09 GMT"), WALL)).isEqualTo(Duration.ofSeconds(9));
        assertThat(RetryAfter.delay(headers("Sun Jun  1 12:00:11 2025"), WALL)).isEqualTo(Duration.ofSeconds(11));
        HttpHeaders twoDigitDay = headers("Tue Jun 10 12:00:13 2025");
        twoDigitDay.set(HttpHeaders.DATE, "Tue Jun 10 12:00:00 2025");
        assertThat(RetryAfter.delay(twoDigitDay, WALL)).isEqualTo(Duration.ofSeconds(13));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.delay(headers(HTTP_DATE.format(NOW.minusSeconds(30))), WALL)).isEqualTo(Duration.ZERO);
    }

    @Test
    void hugeSecondsBecomeTheLongestDurationForThePolicyToCap() {
        assertThat(RetryAfter.delay(headers("99999999999999999999999"), WALL)).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "-1", "+5", "1.5", "soon", "١٢", "Mon, 99 Foo 2025 99:99:99 GMT"})
    void malformedValuesGiveNoHint(String value) {
        assertThat(RetryAfter.delay(headers(value), WALL)).isNull();
    }

    @Test
    void noHeaderGivesNoHint() {
        assertThat(RetryAfter.delay(headers(null), WALL)).isNull();
    }

    @Test
    void aMalformedDateHeaderFallsBackToTheWallClock() {
        HttpHeaders h = headers(HTTP_DATE.format(NOW.plusSeconds(3)));
        h.set(HttpHeaders.DATE, "yesterday");
        assertThat(RetryAfter.delay(h, WALL)).isEqualTo(Duration.ofSeconds(3));
    }
}
