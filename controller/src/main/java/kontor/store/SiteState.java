package kontor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Small named facts about the site that must survive a restart, as text (JSON if structured). */
public final class SiteState {
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 10_000;

    private final Database db;
    private final Supplier<Instant> clock;

    /** @param clock the site's clock, e.g. {@code scheduler::now} */
    public SiteState(Database db, Supplier<Instant> clock) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
    }

    public Optional<String> get(String key) {
        return db.read(tx -> get(tx, key));
    }

    public Optional<String> get(Tx tx, String key) throws SQLException {
        checkKey(key);
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT state_value FROM site_state WHERE state_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void put(String key, String value) {
        db.inTransaction(tx -> {
            put(tx, key, value);
            return null;
        });
    }

    public void put(Tx tx, String key, String value) throws SQLException {
        checkKey(key);
        if (value == null || value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("site state value must have at most " + MAX_VALUE + " characters");
        }
        try (PreparedStatement p = tx.connection().prepareStatement(
                "MERGE INTO site_state (state_key, state_value, updated) KEY (state_key) VALUES (?, ?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            SqlTime.set(p, 3, clock.get());
            p.executeUpdate();
        }
    }

    public void remove(String key) {
        checkKey(key);
        db.inTransaction(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("DELETE FROM site_state WHERE state_key = ?")) {
                p.setString(1, key);
                p.executeUpdate();
            }
            return null;
        });
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("site state key must have 1 to " + MAX_KEY + " characters");
        }
    }
}
