package kontor.lockers;

import java.time.Instant;

/**
 * A booking of one loan computer and the loan it becomes. {@code status}: {@code booked} (not yet picked up),
 * {@code lent} (picked up at {@code started}), {@code returned} (back at {@code ended}), {@code cancelled} or
 * {@code no_show}. {@code source}: {@code command}, {@code spot} (a tap at the bank), or {@code calendar} (a linked
 * calendar's event, whose key is {@code sourceRef}). {@code member} is null for a calendar event that names no member.
 */
record LoanBooking(String id, String computer, String member, Instant start, Instant end, String status,
                   String source, String sourceRef, Instant started, Instant ended, String depositKey,
                   Instant created) {
    static final String BOOKED = "booked";
    static final String LENT = "lent";
    static final String RETURNED = "returned";
    static final String CANCELLED = "cancelled";
    static final String NO_SHOW = "no_show";

    /** Booked or lent: it holds its computer. */
    boolean live() {
        return BOOKED.equals(status) || LENT.equals(status);
    }

    boolean lent() {
        return LENT.equals(status);
    }

    /** Whether it runs at {@code t}: start ≤ t < end. */
    boolean runsAt(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && end.isAfter(from);
    }
}
