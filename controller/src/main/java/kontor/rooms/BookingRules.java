package kontor.rooms;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import kontor.mqtt.CommandException;
import kontor.site.OpenInterval;
import kontor.site.OpeningHours;
import kontor.site.Policy;
import kontor.site.TimeRange;
import kontor.store.Tx;

/**
 * The rules every new booking must keep, whether a host books or a tap books on the spot: not in the
 * past, not too long, not too far ahead, within opening hours, no overlap, not too many per member and
 * day. A broken rule comes back as a {@link Refusal} naming it.
 */
final class BookingRules {

    /**
     * A broken rule: {@code code} is the command error code ({@code denied} or {@code conflict}),
     * {@code reason} the {@code card.denied} reason at a door, {@code message} what an operator reads.
     */
    record Refusal(String code, String reason, String message) { }

    private final Policy policy;
    private final OpeningHours hours;
    private final ZoneId zone;
    private final BookingStore store;

    BookingRules(Policy policy, OpeningHours hours, BookingStore store) {
        this.policy = policy;
        this.hours = hours;
        this.zone = hours.zone();
        this.store = store;
    }

    Optional<Refusal> check(Tx tx, String room, String member, Instant start, Instant end, Instant now) throws SQLException {
        if (start.isBefore(now.truncatedTo(ChronoUnit.MINUTES))) {
            return denied("in_the_past", "the booking would start in the past");
        }
        Duration length = Duration.between(start, end);
        if (length.compareTo(policy.maxBookingLength()) > 0) {
            return denied("too_long", "a booking may last at most " + text(policy.maxBookingLength())
                    + " (max_booking_length), this one lasts " + text(length));
        }
        LocalDate lastDay = LocalDate.ofInstant(now, zone).plusDays(policy.bookingDaysAhead());
        if (LocalDate.ofInstant(start, zone).isAfter(lastDay)) {
            return denied("too_far_ahead", "a booking may start at most " + policy.bookingDaysAhead()
                    + " days ahead (booking_days_ahead), that is on " + lastDay + " at the latest");
        }
        if (!openThrough(hours, start, end)) {
            LocalDate day = LocalDate.ofInstant(start, zone);
            List<TimeRange> ranges = hours.rangesOn(day);
            String open = ranges.isEmpty() ? "closed" : ranges.stream().map(TimeRange::toString).collect(Collectors.joining(", "));
            return denied("closed", "the site is not open for the whole booking (opening hours on " + day + ": " + open + ")");
        }
        for (Booking other : store.live(tx, room)) {
            if (other.overlaps(start, end)) {
                return Optional.of(new Refusal(CommandException.CONFLICT, "room_booked", room + " is already booked from "
                        + local(other.start()) + " to " + local(other.end())));
            }
        }
        LocalDate day = LocalDate.ofInstant(start, zone);
        int already = store.countForMember(tx, member, day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant());
        if (already >= policy.bookingsPerMemberPerDay()) {
            return denied("booking_limit", "the member already has " + already + " booking" + (already == 1 ? "" : "s")
                    + " on " + day + " (bookings_per_member_per_day: " + policy.bookingsPerMemberPerDay() + ")");
        }
        return Optional.empty();
    }

    /** Whether the site is open without a break from {@code from} until {@code to}. */
    static boolean openThrough(OpeningHours hours, Instant from, Instant to) {
        Instant t = from;
        while (t.isBefore(to)) {
            Optional<Instant> until = intervalEnd(hours, t);
            if (until.isEmpty()) {
                return false;
            }
            t = until.get();
        }
        return true;
    }

    /** The end of the site's continuous opening from {@code from} (or {@code from} when closed), but no later than {@code limit}. */
    static Instant openUntil(OpeningHours hours, Instant from, Instant limit) {
        Instant t = from;
        while (t.isBefore(limit)) {
            Optional<Instant> until = intervalEnd(hours, t);
            if (until.isEmpty()) {
                return t;
            }
            t = until.get();
        }
        return limit;
    }

    /** The end of the opening interval that contains {@code t}, if the site is open then. */
    private static Optional<Instant> intervalEnd(OpeningHours hours, Instant t) {
        LocalDate date = LocalDate.ofInstant(t, hours.zone());
        for (LocalDate d = date.minusDays(1); !d.isAfter(date.plusDays(1)); d = d.plusDays(1)) {
            for (OpenInterval interval : hours.on(d)) {
                if (interval.contains(t)) {
                    return Optional.of(interval.end());
                }
            }
        }
        return Optional.empty();
    }

    private String local(Instant t) {
        return t.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString().replace('T', ' ');
    }

    /** A rule's duration as the site file writes it: {@code 4h}, {@code 90m}. */
    static String text(Duration d) {
        if (d.toMinutes() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + "h";
        }
        if (d.toSecondsPart() == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }

    private static Optional<Refusal> denied(String reason, String message) {
        return Optional.of(new Refusal(CommandException.DENIED, reason, message));
    }
}
