package kontor.gateway;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.GroupSync;
import kontor.store.Tx;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happened: durably in the journal first (the journal publisher tells MQTT after).
 * Fields never hold a raw card or a name, so the log line may show them.
 */
public final class Events {
    private static final Logger log = LoggerFactory.getLogger("kontor.events");

    private final Journal journal;
    private final Scheduler clock;
    private final GroupSync sync;
    private JournalCapacity capacity;

    public Events(Journal journal, Scheduler clock, GroupSync sync) {
        this.journal = journal;
        this.clock = clock;
        this.sync = sync;
    }

    void limitBy(JournalCapacity capacity) {
        this.capacity = capacity;
    }

    /**
     * Waits until every event journaled so far is on the disk, not only in the operating system:
     * call it before a lock or strike moves, or before a payment is confirmed, so that a power cut
     * cannot take back the record of what happened. Concurrent callers share one disk sync.
     */
    public void awaitDurable() {
        sync.awaitDurable();
    }

    public Event emit(String type, String device) {
        return emit(type, device, Map.of());
    }

    /**
     * Journals an event, durable against a crash when this returns. Returns null only for
     * low-priority telemetry dropped because the journal is full of unpublished events.
     */
    public Event emit(String type, String device, Map<String, Object> fields) {
        if (capacity != null && !capacity.admit(type)) {
            return null;
        }
        Event e = journal.append(type, device, rendered(fields), clock.now());
        logged(e);
        return e;
    }

    /** Records an event inside the caller's transaction: it exists if and only if the transaction commits. */
    public Event emit(Tx tx, String type, String device, Map<String, Object> fields) throws SQLException {
        Event e = journal.append(tx, type, device, rendered(fields), clock.now());
        tx.afterCommit(() -> logged(e));
        return e;
    }

    private Map<String, Object> rendered(Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.replaceAll((k, v) -> v instanceof Instant t ? time(t) : v);
        return f;
    }

    private static void logged(Event e) {
        log.info("#{} {} {} {}", e.seq(), e.type(), e.device() == null ? "-" : e.device(), e.fields().isEmpty() ? "" : e.fields());
    }

    /** An instant as events and states show it: ISO-8601 with the site's offset. */
    public String time(Instant t) {
        return journal.json().formatTime(t);
    }

    /** Ordered fields: {@code fields("reason", "revoked", "card", "…E5FF")}. Null values are left out. */
    public static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }
}
