package kontor.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.StoreException;
import kontor.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's event journal: every event is stored with the next sequence number before anyone is told about
 * it, and is published later from here ({@link JournalPublisher}).
 *
 * <p>Two ways in. {@link #handIn} gives an event to the group commit ({@link GroupCommit}): one writer
 * thread stores whatever is waiting in one transaction, so the site thread does not pay a commit per
 * event; whoever then tells or moves something waits first ({@link #awaitWritten}, {@link #awaitDurable}).
 * {@link #append(Tx, String, String, Map, Instant)} stores an event inside the caller's transaction, so that
 * it commits or rolls back with what it records (a charge, a booking).
 *
 * <p>Sequence numbers are gap-free and strictly increasing across restarts. Both ways take the next number
 * by updating the single {@code journal_seq} row under {@link #seqLock}, which is then held until the
 * transaction ends; so appenders are serialised, and a transaction that rolls back gives its numbers back.
 * The lock is ours, not only H2's row lock: under H2's row locks alone, an appender that rolled back while
 * another waited for the row was seen (1 run in about 150 of the concurrent test) to leave the counter
 * behind a committed event, so that every later commit collided with that event's seq. A transaction's
 * first append waits until the events handed in before it are written, so the journal's order is the
 * order in which things were recorded.
 */
public final class Journal {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final int MAX_TYPE = 64;
    static final int MAX_DEVICE = 128;
    static final int MAX_READ = 10_000;

    /** The lock a transaction holds once it appended: the {@code journal_seq} row. */
    private static final String SEQ_ROW = "journal_seq";
    private static final String INSERT = "INSERT INTO events (seq, ts, type, device, fields) VALUES (?, ?, ?, ?, ?)";

    private final Database db;
    private final EventJson json;
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    private final GroupCommit group;
    private final SeqHighWater highWater;
    /** Held by the transaction that takes seqs, from its first take until it commits or rolls back. */
    private final ReentrantLock seqLock = new ReentrantLock(true);

    public Journal(Database db, ZoneId zone) {
        this.db = Objects.requireNonNull(db, "db");
        this.json = new EventJson(zone);
        this.highWater = SeqHighWater.load(db.directory());
        this.group = new GroupCommit(db, this::write, batch -> fireAppended());
        reconcileSeq();
        continueAboveHighWater();
    }

    /** The database's own id ({@code site_state}), which the high-water mark names to know its database. */
    private static final String EPOCH_KEY = "journal.epoch";

    /**
     * Seq goes on increasing across a lost database: when this database is not the one the high-water mark
     * belongs to (a fresh one after an unreadable one was set aside), or is far behind it (restored from an older
     * backup), its counter is raised to the mark, so no seq a subscriber has seen is handed out again. The gap
     * says that events were lost with the old database (they are in the files set aside).
     */
    private void continueAboveHighWater() {
        String epoch = db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT state_value FROM site_state WHERE state_key = ?")) {
                p.setString(1, EPOCH_KEY);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        long last = db.read(tx -> single(tx, "SELECT last_seq FROM journal_seq WHERE id = 1"));
        String markEpoch = highWater.epoch();
        boolean another = markEpoch != null && !markEpoch.equals(epoch);
        boolean behind = markEpoch != null && markEpoch.equals(epoch) && last < highWater.reserved() - 2 * SeqHighWater.BLOCK;
        if ((another || behind) && highWater.reserved() > last) {
            long from = highWater.reserved();
            db.inTransaction(tx -> {
                try (PreparedStatement p = tx.connection().prepareStatement("UPDATE journal_seq SET last_seq = ? WHERE id = 1")) {
                    p.setLong(1, from);
                    return p.executeUpdate();
                }
            });
            log.warn("This database's journal ends at seq {}, but seqs up to {} may have been handed out before it ({}):"
                    + " seq goes on at {}, so that no subscriber sees a seq twice", last, from,
                    another ? "the database was replaced" : "the database is older than the journal's mark", from + 1);
            last = from;
        }
        if (epoch == null) {
            String fresh = java.util.UUID.randomUUID().toString();
            db.inTransaction(tx -> {
                try (PreparedStatement p = tx.connection().prepareStatement(
                        "INSERT INTO site_state (state_key, state_value, updated) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                    p.setString(1, EPOCH_KEY);
                    p.setString(2, fresh);
                    return p.executeUpdate();
                }
            });
            epoch = fresh;
        }
        highWater.adopt(epoch, last);
    }

    /**
     * The seq counter is derived state: the events are the record. After a kill -9 the recovered
     * database was once seen (1 round in a few hundred) with committed events beyond the counter;
     * the next append would then reuse a seq. So at open the counter is raised to the newest event
     * (never lowered: retention may have removed every event).
     */
    private void reconcileSeq() {
        int raised = db.inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "UPDATE journal_seq SET last_seq = (SELECT MAX(seq) FROM events) "
                            + "WHERE id = 1 AND last_seq < (SELECT COALESCE(MAX(seq), 0) FROM events)")) {
                return p.executeUpdate();
            }
        });
        if (raised > 0) {
            log.warn("The journal's seq counter was behind its newest event after a crash; raised to {}", lastSeq());
        }
    }

    public ZoneId zone() {
        return json.zone();
    }

    /** The site's JSON form of events. */
    public EventJson json() {
        return json;
    }

    /**
     * Hands an event to the group commit and returns at once; {@code onWritten} (may be null) gets its seq
     * on the committing thread once it is stored (it must not block). Only a full queue makes this wait.
     *
     * @throws IllegalArgumentException for a blank or over-long type or device, or fields that are not plain JSON
     * @throws kontor.store.StoreException when the journal is closed
     */
    public void handIn(String type, String device, Map<String, Object> fields, Instant ts, LongConsumer onWritten) {
        group.handIn(pending(type, device, fields, ts, onWritten));
    }

    /** Appends and waits until the event is stored (it survives a kill -9); it shares a commit with others waiting. */
    public Event append(String type, String device, Map<String, Object> fields, Instant ts) {
        GroupCommit.Pending p = pending(type, device, fields, ts, null);
        group.handIn(p);
        group.awaitWritten(p);
        return new Event(p.seq, p.ts, p.type, p.device, EventJson.readFields(p.fields));
    }

    /**
     * Waits until every event handed in before the call is stored: call it before telling anyone or
     * moving anything the events record. Returns at once inside a transaction that appended (the writer
     * waits for it, not the other way round).
     */
    public void awaitWritten() {
        if (!holdsSeqRow()) {
            group.awaitWritten();
        }
    }

    /**
     * Waits until every event handed in before the call is stored and everything committed so far is on
     * the disk, not only in the operating system: call it before a lock or strike moves, so that a power
     * cut cannot take back the record. Concurrent callers share one disk sync.
     */
    public void awaitDurable() {
        if (holdsSeqRow()) {
            throw new IllegalStateException("a transaction that appended cannot wait for the disk: its events are not committed");
        }
        group.awaitDurable();
    }

    /** Transactions the group commit wrote, and disk syncs it ran (for tests and benchmarks). */
    public long groupCommits() {
        return group.commits();
    }

    public long groupSyncs() {
        return group.syncs();
    }

    /** Writes what was handed in and stops the writer; events handed in later are refused. */
    public void close() {
        group.close();
    }

    /**
     * Appends inside the caller's transaction, so that the event commits or rolls back with what it records.
     * Other appenders wait until that transaction ends: keep it short.
     *
     * @throws IllegalArgumentException for a blank or over-long type or device, or fields that are not plain JSON
     */
    public Event append(Tx tx, String type, String device, Map<String, Object> fields, Instant ts) throws SQLException {
        GroupCommit.Pending p = pending(type, device, fields, ts, null);
        if (!tx.holdsLock(SEQ_ROW)) {
            // Before taking the seq row: what was handed in earlier gets the earlier numbers.
            group.awaitWritten();
            holdSeqs(tx);
        }
        Connection c = tx.connection();
        long seq = takeSeqs(c, 1);
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            bind(insert, seq, p);
            insert.executeUpdate();
        }
        tx.afterCommit(this::fireAppended);
        // Read back through JSON so that the returned event equals what read() will give later.
        return new Event(seq, p.ts, p.type, p.device, EventJson.readFields(p.fields));
    }

    /** The group commit's writer: one transaction, the next seqs, one batched insert. */
    private void write(Tx tx, List<GroupCommit.Pending> batch) throws SQLException {
        holdSeqs(tx);
        Connection c = tx.connection();
        long first = takeSeqs(c, batch.size());
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            long seq = first;
            for (GroupCommit.Pending p : batch) {
                p.seq = seq;
                bind(insert, seq++, p);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Takes {@link #seqLock} for the rest of {@code tx}, waiting as long as the database waits for a row lock.
     *
     * @throws StoreException when another transaction keeps it longer than that
     */
    private void holdSeqs(Tx tx) {
        try {
            if (!seqLock.tryLock(Database.LOCK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new StoreException("the journal's sequence is held by a transaction that has run for over "
                        + Database.LOCK_TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the journal's sequence", e);
        }
        tx.tookLock(SEQ_ROW);
        tx.atEnd(seqLock::unlock);
    }

    /**
     * Takes {@code count} sequence numbers and returns the first; the caller holds {@link #seqLock}, so the
     * committed value is the one read. (FOR UPDATE stays as a second guard for anyone writing the row
     * without the lock.)
     */
    private long takeSeqs(Connection c, int count) throws SQLException {
        long last;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_seq FROM journal_seq WHERE id = 1 FOR UPDATE")) {
            rs.next();
            last = rs.getLong(1);
        }
        // Outside the database first: once per SeqHighWater.BLOCK seqs, one small fsynced file.
        highWater.cover(last + count);
        try (PreparedStatement p = c.prepareStatement("UPDATE journal_seq SET last_seq = ? WHERE id = 1")) {
            p.setLong(1, last + count);
            p.executeUpdate();
        }
        return last + 1;
    }

    private static void bind(PreparedStatement insert, long seq, GroupCommit.Pending p) throws SQLException {
        insert.setLong(1, seq);
        SqlTime.set(insert, 2, p.ts);
        insert.setString(3, p.type);
        insert.setString(4, p.device);
        insert.setString(5, p.fields);
    }

    /** Checks and renders an event for storing; nothing is stored yet. */
    private static GroupCommit.Pending pending(String type, String device, Map<String, Object> fields, Instant ts,
                                               LongConsumer onWritten) {
        Objects.requireNonNull(ts, "ts");
        if (type == null || type.isBlank() || type.length() > MAX_TYPE) {
            throw new IllegalArgumentException("event type must have 1 to " + MAX_TYPE + " characters");
        }
        if (device != null && (device.isBlank() || device.length() > MAX_DEVICE)) {
            throw new IllegalArgumentException("event device must have 1 to " + MAX_DEVICE + " characters");
        }
        Map<String, Object> given = fields == null ? Map.of() : fields;
        EventJson.checkFields(given);
        return new GroupCommit.Pending(type, device, EventJson.writeFields(given), SqlTime.stored(ts), onWritten);
    }

    private boolean holdsSeqRow() {
        return db.currentTransaction().map(tx -> tx.holdsLock(SEQ_ROW)).orElse(false);
    }

    /** The newest stored seq, once the events handed in before the call are stored; 0 when the journal is empty. */
    public long lastSeq() {
        awaitWritten();
        return db.read(tx -> single(tx, "SELECT last_seq FROM journal_seq WHERE id = 1"));
    }

    /** Every event up to this seq was acknowledged by the broker. */
    public long publishedSeq() {
        return db.read(tx -> single(tx, "SELECT published_seq FROM publication WHERE id = 1"));
    }

    /** Events stored but not yet acknowledged by the broker (once those handed in before the call are stored). */
    public long unpublishedCount() {
        awaitWritten();
        return db.read(tx -> single(tx, "SELECT j.last_seq - p.published_seq FROM journal_seq j, publication p"));
    }

    /**
     * Records that every event up to {@code seq} was acknowledged. Never moves back: a lower seq than the one
     * recorded changes nothing.
     *
     * @throws IllegalArgumentException for a seq below 0 or beyond the last event
     */
    public void markPublished(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("published seq must not be negative");
        }
        db.inTransaction(tx -> {
            long last = single(tx, "SELECT last_seq FROM journal_seq WHERE id = 1");
            if (seq > last) {
                throw new IllegalArgumentException("cannot mark seq " + seq + " published: the journal ends at " + last);
            }
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "UPDATE publication SET published_seq = ? WHERE id = 1 AND published_seq < ?")) {
                p.setLong(1, seq);
                p.setLong(2, seq);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Up to {@code limit} events from {@code fromSeq} on (inclusive), in seq order, once the events handed
     * in before the call are stored.
     */
    public List<Event> read(long fromSeq, int limit) {
        if (limit < 1 || limit > MAX_READ) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_READ);
        }
        awaitWritten();
        return select(fromSeq, limit, (seq, ts, type, device, fields) ->
                new Event(seq, ts, type, device, EventJson.readFields(fields)));
    }

    /**
     * Newest first: up to {@code limit} events with a seq below {@code beforeSeq}, recorded before {@code before}
     * (when given), of {@code type} (exact, or every type under {@code card.} when it ends with a dot), at
     * {@code device}, naming {@code member}; a null filter matches everything. For the console's journal page.
     */
    public List<Event> readBack(long beforeSeq, int limit, String type, String device, String member, Instant before) {
        if (limit < 1 || limit > MAX_READ) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_READ);
        }
        awaitWritten();
        StringBuilder sql = new StringBuilder("SELECT seq, ts, type, device, fields FROM events WHERE seq < ?");
        List<Object> args = new ArrayList<>();
        args.add(beforeSeq);
        if (type != null) {
            sql.append(type.endsWith(".") ? " AND type LIKE ? ESCAPE '\\'" : " AND type = ?");
            args.add(type.endsWith(".") ? likeEscape(type) + "%" : type);
        }
        if (device != null) {
            sql.append(" AND device = ?");
            args.add(device);
        }
        if (member != null) {
            // The stored fields are compact JSON: a member is "member":"<id>" in them.
            sql.append(" AND fields LIKE ? ESCAPE '\\'");
            args.add("%\"member\":\"" + likeEscape(member) + "\"%");
        }
        if (before != null) {
            sql.append(" AND ts < ?");
            args.add(before);
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return db.read(tx -> {
            List<Event> events = new ArrayList<>();
            try (PreparedStatement p = tx.connection().prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Instant t) {
                        SqlTime.set(p, i + 1, t);
                    } else {
                        p.setObject(i + 1, a);
                    }
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        events.add(new Event(rs.getLong(1), SqlTime.get(rs, "ts"), rs.getString(3), rs.getString(4),
                                EventJson.readFields(rs.getString(5))));
                    }
                }
            }
            return events;
        });
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** An event as it is published: its seq and its JSON. */
    record Publishable(long seq, byte[] json) { }

    /**
     * As {@link #read}, but each event straight to its published JSON (the stored fields are not parsed), and
     * only what is stored: the publisher must not wait for the group commit (it is told when it commits).
     */
    List<Publishable> readPublishable(long fromSeq, int limit) {
        if (limit < 1 || limit > MAX_READ) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_READ);
        }
        return select(fromSeq, limit, (seq, ts, type, device, fields) ->
                new Publishable(seq, json.toJson(seq, ts, type, device, fields)));
    }

    /** An event's stored columns, made into what a reader wants. */
    private interface StoredEvent<T> {
        T of(long seq, Instant ts, String type, String device, String fields);
    }

    private <T> List<T> select(long fromSeq, int limit, StoredEvent<T> make) {
        return db.read(tx -> {
            List<T> events = new ArrayList<>(Math.min(limit, 256));
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT seq, ts, type, device, fields FROM events WHERE seq >= ? ORDER BY seq LIMIT ?")) {
                p.setLong(1, fromSeq);
                p.setInt(2, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        events.add(make.of(rs.getLong(1), SqlTime.get(rs, "ts"), rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return events;
        });
    }

    /**
     * Deletes events older than {@code cutoff} that the broker has acknowledged (retention); an unpublished
     * event is never deleted. Sequence numbers are not reused. The journal is cut from its oldest event up to
     * the first one that is not older than {@code cutoff}, in seq order (the order events were recorded in,
     * which is time order unless the clock was set back): it never gets a hole in the middle, and needs no
     * index on time.
     *
     * @return how many events were deleted
     */
    public int prunePublishedBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return db.inTransaction(tx -> {
            long firstKept = Long.MAX_VALUE;
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT seq FROM events WHERE ts >= ? ORDER BY seq LIMIT 1")) {
                SqlTime.set(p, 1, cutoff);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        firstKept = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "DELETE FROM events WHERE seq < ? AND seq <= (SELECT published_seq FROM publication WHERE id = 1)")) {
                p.setLong(1, firstKept);
                return p.executeUpdate();
            }
        });
    }

    /** How many events the journal holds, once the events handed in before the call are stored. */
    public long eventCount() {
        awaitWritten();
        return db.read(tx -> single(tx, "SELECT COUNT(*) FROM events"));
    }

    /**
     * Removes the oldest events that the broker has acknowledged, at most {@code count} of them;
     * unpublished events are never removed. Returns how many went.
     */
    public int pruneOldestPublished(long count) {
        if (count <= 0) {
            return 0;
        }
        return db.inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq <= "
                            + "(SELECT published_seq FROM publication WHERE id = 1) ORDER BY seq LIMIT ?)")) {
                p.setLong(1, count);
                return p.executeUpdate();
            }
        });
    }

    /** Calls {@code listener} after each commit that stored events, on the committing thread: it must not block. */
    public void onAppend(Runnable listener) {
        appendListeners.add(Objects.requireNonNull(listener));
    }

    private void fireAppended() {
        for (Runnable listener : appendListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("A journal append listener failed", e);
            }
        }
    }

    private static long single(Tx tx, String sql) throws SQLException {
        try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
