package kontor.mqtt;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Warns about refused requests without letting a flood of them flood the log: each kind of refusal (its key,
 * e.g. the forged response topic) is logged once, then again at most every {@link #QUIET_NANOS} with the number
 * refused meanwhile; and at most {@link #MAX_PER_MINUTE} warnings a minute in all. MQTT does not tell the gateway
 * which client published a message, so the key is what the message itself shows. Time here is only the log's
 * pacing, so it is the JVM's clock, not the site's.
 */
final class Refusals {
    static final long QUIET_NANOS = 10L * 60 * 1_000_000_000;
    static final int MAX_PER_MINUTE = 10;
    private static final int MAX_KEYS = 1000;
    private static final long MINUTE_NANOS = 60L * 1_000_000_000;

    private record Seen(long loggedAt, long suppressed) { }

    private final Logger log;
    private final Map<String, Seen> seen = new HashMap<>();
    private long minuteStart = System.nanoTime();
    private int inMinute;
    private long total;

    Refusals(Logger log) {
        this.log = log;
    }

    /** Counts one refusal and logs {@code message} (with {@code key}) unless it was logged lately. */
    synchronized void refused(String key, String message) {
        total++;
        long now = System.nanoTime();
        if (now - minuteStart >= MINUTE_NANOS) {
            minuteStart = now;
            inMinute = 0;
        }
        Seen before = seen.get(key);
        if (before != null && now - before.loggedAt() < QUIET_NANOS) {
            seen.put(key, new Seen(before.loggedAt(), before.suppressed() + 1));
            return;
        }
        if (inMinute >= MAX_PER_MINUTE) {
            log.debug("{} ({})", message, key);
            return;
        }
        if (seen.size() >= MAX_KEYS) {
            seen.clear();
        }
        inMinute++;
        long suppressed = before == null ? 0 : before.suppressed();
        seen.put(key, new Seen(now, 0));
        log.warn("{}{}", message, suppressed > 0 ? " (" + suppressed + " more like it since the last warning)" : "");
    }

    /** Every refusal counted, logged or not. */
    synchronized long total() {
        return total;
    }
}
