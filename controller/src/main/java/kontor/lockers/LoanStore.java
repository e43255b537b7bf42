package kontor.lockers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kontor.store.SqlTime;
import kontor.store.Tx;

/** The {@code loan_computers} and {@code loan_bookings} tables. Every method runs in the caller's transaction. */
final class LoanStore {
    private static final String SELECT = "SELECT id, computer_id, member_id, start_ts, end_ts, status, source, "
            + "source_ref, started, ended, deposit_key, created FROM loan_bookings ";

    /** Adds an in-service row for every loan computer that has none yet. */
    void ensure(Tx tx, List<String> computers) throws SQLException {
        LockerStore.insertMissing(tx, "INSERT INTO loan_computers (computer_id, in_service) SELECT ?, TRUE "
                + "WHERE NOT EXISTS (SELECT 1 FROM loan_computers WHERE computer_id = ?)", computers);
    }

    Map<String, Boolean> inService(Tx tx) throws SQLException {
        Map<String, Boolean> result = new LinkedHashMap<>();
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT computer_id, in_service FROM loan_computers");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return result;
    }

    void inService(Tx tx, String computer, boolean inService) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE loan_computers SET in_service = ? WHERE computer_id = ?")) {
            p.setBoolean(1, inService);
            p.setString(2, computer);
            p.executeUpdate();
        }
    }

    void insert(Tx tx, LoanBooking b) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("INSERT INTO loan_bookings (id, computer_id, "
                + "member_id, start_ts, end_ts, status, source, source_ref, started, ended, deposit_key, created) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, b.id());
            p.setString(2, b.computer());
            p.setString(3, b.member());
            SqlTime.set(p, 4, b.start());
            SqlTime.set(p, 5, b.end());
            p.setString(6, b.status());
            p.setString(7, b.source());
            p.setString(8, b.sourceRef());
            SqlTime.set(p, 9, b.started());
            SqlTime.set(p, 10, b.ended());
            p.setString(11, b.depositKey());
            SqlTime.set(p, 12, b.created());
            p.executeUpdate();
        }
    }

    void lent(Tx tx, String id, Instant started, String depositKey) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE loan_bookings SET status = 'lent', started = ?, deposit_key = ? WHERE id = ?")) {
            SqlTime.set(p, 1, started);
            p.setString(2, depositKey);
            p.setString(3, id);
            p.executeUpdate();
        }
    }

    /** Ends a booking: returned, cancelled or no_show. */
    void end(Tx tx, String id, String status, Instant ended) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE loan_bookings SET status = ?, ended = ? WHERE id = ?")) {
            p.setString(1, status);
            SqlTime.set(p, 2, ended);
            p.setString(3, id);
            p.executeUpdate();
        }
    }

    /** Moves a booking (a linked calendar's event moved) and names its member anew. */
    void reschedule(Tx tx, String id, String member, Instant start, Instant end) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE loan_bookings SET member_id = ?, start_ts = ?, end_ts = ? WHERE id = ?")) {
            p.setString(1, member);
            SqlTime.set(p, 2, start);
            SqlTime.set(p, 3, end);
            p.setString(4, id);
            p.executeUpdate();
        }
    }

    /** Bookings made on the spot (source spot) that end after {@code since}, any status, by start. */
    List<LoanBooking> spotSince(Tx tx, Instant since) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                SELECT + "WHERE source = 'spot' AND end_ts > ? ORDER BY start_ts, computer_id")) {
            SqlTime.set(p, 1, since);
            return rows(p);
        }
    }

    Optional<LoanBooking> get(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT + "WHERE id = ?")) {
            p.setString(1, id);
            return rows(p).stream().findFirst();
        }
    }

    /** Every booked or lent booking, by start. */
    List<LoanBooking> live(Tx tx) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                SELECT + "WHERE status IN ('booked', 'lent') ORDER BY start_ts, computer_id")) {
            return rows(p);
        }
    }

    /** Every booking (any status) overlapping [from, to), by start. */
    List<LoanBooking> between(Tx tx, Instant from, Instant to) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                SELECT + "WHERE start_ts < ? AND end_ts > ? ORDER BY start_ts, computer_id")) {
            SqlTime.set(p, 1, to);
            SqlTime.set(p, 2, from);
            return rows(p);
        }
    }

    List<LoanBooking> ofMember(Tx tx, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                SELECT + "WHERE member_id = ? AND status IN ('booked', 'lent') ORDER BY start_ts")) {
            p.setString(1, member);
            return rows(p);
        }
    }

    private static List<LoanBooking> rows(PreparedStatement p) throws SQLException {
        List<LoanBooking> rows = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(new LoanBooking(rs.getString("id"), rs.getString("computer_id"), rs.getString("member_id"),
                        SqlTime.get(rs, "start_ts"), SqlTime.get(rs, "end_ts"), rs.getString("status"),
                        rs.getString("source"), rs.getString("source_ref"), SqlTime.get(rs, "started"),
                        SqlTime.get(rs, "ended"), rs.getString("deposit_key"), SqlTime.get(rs, "created")));
            }
        }
        return rows;
    }
}
