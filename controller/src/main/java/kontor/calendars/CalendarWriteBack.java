package kontor.calendars;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Optional;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.RecurrenceId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.XProperty;

/**
 * What Kontor writes back into a CalDAV collection: a booking made at the door as a new event, a no-show or
 * vacant release as STATUS:CANCELLED on the booked instance, and a check-in as a property on it.
 *
 * <p>Only the one instance is touched: for an instance of a recurring event an override (RECURRENCE-ID) is
 * added or changed, so the rest of the series stays booked. SEQUENCE and DTSTAMP move on, as RFC 5545 asks
 * of every significant change, so clients that cache the event pick it up. Nothing written carries a name or
 * an e-mail: a walk-up says only that it was booked at the door, and Kontor's booking id.
 */
public final class CalendarWriteBack {
    /** Kontor's booking id on an event it wrote, so a re-read is recognised as its own. */
    public static final String BOOKING_PROPERTY = "X-KONTOR-BOOKING";
    /** When the booking was checked in at the door (UTC). */
    public static final String CHECKED_IN_PROPERTY = "X-KONTOR-CHECKED-IN";

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ZoneId siteZone;

    public CalendarWriteBack(ZoneId siteZone) {
        this.siteZone = siteZone;
    }

    /** The UID of the event written back for a booking made on the spot: Kontor's booking id at the site. */
    public static String walkUpUid(String bookingId, String site) {
        return "kontor-" + bookingId + "@" + site;
    }

    /** The booking id of {@link #walkUpUid}, or null when {@code uid} is not one of this site's walk-ups. */
    static String walkUpBooking(String uid, String site) {
        String suffix = "@" + site;
        return uid.startsWith("kontor-") && uid.endsWith(suffix) && uid.length() > "kontor-".length() + suffix.length()
                ? uid.substring("kontor-".length(), uid.length() - suffix.length()) : null;
    }

    /** A new event for a booking made on the spot at the door. */
    public String walkUp(String uid, String bookingId, Instant start, Instant end, Instant now) {
        return String.join("\r\n",
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kontor//room calendars//EN", "BEGIN:VEVENT",
                "UID:" + fold(uid), "DTSTAMP:" + UTC.format(now), "DTSTART:" + UTC.format(start),
                "DTEND:" + UTC.format(end), "SUMMARY:Booked at the door", "STATUS:CONFIRMED", "TRANSP:OPAQUE",
                BOOKING_PROPERTY + ":" + fold(bookingId), "END:VEVENT", "END:VCALENDAR", "");
    }

    /** The calendar with the instance at {@code recurrenceId} (null: the single event) cancelled. */
    public String cancel(String icalendar, String uid, Instant recurrenceId, Instant now) throws CalendarOccurrences.BadCalendar {
        return change(icalendar, uid, recurrenceId, now, e -> e.replace(new Status(Status.VALUE_CANCELLED)));
    }

    /** The calendar with the instance at {@code recurrenceId} (null: the single event) marked checked in at {@code at}. */
    public String checkIn(String icalendar, String uid, Instant recurrenceId, Instant at, Instant now)
            throws CalendarOccurrences.BadCalendar {
        return change(icalendar, uid, recurrenceId, now, e -> e.replace(new XProperty(CHECKED_IN_PROPERTY, UTC.format(at))));
    }

    private interface Edit {
        void apply(VEvent event);
    }

