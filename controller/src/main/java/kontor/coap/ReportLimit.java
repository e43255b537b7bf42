package kontor.coap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** At most {@code perMinute} reports per node in any minute of site time; a node over it is refused, not queued. */
final class ReportLimit {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Map<String, Deque<Instant>> recent = new HashMap<>();

    ReportLimit(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts a report of {@code node} at {@code now}; false if it is one too many. */
    synchronized boolean allow(String node, Instant now) {
        Deque<Instant> times = recent.computeIfAbsent(node, n -> new ArrayDeque<>());
        Instant horizon = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
        if (times.size() >= perMinute) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
