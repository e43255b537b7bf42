package kontor.money;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kontor.gateway.Events;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.Tx;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events that commit or roll back with what they record (a charge with what it pays for). The same
 * rendering as {@link Events#emit}: instants in the site's zone, and the log line once committed.
 */
public final class TxEvents {
    private static final Logger log = LoggerFactory.getLogger("kontor.events");

    private final Journal journal;
    private final Events events;
    private final Scheduler clock;

    public TxEvents(Journal journal, Events events, Scheduler clock) {
        this.journal = journal;
        this.events = events;
        this.clock = clock;
    }

    public Event emit(Tx tx, String type, String device, Map<String, Object> fields) throws SQLException {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.replaceAll((k, v) -> v instanceof Instant t ? events.time(t) : v);
        Event e = journal.append(tx, type, device, f, clock.now());
        tx.afterCommit(() -> log.info("#{} {} {} {}", e.seq(), type, device == null ? "-" : device, f.isEmpty() ? "" : f));
        return e;
    }
}
