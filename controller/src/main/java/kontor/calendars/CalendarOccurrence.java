package kontor.calendars;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One concrete booking slot taken from a calendar: a single event, or one instance of a recurring one.
 *
 * <p>{@code uid} and {@code recurrenceId} together name the slot in the calendar, so a write-back (a
 * cancellation, a check-in) can address exactly that instance. {@code emails} are the ORGANIZER and
 * ATTENDEE addresses, lower-cased, organizer first: they are personal data and never leave the gateway
 * in an event or a state.
 */
public record CalendarOccurrence(String uid, Instant recurrenceId, Instant start, Instant end, boolean allDay,
                                 boolean cancelled, List<String> emails, String bookingCode) {
    public CalendarOccurrence {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        emails = List.copyOf(emails);
    }
}
