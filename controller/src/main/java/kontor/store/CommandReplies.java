package kontor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The first reply given to each (command, request id), so that a repeated request gets it again and does
 * nothing twice. Replies are kept for {@link #KEPT} and then forgotten.
 */
public final class CommandReplies {
    public static final Duration KEPT = Duration.ofDays(7);
    static final int MAX_COMMAND = 64;
    static final int MAX_ID = 256;
    private static final String DUPLICATE_KEY = "23505";

    private final Database db;
    private final Supplier<Instant> clock;

    /** @param clock the site's clock, e.g. {@code scheduler::now} */
    public CommandReplies(Database db, Supplier<Instant> clock) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
    }

    public Optional<byte[]> find(String command, String id) {
        return db.read(tx -> find(tx, command, id));
    }

    /** The reply remembered for this request (within {@link #KEPT}), if any. */
    public Optional<byte[]> find(Tx tx, String command, String id) throws SQLException {
        check(command, id);
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT reply FROM command_replies WHERE command = ? AND request_id = ? AND created >= ?")) {
            p.setString(1, command);
            p.setString(2, id);
            SqlTime.set(p, 3, clock.get().minus(KEPT));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    public void remember(String command, String id, byte[] reply) {
        db.inTransaction(tx -> {
            remember(tx, command, id, reply);
            return null;
        });
    }

    /**
     * Remembers {@code reply} unless a reply to this request is already kept (the first one wins), in the
     * caller's transaction so that it commits together with the command's effect. Forgets expired replies.
     */
    public void remember(Tx tx, String command, String id, byte[] reply) throws SQLException {
        check(command, id);
        Objects.requireNonNull(reply, "reply");
        Instant now = clock.get();
        try (PreparedStatement p = tx.connection().prepareStatement("DELETE FROM command_replies WHERE created < ?")) {
            SqlTime.set(p, 1, now.minus(KEPT));
            p.executeUpdate();
        }
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO command_replies (command, request_id, reply, created) "
                        + "SELECT ?, ?, ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM command_replies WHERE command = ? AND request_id = ?)")) {
            p.setString(1, command);
            p.setString(2, id);
            p.setBytes(3, reply);
            SqlTime.set(p, 4, now);
            p.setString(5, command);
            p.setString(6, id);
            p.executeUpdate();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
            // A concurrent request with the same id committed first: its reply is the one to keep.
        }
    }

    private static void check(String command, String id) {
        if (command == null || command.isEmpty() || command.length() > MAX_COMMAND) {
            throw new IllegalArgumentException("command must have 1 to " + MAX_COMMAND + " characters");
        }
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            throw new IllegalArgumentException("request id must have 1 to " + MAX_ID + " characters");
        }
    }
}
