package kontor.calendars;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.RecurrenceId;

/**
 * Expands an iCalendar text into the booking slots that fall in a window.
 *
 * <p>ical4j does the calendar arithmetic (RRULE, RDATE, EXDATE, VTIMEZONE and TZID, DST gaps and
 * overlaps). What it does not do, and this class does, is apply RECURRENCE-ID overrides: an override
 * replaces the master's instance it names (moved, shortened or cancelled), so the master's own instance
 * at that RECURRENCE-ID is dropped. Floating times and all-day dates have no zone of their own; they are
 * read in the site's zone, which is what the people booking the room mean by them.
 */
public final class CalendarOccurrences {
    /** "Kontor: K-1234" or "booking code: 1234" anywhere in SUMMARY, DESCRIPTION or LOCATION. */
    /**
     * The most slots one read may give: the site thread applies them in one transaction, so a rule of every minute
     * (or second) must not become tens of thousands of bookings for the doors to wait behind. More is a bad calendar:
     * the last good one stays in force and the host is told ({@code calendar.unreachable}, {@code bad_calendar}).
     */
    static final int MAX_OCCURRENCES = 2_000;
    /** The longest UID kept; a longer one cannot be stored or written back, so its event is left out. */
    static final int MAX_UID = 255;
    /** The most e-mail addresses read from one event (organizer and attendees): each is looked up on the site thread. */
    static final int MAX_EMAILS = 50;

    private static final Pattern BOOKING_CODE =
            Pattern.compile("(?i)(?:kontor|booking[ -]?code)\\s*[:#]?\\s*([A-Z0-9][A-Z0-9-]{2,31})");

    private final ZoneId siteZone;

    public CalendarOccurrences(ZoneId siteZone) {
        this.siteZone = siteZone;
    }

