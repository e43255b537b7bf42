package kontor.rooms;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kontor.store.SqlTime;
import kontor.store.Tx;

/** The {@code bookings} table: every read and write of bookings, inside the caller's transaction. */
final class BookingStore {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final String COLUMNS =
            "SELECT id, room_id, member_id, starts, ends, on_the_spot, checked_in, released, released_reason, created FROM bookings ";

    private final SecureRandom random = new SecureRandom();

    /** A new random booking id, e.g. {@code bk-3xq7ma2kdp}. */
    String newId() {
        StringBuilder id = new StringBuilder("bk-");
        for (int i = 0; i < 10; i++) {
            id.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return id.toString();
    }

    void insert(Tx tx, Booking b) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO bookings (id, room_id, member_id, starts, ends, on_the_spot, checked_in, released, released_reason, created) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, b.id());
            p.setString(2, b.room());
            p.setString(3, b.member());
            SqlTime.set(p, 4, b.start());
            SqlTime.set(p, 5, b.end());
            p.setBoolean(6, b.onTheSpot());
            SqlTime.set(p, 7, b.checkedIn());
            SqlTime.set(p, 8, b.released());
            p.setString(9, b.reason());
            SqlTime.set(p, 10, b.created());
            p.executeUpdate();
        }
    }

    /** Records a check-in; false if the booking is no longer live. */
    boolean checkIn(Tx tx, String id, Instant at) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE bookings SET checked_in = ? WHERE id = ? AND released IS NULL AND checked_in IS NULL")) {
            SqlTime.set(p, 1, at);
            p.setString(2, id);
            return p.executeUpdate() == 1;
        }
    }

    /** Releases a live booking; false if it was released already. */
    boolean release(Tx tx, String id, Instant at, String reason) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE bookings SET released = ?, released_reason = ? WHERE id = ? AND released IS NULL")) {
            SqlTime.set(p, 1, at);
            p.setString(2, reason);
            p.setString(3, id);
            return p.executeUpdate() == 1;
        }
    }

    /** Moves a live booking (its calendar event moved); false if it is no longer live. */
    boolean reschedule(Tx tx, String id, Instant start, Instant end) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE bookings SET starts = ?, ends = ? WHERE id = ? AND released IS NULL")) {
            SqlTime.set(p, 1, start);
            SqlTime.set(p, 2, end);
            p.setString(3, id);
            return p.executeUpdate() == 1;
        }
    }

    /** Gives a live booking another member (its calendar event now names someone else); null: no member. */
    void reassign(Tx tx, String id, String member) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "UPDATE bookings SET member_id = ? WHERE id = ? AND released IS NULL")) {
            p.setString(1, member);
            p.setString(2, id);
            p.executeUpdate();
        }
    }

    /** Bookings made at the door of one room that end after {@code since}, live or released, by start. */
    List<Booking> onTheSpotSince(Tx tx, String room, Instant since) throws SQLException {
        return query(tx, "WHERE room_id = ? AND on_the_spot AND ends > ? ORDER BY starts", room, since);
    }

    Optional<Booking> byId(Tx tx, String id) throws SQLException {
        List<Booking> found = query(tx, "WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The room's live bookings, by start. */
    List<Booking> live(Tx tx, String room) throws SQLException {
        return query(tx, "WHERE room_id = ? AND released IS NULL ORDER BY starts", room);
    }

    /** Every live booking of the site, by start. */
    List<Booking> allLive(Tx tx) throws SQLException {
        return query(tx, "WHERE released IS NULL ORDER BY starts, room_id");
    }

    /** Bookings (live or released) that overlap [from, to), of one room or (room null) all, by start. */
    List<Booking> between(Tx tx, String room, Instant from, Instant to) throws SQLException {
        return room == null
                ? query(tx, "WHERE starts < ? AND ends > ? ORDER BY starts, room_id", to, from)
                : query(tx, "WHERE room_id = ? AND starts < ? AND ends > ? ORDER BY starts", room, to, from);
    }

    /** How many bookings of the member start in [from, to), cancelled ones not counted. */
    int countForMember(Tx tx, String member, Instant from, Instant to) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT COUNT(*) FROM bookings WHERE member_id = ? AND starts >= ? AND starts < ? "
                        + "AND (released_reason IS NULL OR released_reason <> 'cancelled')")) {
            p.setString(1, member);
            SqlTime.set(p, 2, from);
            SqlTime.set(p, 3, to);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The member's live bookings, by start. */
    List<Booking> liveOfMember(Tx tx, String member) throws SQLException {
        return query(tx, "WHERE member_id = ? AND released IS NULL ORDER BY starts", member);
    }

    private List<Booking> query(Tx tx, String where, Object... args) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(COLUMNS + where)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Instant t) {
                    SqlTime.set(p, i + 1, t);
                } else {
                    p.setString(i + 1, (String) args[i]);
                }
            }
            List<Booking> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Booking(rs.getString("id"), rs.getString("room_id"), rs.getString("member_id"),
                            SqlTime.get(rs, "starts"), SqlTime.get(rs, "ends"), rs.getBoolean("on_the_spot"),
                            SqlTime.get(rs, "checked_in"), SqlTime.get(rs, "released"), rs.getString("released_reason"),
                            SqlTime.get(rs, "created")));
                }
            }
            return out;
        }
    }
}
