package kontor.site;

import java.time.Instant;

/** The site is open from {@code start} (inclusive) until {@code end} (exclusive). */
public record OpenInterval(Instant start, Instant end) {
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
