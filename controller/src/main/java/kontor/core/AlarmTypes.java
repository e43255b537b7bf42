package kontor.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of alarm types: every type the gateway raises (a retained {@code …/alarms/{type}:{device}}
 * and an {@code alarm.raised} event), with when it is raised and cleared, and the detail it carries.
 * {@code docs/reference.md} ("Alarm types") and the code's {@code alarms.raise(…)} calls are tested against
 * this list ({@code CatalogueTest}): a new alarm type goes here first, then into that table.
 */
public final class AlarmTypes {
    private AlarmTypes() { }

    /** One alarm type: its name on the wire, one line on when it is raised and cleared, and its detail. */
    public record AlarmType(String type, String meaning, List<String> detail) {
        public AlarmType {
            detail = List.copyOf(detail);
        }
    }

    public static final List<AlarmType> ALL = List.of(
            alarm("fire", "the fire input is active; cleared when it is quiet again"),
            alarm("reader.locked_out", "policy.denied_taps_before_lockout denied taps within policy.denied_taps_window "
                    + "at one reader; cleared when the lock-out ends", "until"),
            alarm("clock.unsynchronised", "the system clock is not known to be right (a Pi without a real-time clock after "
                    + "a power cut, before NTP): only the entrance opens, for hosts and cards without an end date; cleared once "
                    + "the clock is synchronised", "since"),
            alarm("device.offline", "a device stopped answering; cleared when it answers again", "detail?"),
            alarm("device.flapping", "an input changed more than 10 times in 10 s; cleared after 10 s of quiet",
                    "changes", "within_s"),
            alarm("device.battery_low", "a field device reports a battery below 20 %; cleared by a report of 25 % "
                    + "or more", "battery"),
            alarm("journal.high_water", "the journal holds 80 % of policy.journal_max_events; cleared below 70 %",
                    "events", "cap"),
            alarm("database.unreadable", "the database could not be read at start and was set aside; cleared by a "
                    + "host's ack once the data is recovered", "moved_to"),
            alarm("door.forced", "a door opened with its strike locked and no unlock or exit press for it; cleared "
                    + "when it is shut again"),
            alarm("door.held_open", "a door stood open longer than policy.door_held_open while it should be locked; "
                    + "cleared when it closes", "limit_s"),
            alarm("console.login_paused", "five wrong passwords in a row paused a console account for 15 minutes; "
                    + "cleared by its next log-in or an admin lifting the pause", "user", "failures", "minutes"),
            alarm("over_capacity", "more people present than the site's capacity; cleared when back within it",
                    "present", "capacity"),
            alarm("locker.jammed", "a lock's feedback did not follow a command; cleared when it next follows one",
                    "expected"),
            alarm("locker.forced", "a locker door opened while locked; cleared when a host sees to the locker "
                    + "(locker.open, locker.release, locker.service)"),
            alarm("locker.left_open", "a locker stood open longer than policy.locker_left_open; cleared when it "
                    + "closes", "since"),
            alarm("loan.overdue", "a lent laptop was not back by its booking's end plus policy.loan_grace; cleared "
                    + "when it is back", "booking", "end"),
            alarm("loan.not_returned", "a lent laptop was still out when the site closed; cleared when it is back",
                    "booking", "end"),
            alarm("calendar.unreachable", "a room's linked calendar could not be read; the last synced bookings stay "
                    + "in force; cleared when it is read again", "reason"),
            alarm("calendar.apply_failed", "a linked calendar was read but what it said could not be applied here; the "
                    + "bookings stay as last synced; cleared when a sync applies again", "reason"),
            alarm("calendar.conflict", "a calendar event overlaps a booking made at the door or by command, finds no "
                    + "laptop free, or names a member loan.book would refuse (the event is flagged); cleared when no flagged event is left for the room", "start", "end", "held_by"),
            alarm("printer.error", "a printer jammed, is out of paper, open, stopped or unreachable; cleared when "
                    + "it reports the cause gone", "reason", "state", "reasons", "detail?"),
            alarm("printer.toner_low", "a supply at or below policy.toner_warning %; cleared above it",
                    "supply", "color", "level", "threshold", "supplies"),
            alarm("print.locked_out", "a print name was locked out after policy.denied_taps_before_lockout wrong PINs "
                    + "within policy.denied_taps_window; cleared when the lock-out ends", "member?", "until"),
            alarm("print.spool_full", "a print job was refused because the spool holds policy.print_spool_max; cleared "
                    + "by a host (alarm.ack) or when jobs leave the spool", "bytes", "limit"),
            alarm("printer.toner_critical", "a supply at or below policy.toner_critical %; cleared above it",
                    "supply", "color", "level", "threshold", "supplies"),
            alarm("fleet.entry_refused", "a fleet directory message was not signed by the owner's key or not a valid entry; "
                    + "cleared when the owner's entries apply again", "topic", "reason"));

    private static final Map<String, AlarmType> BY_TYPE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(AlarmType::type, Function.identity()));

    /** The catalogued alarm type of that name. */
    public static Optional<AlarmType> of(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static boolean isCatalogued(String type) {
        return BY_TYPE.containsKey(type);
    }

    private static AlarmType alarm(String type, String meaning, String... detail) {
        return new AlarmType(type, meaning, Arrays.asList(detail));
    }
}
