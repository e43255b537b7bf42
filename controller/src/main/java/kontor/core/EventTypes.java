package kontor.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of event types: every type the gateway journals and publishes on {@code …/events}, with
 * what it means and the fields it carries (besides {@code seq}, {@code ts}, {@code type} and {@code device}).
 * A field marked {@code ?} is there only sometimes. {@code docs/reference.md} ("Event types") and the code's
 * {@code emit(…)} calls are tested against this list ({@code CatalogueTest}): a new event type goes here
 * first, then into that table.
 */
public final class EventTypes {
    private EventTypes() { }

    /** One event type: its name on the wire, one line on what it means, and its fields. */
    public record EventType(String type, String meaning, List<String> fields) {
        public EventType {
            fields = List.copyOf(fields);
        }
    }

    public static final List<EventType> ALL = List.of(
            // the gateway and the site
            event("gateway.started", "the gateway started", "version"),
            event("clock.jumped", "the system clock moved by more than 2 minutes against the elapsed time (forward "
                    + "or back); the opening hours are re-planned from the new time", "by_s"),
            event("site.opened", "the site opened by its hours (weekly hours or a dated exception)"),
            event("site.closed", "the site closed by its hours"),
            event("journal.dropped", "low-priority events (room.occupied, room.vacant, door.exit_pressed) were not "
                    + "journaled while the journal was full of unpublished events", "events", "types", "reason"),
            // cards and readers
            event("card.granted", "a tap at a reader let a member in; the place adds what it did (a room: room, "
                    + "booking?, action)", "card", "member", "role", "room?", "booking?", "action?"),
            event("card.denied", "a tap at a reader was refused", "card?", "member?", "reason", "detail?"),
            event("card.enrolled", "a card was enrolled: by card.enroll, or at a reader within policy.enrol_window "
                    + "after a host's tap", "member", "card", "role", "accessible", "by?"),
            event("card.revoked", "a card was revoked by card.revoke", "member", "card"),
            event("console.user_changed", "an admin added or changed a host console account", "user", "role", "by"),
            event("console.user_removed", "an admin removed a host console account", "user", "by"),
            event("reader.locked_out", "a reader ignores taps after too many denied ones", "until"),
            // doors, lockers, fire and devices
            event("door.opened", "a door's contact (or a contact sensor) opened"),
            event("door.closed", "a door's contact (or a contact sensor) closed"),
            event("door.exit_pressed", "a door's exit button was pressed"),
            event("locker.opened", "a locker door's contact opened"),
            event("locker.closed", "a locker door's contact closed"),
            event("fire.active", "the fire input became active: every door is released"),
            event("fire.cleared", "the fire input is quiet again"),
            event("device.online", "a device answers again"),
            event("device.offline", "a device stopped answering", "detail?"),
            // alarms
            event("alarm.raised", "an alarm was raised; its detail follows", "alarm", "alarm_type", "…detail"),
            event("alarm.cleared", "an alarm's cause went", "alarm", "alarm_type"),
            event("alarm.acked", "a host acknowledged an alarm (alarm.ack)", "alarm", "alarm_type", "by?"),
            // rooms
            event("room.occupied", "motion in a room: it counts as occupied"),
            event("room.vacant", "a room is no longer occupied (no motion for policy.presence_hold)"),
            event("member.email_set", "a member's e-mail address was set or removed (member.email); shown masked, "
                    + "null when removed", "member", "email", "by?"),
            event("calendar.unreachable", "a room's linked calendar could not be read (also an alarm); reason is "
                    + "timeout, unreachable, http_NNN or bad_calendar; the device is the room", "reason"),
            event("calendar.apply_failed", "a linked calendar was read but what it said could not be applied here "
                    + "(reason database or error); the bookings stay as last synced (also an alarm)", "reason"),
            event("calendar.reachable", "a room's linked calendar was read again after calendar.unreachable"),
            event("calendar.conflict", "a calendar event overlaps a booking made at the door or by command: that "
                    + "booking keeps the room, the event is flagged and booked once the room is free for it (also an alarm); "
                    + "for loans also when no laptop is free, or its member may not book one (held_by member_revoked, "
                    + "member_expired)",
                    "start", "end", "held_by"),
            event("booking.created", "a room was booked (room.book, on the spot by a tap, or by an event of the room's "
                    + "linked calendar: source calendar; no member when the event names none)",
                    "booking", "member?", "start", "end", "on_the_spot", "source?"),
            event("booking.checked_in", "a booking was checked in by a tap at the room, or by a host (booking.check_in)",
                    "booking", "member?", "by?"),
            event("booking.released", "a booking ended: no_show, vacant, ended, cancelled or closing",
                    "booking", "member?", "reason"),
            // copying and money
            event("copier.session_started", "a member's tap switched a copier on",
                    "member", "session", "price_mono", "price_colour"),
            event("copier.page", "a copier counted a page, charged or not", "kind", "charged", "member?", "session?",
                    "page?", "amount?", "balance?", "reason?"),
            event("copier.session_ended", "a copier session ended", "member", "session", "reason", "pages", "amount",
                    "uncharged_pages", "started", "ended", "by?"),
            // the held print queue (no document names, ever)
            event("print.job_held", "a member's job reached the held print queue (spooled, nothing charged)",
                    "member", "job", "pages", "size", "colour"),
            event("print.job_released", "a tap at a printer's release reader (or print.release) sent a held job to "
                    + "the printer, charged in full", "member", "job", "pages", "amount", "colour"),
            event("print.job_completed", "the printer printed a released job", "member", "job", "pages", "amount"),
            event("print.job_failed", "the printer aborted, cancelled or refused a released job: charged for the pages "
                    + "it printed only, the rest refunded", "member", "job", "pages", "amount", "refund", "reason"),
            event("print.job_expired", "a held job was not released within policy.print_hold, or the site closed: "
                    + "deleted, nothing charged", "member", "job", "pages", "reason"),
            event("print.job_cancelled", "a held job was cancelled by its owner (Cancel-Job) or a host (print.cancel)",
                    "member", "job", "pages", "by?"),
            event("print.locked_out", "a print name is refused after too many wrong PINs", "member?", "until"),
            event("member.print_pin_set", "a host set a member's print name and a new print PIN (member.print_pin)",
                    "member", "by?"),
            event("payment.charged", "money from a member's balance", "member", "amount", "reason", "balance", "by?",
                    "locker?", "session?", "page?", "job?", "pages?"),
            event("payment.credited", "money to a member's balance", "member", "amount", "reason", "balance", "by?",
                    "locker?", "job?", "pages?"),
            event("payment.deposit_kept", "a held deposit was kept (the balance does not change again)",
                    "member", "amount", "reason", "balance", "locker"),
            // lockers
            event("locker.assigned", "a locker was given to a member: a day locker by a tap, a rental one by "
                    + "locker.assign", "member", "locker_type", "bank", "deposit?", "until?", "fee?", "by?"),
            event("locker.denied", "a member's tap or a host's open at a locker bank was refused",
                    "member", "reason", "locker?", "by?"),
            event("locker.unlocked", "a locker's lock was released", "reason", "member?", "hold?", "by?"),
            event("locker.released", "a locker was given back: by its holder, by a host, at closing, or its rental expired",
                    "member", "reason", "status", "by?"),
            event("locker.service", "a locker was taken out of service or put back (locker.service)",
                    "in_service", "by?"),
            // the fleet directory
            event("fleet.applied", "an entry of the owner's fleet directory changed a member here (added, updated, revoked, "
                    + "not_here, conflict)", "version", "fleet_member", "member?", "change"),
            // loan computers
            event("loan.booked", "a loan computer was booked: by loan.book, on the spot by a tap, or by a linked "
                    + "calendar (no member when its event names none)", "member?", "booking", "start", "end", "source", "by?"),
            event("loan.released", "a loan booking ended before its laptop was lent (reason cancelled or no_show)",
                    "member?", "booking", "reason", "by?"),
            event("loan.started", "a member's tap opened the bay of a charged laptop booked to them",
                    "member", "booking", "bank", "end", "deposit"),
            event("loan.ended", "a lent laptop is back in its bay with the door shut; it charges again",
                    "member", "booking", "duration_s", "overdue"),
            event("loan.overdue", "a lent laptop was not back by its booking's end plus policy.loan_grace",
                    "member", "booking", "end"),
            event("loan.service", "a loan computer was taken out of service or put back (loan.service)",
                    "in_service", "by?"),
            // benchmarks
            event("bench.load", "background load of the tap benchmark (kontor bench only, never on a site)", "n"));

    private static final Map<String, EventType> BY_TYPE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    /** The catalogued event type of that name. */
    public static Optional<EventType> of(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static boolean isCatalogued(String type) {
        return BY_TYPE.containsKey(type);
    }

    private static EventType event(String type, String meaning, String... fields) {
        return new EventType(type, meaning, Arrays.asList(fields));
    }
}
