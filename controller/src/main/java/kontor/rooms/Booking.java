package kontor.rooms;

import java.time.Instant;

/**
 * One booking of one room. Live while {@code released} is null; {@code checkedIn} is null until the
 * booker's tap; {@code reason} says why a released booking ended.
 */
record Booking(String id, String room, String member, Instant start, Instant end, boolean onTheSpot,
               Instant checkedIn, Instant released, String reason, Instant created) {

    boolean live() {
        return released == null;
    }

    boolean checkedInYet() {
        return checkedIn != null;
    }

    /** Whether it runs at {@code t}: start ≤ t < end. */
    boolean runsAt(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && end.isAfter(from);
    }

    Booking checkedInAt(Instant t) {
        return new Booking(id, room, member, start, end, onTheSpot, t, released, reason, created);
    }

    Booking releasedAt(Instant t, String why) {
        return new Booking(id, room, member, start, end, onTheSpot, checkedIn, t, why, created);
    }
}
