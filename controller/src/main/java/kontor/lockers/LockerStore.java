package kontor.lockers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kontor.store.SqlTime;
import kontor.store.Tx;

/** The {@code lockers} table: one row per locker of the site file. Every method runs in the caller's transaction. */
final class LockerStore {
    private static final String SELECT =
            "SELECT locker_id, status, in_service, member_id, assignment, since, until, deposit, deposit_key FROM lockers ";

    /** Adds a free, in-service row for every locker that has none yet. */
    void ensure(Tx tx, List<String> lockers) throws SQLException {
        insertMissing(tx, "INSERT INTO lockers (locker_id, status, in_service, deposit) SELECT ?, 'free', TRUE, 0 "
                + "WHERE NOT EXISTS (SELECT 1 FROM lockers WHERE locker_id = ?)", lockers);
    }

    /** Runs {@code insert}, an INSERT … SELECT ? … WHERE NOT EXISTS (… = ?), once for each id (both parameters). */
    static void insertMissing(Tx tx, String insert, List<String> ids) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(insert)) {
            for (String id : ids) {
                p.setString(1, id);
                p.setString(2, id);
                p.executeUpdate();
            }
        }
    }

    LockerRow get(Tx tx, String locker) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT + "WHERE locker_id = ?")) {
            p.setString(1, locker);
            List<LockerRow> rows = rows(p);
            if (rows.isEmpty()) {
                throw new IllegalStateException("no row for locker " + locker);
            }
            return rows.getFirst();
        }
    }

    Map<String, LockerRow> all(Tx tx) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT + "ORDER BY locker_id")) {
            Map<String, LockerRow> byId = new LinkedHashMap<>();
            rows(p).forEach(r -> byId.put(r.locker(), r));
            return byId;
        }
    }

    /** The lockers a member holds or left things in. */
    List<LockerRow> ofMember(Tx tx, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(SELECT + "WHERE member_id = ? ORDER BY locker_id")) {
            p.setString(1, member);
            return rows(p);
        }
    }

    void assign(Tx tx, String locker, String member, String assignment, Instant since, Instant until,
            long deposit, String depositKey) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE lockers SET status = 'assigned', member_id = ?, assignment = ?, since = ?, until = ?, "
                        + "deposit = ?, deposit_key = ? WHERE locker_id = ?")) {
            p.setString(1, member);
            p.setString(2, assignment);
            SqlTime.set(p, 3, since);
            SqlTime.set(p, 4, until);
            p.setLong(5, deposit);
            p.setString(6, depositKey);
            p.setString(7, locker);
            p.executeUpdate();
        }
    }

    void free(Tx tx, String locker) throws SQLException {
        update(tx, "UPDATE lockers SET status = 'free', member_id = NULL, assignment = NULL, since = NULL, "
                + "until = NULL, deposit = 0, deposit_key = NULL WHERE locker_id = ?", locker);
    }

    /** No longer held, but things are presumed inside: the holder stays on record, the deposit is settled. */
    void needsEmptying(Tx tx, String locker) throws SQLException {
        update(tx, "UPDATE lockers SET status = 'needs_emptying', until = NULL, deposit = 0, deposit_key = NULL "
                + "WHERE locker_id = ?", locker);
    }

    void inService(Tx tx, String locker, boolean inService) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE lockers SET in_service = ? WHERE locker_id = ?")) {
            p.setBoolean(1, inService);
            p.setString(2, locker);
            p.executeUpdate();
        }
    }

    private static void update(Tx tx, String sql, String locker) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(sql)) {
            p.setString(1, locker);
            p.executeUpdate();
        }
    }

    private static List<LockerRow> rows(PreparedStatement p) throws SQLException {
        List<LockerRow> rows = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(new LockerRow(rs.getString("locker_id"), LockerStatus.fromWireName(rs.getString("status")),
                        rs.getBoolean("in_service"), rs.getString("member_id"), rs.getString("assignment"),
                        SqlTime.get(rs, "since"), SqlTime.get(rs, "until"), rs.getLong("deposit"),
                        rs.getString("deposit_key")));
            }
        }
        return rows;
    }
}
