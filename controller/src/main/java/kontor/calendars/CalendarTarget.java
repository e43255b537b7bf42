package kontor.calendars;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kontor.members.Member;
import kontor.site.CalendarSpec;
import kontor.store.Tx;

/**
 * What a linked calendar books: a room, a bank of loan computers, or one loan computer. {@link Calendars} keeps
 * the calendar's last synced state and applies the rules; the target only knows its own bookings. Every method
 * but {@link #refresh()} runs inside the sync's transaction on the site thread.
 */
public interface CalendarTarget {
    /** The site-file id (unique across the site): events and alarms name it, and {@code calendar_slots} keys on it. */
    String id();

    /** {@code room}, {@code bank} or {@code computer}: the key naming it in {@code calendars.sync}'s reply. */
    String kind();

    CalendarSpec calendar();

    /** A booking as the sync sees it. {@code releasedUnused}: Kontor released it unused (no-show, vacant). */
    record Held(String id, String member, Instant start, Instant end, boolean live, Instant checkedIn,
                boolean releasedUnused) {
    }

    /** Either the new booking's id, or the id of the booking that holds the target then (the event is flagged). */
    record Booked(String booking, String heldBy) {
    }

    Optional<Held> booking(Tx tx, String id) throws SQLException;

    /**
     * Books [{@code start}, {@code end}) for {@code member} (null: the event names no member). The booking
     * system's own rules were applied there and are not applied again; only what the target cannot hold twice
     * refuses it. {@code fromCalendar} are the ids of the bookings this calendar made (a room lets them overlap);
     * {@code ref} is the event's key in the calendar (its UID, and RECURRENCE-ID for one instance of a series).
     */
    Booked book(Tx tx, String member, Instant start, Instant end, Set<String> fromCalendar, String ref)
            throws SQLException;

    /**
     * Why this target's own booking command would refuse {@code member} a booking ending at {@code end} (the
     * flag's {@code held_by}), or null. Checked before {@link #book}: the event then books nothing. By default
     * none: a revoked member's event then names no member.
     */
    default String refuses(Member member, Instant end) {
        return null;
    }

    /** Moves a live booking to [{@code start}, {@code end}) for {@code member}; false if it no longer fits there. */
    boolean move(Tx tx, Held booking, String member, Instant start, Instant end) throws SQLException;

    /** Releases a live booking with {@code reason} (its events as the target journals them). */
    void release(Tx tx, Held booking, String reason) throws SQLException;

    /** Bookings made on the spot at the door that end after {@code since}, live or not: written back as new events. */
    List<Held> walkUps(Tx tx, Instant since) throws SQLException;

    /** After a sync changed bookings, on the site thread: re-evaluate and republish. */
    void refresh();
}
