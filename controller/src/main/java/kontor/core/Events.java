package kontor.core;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.Tx;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happened: in the journal first (the journal publisher tells MQTT after). An emitted
 * event goes to the journal's group commit and the site thread goes on; before a lock or strike
 * moves, {@link #awaitDurable()} waits for the commit and the disk; retained states and command
 * replies wait for the commit on their own (see docs/architecture.md). Fields never hold a raw card
 * or a name, so the log line may show them.
 */
public final class Events {
    private static final Logger log = LoggerFactory.getLogger("kontor.events");

    private final Journal journal;
    private final Scheduler clock;
    /** Whether an event of a type may be journaled now (the journal's size cap); everything, unless limited. */
    private Predicate<String> admitted = type -> true;

    public Events(Journal journal, Scheduler clock) {
        this.journal = journal;
        this.clock = clock;
    }

    /** From now on only events whose type {@code admit} accepts are journaled (see {@link JournalCapacity}). */
    public void limitBy(Predicate<String> admit) {
        this.admitted = admit;
    }

    /**
     * Waits until every event emitted so far is in the journal and on the disk, not only in the
     * operating system: call it before a lock or strike moves, so that a power cut cannot take back
     * the record of who was let in and what opened. Concurrent callers share one commit and one disk sync.
     */
    public void awaitDurable() {
        journal.awaitDurable();
    }

    public void emit(String type, String device) {
        emit(type, device, Map.of());
    }

    /**
     * Hands an event to the journal and returns at once; it is stored, in emission order, with the
     * next group commit. Low-priority telemetry is dropped instead while the journal is full of
     * unpublished events.
     */
    public void emit(String type, String device, Map<String, Object> fields) {
        if (!admitted.test(type)) {
            return;
        }
        Map<String, Object> f = rendered(fields);
        journal.handIn(type, device, f, clock.now(), seq -> logged(seq, type, device, f));
    }

    /** Records an event inside the caller's transaction: it exists if and only if the transaction commits. */
    public Event emit(Tx tx, String type, String device, Map<String, Object> fields) throws SQLException {
        Event e = journal.append(tx, type, device, rendered(fields), clock.now());
        tx.afterCommit(() -> logged(e.seq(), e.type(), e.device(), e.fields()));
        return e;
    }

    private Map<String, Object> rendered(Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.replaceAll((k, v) -> v instanceof Instant t ? time(t) : v);
        return f;
    }

    private static void logged(long seq, String type, String device, Map<String, Object> fields) {
        log.info("#{} {} {} {}", seq, type, device == null ? "-" : device, fields.isEmpty() ? "" : fields);
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