    private String change(String icalendar, String uid, Instant recurrenceId, Instant now, Edit edit)
            throws CalendarOccurrences.BadCalendar {
        Calendar calendar;
        try {
            calendar = new CalendarBuilder().build(new StringReader(icalendar));
        } catch (IOException | ParserException | RuntimeException e) {
            throw new CalendarOccurrences.BadCalendar("not an iCalendar object: " + e.getMessage(), e);
        }
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        VEvent master = null;
        VEvent target = null;
        for (VEvent e : events) {
            if (!uid.equals(e.getProperty(Property.UID).map(p -> ((Property) p).getValue()).orElse(null))) {
                continue;
            }
            Optional<RecurrenceId<Temporal>> rid = e.getProperty(Property.RECURRENCE_ID);
            if (rid.isEmpty()) {
                master = e;
            } else if (recurrenceId != null && instant(rid.get().getDate()).equals(recurrenceId)) {
                target = e;
            }
        }
        if (target == null && master == null) {
            throw new CalendarOccurrences.BadCalendar("no event " + uid + " in the calendar", null);
        }
        if (target == null && recurrenceId != null) {
            // A new override for just this instance, with the master's other properties.
            target = override(master, recurrenceId);
            calendar.add(target);
        } else if (target == null) {
            target = master;
        }
        edit.apply(target);
        int sequence = target.getProperty(Property.SEQUENCE).map(p -> ((Sequence) p).getSequenceNo()).orElse(0);
        target.replace(new Sequence(sequence + 1));
        target.replace(new DtStamp(now));
        return calendar.toString();
    }

    /**
     * A copy of the master for the one instance at {@code at}: no recurrence rules, DTSTART and RECURRENCE-ID
     * at the instance written with the master's own TZID (RFC 5545 3.8.4.4 wants the same kind of value),
     * DTEND as long in wall-clock terms as the master's. ical4j's own getOccurrence keeps the RRULE and
     * invents a TZID, which CalDAV servers rightly refuse.
     */
    private VEvent override(VEvent master, Instant at) {
        DtStart<Temporal> masterStart = master.getDateTimeStart();
        Temporal start = masterStart.getDate();
        VEvent copy = master.copy();
        copy.removeAll(Property.RRULE, Property.RDATE, Property.EXDATE, Property.RECURRENCE_ID, Property.DTSTART,
                Property.DTEND, Property.DURATION);
        String startValue;
        String endValue = null;
        Optional<DtEnd<Temporal>> masterEnd = master.getEndDate(false);
        if (start instanceof LocalDate d) {
            LocalDate day = LocalDate.ofInstant(at, siteZone);
            startValue = DATE.format(day);
            if (masterEnd.isPresent() && masterEnd.get().getDate() instanceof LocalDate e) {
                endValue = DATE.format(day.plusDays(e.toEpochDay() - d.toEpochDay()));
            }
        } else if (start instanceof Instant || start instanceof java.time.OffsetDateTime
                || (start instanceof ZonedDateTime z && z.getZone().normalized() == ZoneOffset.UTC)) {
            startValue = UTC.format(at);
            if (masterEnd.isPresent()) {
                endValue = UTC.format(at.plus(Duration.between(instant(start), instant(masterEnd.get().getDate()))));
            }
        } else {
            ZoneId zone = start instanceof ZonedDateTime z ? z.getZone() : siteZone;
            LocalDateTime local = LocalDateTime.ofInstant(at, zone);
            startValue = LOCAL.format(local);
            if (masterEnd.isPresent()) {
                LocalDateTime ms = start instanceof ZonedDateTime z ? z.toLocalDateTime() : (LocalDateTime) start;
                Temporal me = masterEnd.get().getDate();
                LocalDateTime mel = me instanceof ZonedDateTime z ? z.withZoneSameInstant(zone).toLocalDateTime()
                        : me instanceof LocalDateTime l ? l : LocalDateTime.ofInstant(instant(me), zone);
                endValue = LOCAL.format(local.plus(Duration.between(ms, mel)));
            }
        }
        copy.add(new DtStart<Temporal>(masterStart.getParameterList(), startValue));
        copy.add(new RecurrenceId<Temporal>(masterStart.getParameterList(), startValue));
        if (endValue != null) {
            copy.add(new DtEnd<Temporal>(masterEnd.get().getParameterList(), endValue));
        }
        return copy;
    }

    private Instant instant(Temporal t) {
        if (t instanceof Instant i) {
            return i;
        }
        if (t instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (t instanceof LocalDateTime l) {
            return l.atZone(siteZone).toInstant();
        }
        if (t instanceof LocalDate d) {
            return d.atStartOfDay(siteZone).toInstant();
        }
        return Instant.from(t);
    }

    /** Values Kontor writes are ids it made; line breaks would end the property early, so they are refused. */
    private static String fold(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a line break in a calendar value");
        }
        return value;
    }
}
