package dev.recloser.redis;

import java.nio.charset.StandardCharsets;

/**
 * One fleet verdict as it travels on the channel and rests in the verdict key:
 * {@code rf1|STATE|epoch|untilMs|instance|reason|failureRate|slowCallRate|breaker}, the breaker's
 * name last so that it may contain the separator. {@code untilMs} is on the store's clock.
 */
record Verdict(boolean open, long epoch, long untilMs, String instance, String reason,
               double failureRate, double slowCallRate, String breaker) {

    static final String VERSION = "rf1";
    private static final int FIELDS = 9;

    /** Why a message was dropped; {@code null} from {@link #parse} means "dropped". */
    enum Drop { OVERSIZED, FOREIGN_VERSION, MALFORMED }

    /** The outcome of parsing: a verdict or a drop reason. */
    record Parsed(Verdict verdict, Drop drop) {
    }

    static Parsed parse(String message, int maxBytes) {
        if (message == null) {
            return new Parsed(null, Drop.MALFORMED);
        }
        if (message.length() > maxBytes || message.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return new Parsed(null, Drop.OVERSIZED);
        }
        String[] f = message.split("\\|", FIELDS);
        if (!VERSION.equals(f[0])) {
            return new Parsed(null, f[0].matches("rf[0-9]{1,4}") ? Drop.FOREIGN_VERSION : Drop.MALFORMED);
        }
        if (f.length != FIELDS) {
            return new Parsed(null, Drop.MALFORMED);
        }
        try {
            boolean open;
            if ("OPEN".equals(f[1])) {
                open = true;
            } else if ("CLOSED".equals(f[1])) {
                open = false;
            } else {
                return new Parsed(null, Drop.MALFORMED);
            }
            long epoch = Long.parseLong(f[2]);
            long until = Long.parseLong(f[3]);
            double fr = Double.parseDouble(f[6]);
            double sr = Double.parseDouble(f[7]);
            if (epoch <= 0 || until < 0 || f[4].isEmpty() || f[8].isEmpty() || Double.isNaN(fr) || Double.isNaN(sr)) {
                return new Parsed(null, Drop.MALFORMED);
            }
            return new Parsed(new Verdict(open, epoch, until, f[4], f[5], fr, sr, f[8]), null);
        } catch (NumberFormatException e) {
            return new Parsed(null, Drop.MALFORMED);
        }
    }
}
