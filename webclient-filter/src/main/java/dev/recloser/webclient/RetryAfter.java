package dev.recloser.webclient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.http.HttpHeaders;

/**
 * Reads a {@code Retry-After} header (RFC 9110, section 10.2.3): {@code delay-seconds} (one or
 * more ASCII digits) or an {@code HTTP-date}, which Spring's {@link HttpHeaders#getFirstZonedDateTime}
 * parses (IMF-fixdate, i.e. RFC 1123, and the obsolete RFC 850 form), with a JDK
 * {@link DateTimeFormatter} for the obsolete asctime form, whose day of month is padded with a
 * space ({@code Sun Nov  6 08:49:37 1994}), which Spring's parser does not accept.
 *
 * <p>A date is turned into a delay against the response's own {@code Date} header when it has one:
 * both come from the server's clock, so a skew between the server's and our clock cancels out.
 * Without a {@code Date} header the delay is counted from {@code wallClock}. A date in the past
 * means no wait (zero). Stateless and thread-safe.
 */
final class RetryAfter {

    /** {@code asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year}, in GMT. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {
    }

    /**
     * The delay {@code headers} ask for, or null when there is no {@code Retry-After} header or it
     * is malformed (then the retry policy's backoff applies). A number of seconds too large for a
     * {@code long} is returned as the longest {@code Duration}: the policy caps every hint at its
     * {@code maxDelayHint}.
     */
    static Duration delay(HttpHeaders headers, Clock wallClock) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        value = value.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (isDigits(value)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
                return Duration.ofSeconds(Long.MAX_VALUE);
            }
        }
        ZonedDateTime until = date(headers, HttpHeaders.RETRY_AFTER);
        if (until == null) {
            return null;
        }
        ZonedDateTime serverNow = date(headers, HttpHeaders.DATE);
        Instant now = serverNow != null ? serverNow.toInstant() : wallClock.instant();
        Duration delay = Duration.between(now, until.toInstant());
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    /** {@code delay-seconds = 1*DIGIT}: ASCII digits only (no sign, no fraction, no other scripts). */
    private static boolean isDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static ZonedDateTime date(HttpHeaders headers, String name) {
        try {
            return headers.getFirstZonedDateTime(name);
        } catch (IllegalArgumentException notImfFixdateNorRfc850) {
            try {
                return ZonedDateTime.parse(headers.getFirst(name).trim(), ASCTIME);
            } catch (DateTimeParseException malformed) {
                return null;
            }
        }
    }
}