    /** Thrown for text that is not an iCalendar object; the last good calendar stays in force. */
    public static final class BadCalendar extends Exception {
        BadCalendar(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The slots that overlap [{@code from}, {@code to}), ordered by start, cancelled ones included. */
    public List<CalendarOccurrence> expand(String icalendar, Instant from, Instant to) throws BadCalendar {
        Calendar calendar;
        try {
            calendar = new CalendarBuilder().build(new StringReader(icalendar));
        } catch (IOException | ParserException | RuntimeException e) {
            throw new BadCalendar("not an iCalendar object: " + e.getMessage(), e);
        }
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        // Overrides first, keyed by UID: they replace the master's instances at their RECURRENCE-ID.
        Map<String, Set<Instant>> overridden = new HashMap<>();
        List<CalendarOccurrence> out = new ArrayList<>();
        for (VEvent event : events) {
            Optional<RecurrenceId<Temporal>> rid = event.getProperty(Property.RECURRENCE_ID);
            if (rid.isEmpty()) {
                continue;
            }
            String uid = uid(event);
            Instant ridAt = instant(rid.get().getDate());
            overridden.computeIfAbsent(uid, u -> new HashSet<>()).add(ridAt);
            Optional<Temporal> start = event.getStartDate().map(p -> (Temporal) p.getDate());
            if (start.isEmpty()) {
                continue;
            }
            Instant s = instant(start.get());
            Instant e = end(event, start.get(), s);
            if (s.isBefore(to) && e.isAfter(from)) {
                add(out, event, uid, ridAt, s, e, start.get() instanceof LocalDate);
            }
        }
        // The window widened by a day each side so that all-day and floating instances near the edges are
        // produced whatever zone ical4j reads the window in; the overlap test below trims them.
        ZonedDateTime windowFrom = from.minus(Duration.ofDays(1)).atZone(siteZone);
        ZonedDateTime windowTo = to.plus(Duration.ofDays(1)).atZone(siteZone);
        for (VEvent event : events) {
            if (event.getProperty(Property.RECURRENCE_ID).isPresent() || event.getStartDate().isEmpty()) {
                continue;
            }
            String uid = uid(event);
            boolean recurring = event.getProperty(Property.RRULE).isPresent()
                    || event.getProperty(Property.RDATE).isPresent();
            Set<Instant> replaced = overridden.getOrDefault(uid, Set.of());
            Set<Period<Temporal>> periods = event.calculateRecurrenceSet(window(event, windowFrom, windowTo));
            for (Period<Temporal> p : periods) {
                Instant s = instant(p.getStart());
                Instant e = instant(p.getEnd());
                if (replaced.contains(s) || !s.isBefore(to) || !e.isAfter(from)) {
                    continue;
                }
                add(out, event, uid, recurring ? s : null, s, e, p.getStart() instanceof LocalDate);
            }
        }
        out.sort(Comparator.comparing(CalendarOccurrence::start).thenComparing(CalendarOccurrence::uid));
        return out;
    }

    /** ical4j compares the window with DTSTART unit by unit, so the window must be of the same kind. */
    private static Period<? extends Temporal> window(VEvent event, ZonedDateTime from, ZonedDateTime to) {
        Temporal start = event.getStartDate().map(p -> (Temporal) p.getDate()).orElseThrow();
        if (start instanceof LocalDate) {
            return new Period<>(from.toLocalDate(), to.toLocalDate());
        }
        if (start instanceof LocalDateTime) {
            return new Period<>(from.toLocalDateTime(), to.toLocalDateTime());
        }
        return new Period<>(from, to);
    }

    private Instant end(VEvent event, Temporal startTemporal, Instant start) {
        Optional<Temporal> end = event.getEndDate(true).map(p -> (Temporal) p.getDate());
        if (end.isPresent()) {
            return instant(end.get());
        }
        // RFC 5545 3.6.1: no DTEND and no DURATION is one day for a date, zero length for a date-time.
        return startTemporal instanceof LocalDate d ? instant(d.plusDays(1)) : start;
    }

    /**
     * Adds a slot, leaving out what can book nothing: a zero-length event (a date-time DTSTART with neither DTEND nor
     * DURATION occupies no time) and one whose UID is too long to keep.
     *
     * @throws BadCalendar past {@link #MAX_OCCURRENCES}
     */
    private void add(List<CalendarOccurrence> out, VEvent event, String uid, Instant recurrenceId, Instant start,
                     Instant end, boolean allDay) throws BadCalendar {
        if (!end.isAfter(start) || uid.length() > MAX_UID) {
            return;
        }
        if (out.size() >= MAX_OCCURRENCES) {
            throw new BadCalendar("more than " + MAX_OCCURRENCES + " bookings in the calendar's window", null);
        }
        out.add(occurrence(event, uid, recurrenceId, start, end, allDay));
    }

    private CalendarOccurrence occurrence(VEvent event, String uid, Instant recurrenceId, Instant start,
                                          Instant end, boolean allDay) {
        boolean cancelled = event.getProperty(Property.STATUS)
                .map(p -> "CANCELLED".equalsIgnoreCase(((Property) p).getValue())).orElse(false);
        List<String> emails = new ArrayList<>();
        event.getProperty(Property.ORGANIZER).ifPresent(p -> addEmail(emails, ((Property) p).getValue()));
        for (Property attendee : event.getProperties(Property.ATTENDEE)) {
            addEmail(emails, attendee.getValue());
        }
        return new CalendarOccurrence(uid, recurrenceId, start, end, allDay, cancelled, emails, bookingCode(event));
    }

    private static void addEmail(List<String> emails, String calAddress) {
        if (calAddress == null) {
            return;
        }
        String v = calAddress.strip();
        if (v.regionMatches(true, 0, "mailto:", 0, 7)) {
            v = v.substring(7);
        }
        v = v.toLowerCase(Locale.ROOT);
        if (v.contains("@") && !emails.contains(v) && emails.size() < MAX_EMAILS) {
            emails.add(v);
        }
    }

    private static String bookingCode(VEvent event) {
        for (String name : List.of(Property.SUMMARY, Property.DESCRIPTION, Property.LOCATION)) {
            Optional<Property> p = event.getProperty(name);
            if (p.isPresent() && p.get().getValue() != null) {
                Matcher m = BOOKING_CODE.matcher(p.get().getValue());
                if (m.find()) {
                    return m.group(1).toUpperCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static String uid(VEvent event) {
        return event.getProperty(Property.UID).map(p -> ((Property) p).getValue())
                .orElseGet(() -> "no-uid-" + Integer.toHexString(event.toString().hashCode()));
    }

    private Instant instant(Temporal t) {
        if (t instanceof Instant i) {
            return i;
        }
        if (t instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (t instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (t instanceof LocalDateTime l) {
            return l.atZone(siteZone).toInstant();
        }
        if (t instanceof LocalDate d) {
            return d.atStartOfDay(siteZone).toInstant();
        }
        throw new IllegalArgumentException("unsupported calendar time " + t.getClass().getSimpleName());
    }
}
