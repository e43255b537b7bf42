package kontor.core;

import static kontor.core.Events.fields;

import java.util.Set;
import java.util.TreeMap;
import kontor.journal.Journal;

/**
 * Keeps the journal within its size cap ({@code policy.journal_max_events}): the oldest
 * <em>published</em> events go first; {@code journal.high_water} is raised at 80 % of the cap and
 * cleared below 70 %. When the cap is reached with everything unpublished (a very long outage),
 * low-priority telemetry is dropped before any access, money or alarm event, and the drop is itself
 * an event ({@code journal.dropped}, with how many of each type).
 */
public final class JournalCapacity {
    /** Telemetry that can be lost without losing what happened at a door, a locker or a copier. */
    static final Set<String> LOW_PRIORITY = Set.of("room.occupied", "room.vacant", "door.exit_pressed");

    private final Journal journal;
    private final long cap;
    private Alarms alarms;
    private Events events;
    private volatile boolean full;
    private final TreeMap<String, Integer> dropped = new TreeMap<>();

    public JournalCapacity(Journal journal, long cap) {
        this.journal = journal;
        this.cap = cap;
    }

    public void tellThrough(Events events, Alarms alarms) {
        this.events = events;
        this.alarms = alarms;
    }

    /** Whether an event of this type may be journaled now; counts it if not. */
    public synchronized boolean admit(String type) {
        if (full && LOW_PRIORITY.contains(type)) {
            dropped.merge(type, 1, Integer::sum);
            return false;
        }
        return true;
    }

    /** Prunes, raises or clears the high-water alarm, and reports drops. On the site thread, every minute. */
    public void check() {
        long count = journal.eventCount();
        if (count > cap) {
            // Down to 95 %: room for what happens until the next check, this check's own events included.
            journal.pruneOldestPublished(count - (cap - cap / 20));
            count = journal.eventCount();
        }
        if (count >= cap * 8 / 10) {
            alarms.raise("journal.high_water", "gateway", fields("events", count, "cap", cap));
        } else if (count < cap * 7 / 10) {
            alarms.clear("journal.high_water", "gateway");
        }
        TreeMap<String, Integer> report;
        synchronized (this) {
            full = count >= cap;
            report = new TreeMap<>(dropped);
            dropped.clear();
        }
        if (!report.isEmpty()) {
            events.emit("journal.dropped", null, fields("events", report.values().stream().mapToInt(Integer::intValue).sum(),
                    "types", report, "reason", "the journal is full of unpublished events"));
        }
    }
}
