package kontor.printing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kontor.store.SqlTime;
import kontor.store.Tx;

/** The held print queue's tables ({@code V9__print_queue.sql}): print log-ins and jobs. */
final class PrintStore {
    private static final String COLUMNS = "job_id, member_id, status, name, format, colour, pages, size_bytes, created, "
            + "printer_id, printer_job, amount, impressions, ended";

    /** A member's print log-in: their id and PIN hash, by print name. */
    record Login(String member, String name, String pinHash) { }

    Optional<Login> login(Tx tx, String printName) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT member_id, print_name, pin_hash FROM print_users WHERE print_name = ?")) {
            p.setString(1, printName);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new Login(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
            }
        }
    }

    Optional<String> printName(Tx tx, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT print_name FROM print_users WHERE member_id = ?")) {
            p.setString(1, member);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets the member's print name and PIN hash; false when another member has that name. */
    boolean setLogin(Tx tx, String member, String printName, String pinHash) throws SQLException {
        Optional<Login> taken = login(tx, printName);
        if (taken.isPresent() && !taken.get().member().equals(member)) {
            return false;
        }
        try (PreparedStatement p = tx.connection().prepareStatement(
                "MERGE INTO print_users (member_id, print_name, pin_hash) KEY (member_id) VALUES (?, ?, ?)")) {
            p.setString(1, member);
            p.setString(2, printName);
            p.setString(3, pinHash);
            p.executeUpdate();
        }
        return true;
    }

    int insert(Tx tx, String member, String name, String format, boolean colour, int pages, long size, Instant created)
            throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO print_jobs (member_id, status, name, format, colour, pages, size_bytes, created) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, member);
            p.setString(2, PrintJob.HELD);
            p.setString(3, name);
            p.setString(4, format);
            p.setBoolean(5, colour);
            p.setInt(6, pages);
            p.setLong(7, size);
            SqlTime.set(p, 8, created);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getInt(1);
            }
        }
    }

    Optional<PrintJob> job(Tx tx, int id) throws SQLException {
        List<PrintJob> jobs = query(tx, "WHERE job_id = ?", id);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.getFirst());
    }

    /** A member's jobs, oldest first: all of them, or only those not yet done. */
    List<PrintJob> ofMember(Tx tx, String member, boolean notDone) throws SQLException {
        return query(tx, "WHERE member_id = ?" + (notDone ? " AND status IN ('held', 'releasing')" : "")
                + " ORDER BY created, job_id", member);
    }

    /** Every member's jobs not yet done (held or being released), oldest first, at most {@code limit}. */
    List<PrintJob> notDone(Tx tx, int limit) throws SQLException {
        return query(tx, "WHERE status IN ('held', 'releasing') ORDER BY created, job_id LIMIT ?", limit);
    }

    List<PrintJob> withStatus(Tx tx, String status) throws SQLException {
        return query(tx, "WHERE status = ? ORDER BY created, job_id", status);
    }

    int count(Tx tx, String status) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT COUNT(*) FROM print_jobs WHERE status = ?")) {
            p.setString(1, status);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Moves a job on from {@code from}; false when it was no longer in that status (someone else moved it). */
    boolean move(Tx tx, int id, String from, String to, String printer, Long amount, Integer impressions, Instant ended)
            throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE print_jobs SET status = ?, printer_id = COALESCE(?, printer_id), amount = COALESCE(?, amount), "
                        + "impressions = COALESCE(?, impressions), ended = ? WHERE job_id = ? AND status = ?")) {
            p.setString(1, to);
            p.setString(2, printer);
            if (amount == null) {
                p.setNull(3, java.sql.Types.BIGINT);
            } else {
                p.setLong(3, amount);
            }
            if (impressions == null) {
                p.setNull(4, java.sql.Types.INTEGER);
            } else {
                p.setInt(4, impressions);
            }
            SqlTime.set(p, 5, ended);
            p.setInt(6, id);
            p.setString(7, from);
            return p.executeUpdate() == 1;
        }
    }

    void printerJob(Tx tx, int id, int printerJob) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("UPDATE print_jobs SET printer_job = ? WHERE job_id = ?")) {
            p.setInt(1, printerJob);
            p.setInt(2, id);
            p.executeUpdate();
        }
    }

    private List<PrintJob> query(Tx tx, String where, Object arg) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT " + COLUMNS + " FROM print_jobs " + where)) {
            p.setObject(1, arg);
            List<PrintJob> jobs = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new PrintJob(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getBoolean(6), rs.getInt(7), rs.getLong(8), SqlTime.get(rs, "created"), rs.getString(10),
                            (Integer) rs.getObject(11), (Long) rs.getObject(12), (Integer) rs.getObject(13),
                            SqlTime.get(rs, "ended")));
                }
            }
            return jobs;
        }
    }
}
