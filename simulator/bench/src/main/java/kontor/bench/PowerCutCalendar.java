package kontor.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calendar the power-cut child's room is linked to, one generation at a time: generation {@code g} holds the
 * events {@code g .. g+3}, each at a time that depends on the generation too. So each sync of the next generation
 * cancels one booking, books one and moves the other three, all in the one transaction of {@code Calendars}; and
 * the slots left in the database after a kill name exactly one generation, or show a sync half applied.
 */
final class PowerCutCalendar {
    /** The demo room linked to the calendar; nothing else books it in the child. */
    static final String ROOM = "room-2";
    static final int EVENTS = 4;
    private static final DateTimeFormatter ICS_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private PowerCutCalendar() { }

    /**
     * Where the events are: a week after the figure began, on the hour. Every event lies ahead (none starts, so no
     * rule of the room moves or releases its booking) and inside the 15 days a sync reads, for a soak of a week.
     */
    static Instant anchor(Instant now) {
        return now.plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }

    static String uid(long k) {
        return "powercut-" + k + "@bench";
    }

    /** The slot key {@code Calendars} stores for an event without a recurrence id. */
    static String slot(long k) {
        return uid(k) + "|";
    }

    /** Generation {@code g}'s events: slot key to {start, end}. */
    static Map<String, Instant[]> events(long g, Instant anchor) {
        Map<String, Instant[]> out = new LinkedHashMap<>();
        for (long k = g; k < g + EVENTS; k++) {
            Instant start = anchor.plus(Duration.ofMinutes(15 * ((k * 7 + g) % 48)));
            out.put(slot(k), new Instant[] {start, start.plus(Duration.ofHours(1))});
        }
        return out;
    }

    /** The first event of the generation whose slots these are: the smallest k among them, or -1 when none parse. */
    static long generationOf(Iterable<String> slots) {
        long min = Long.MAX_VALUE;
        for (String s : slots) {
            if (s.startsWith("powercut-") && s.endsWith("@bench|")) {
                try {
                    min = Math.min(min, Long.parseLong(s.substring("powercut-".length(), s.length() - "@bench|".length())));
                } catch (NumberFormatException e) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** Generation {@code g} as an iCalendar feed. */
    static String ics(long g, Instant anchor) {
        StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kontor//bench powercut//EN\r\n");
        for (long k = g; k < g + EVENTS; k++) {
            Instant[] t = events(g, anchor).get(slot(k));
            b.append("BEGIN:VEVENT\r\nUID:").append(uid(k)).append("\r\nDTSTAMP:").append(ICS_TIME.format(anchor))
                    .append("\r\nDTSTART:").append(ICS_TIME.format(t[0])).append("\r\nDTEND:").append(ICS_TIME.format(t[1]))
                    .append("\r\nSUMMARY:Power cut ").append(k).append("\r\nEND:VEVENT\r\n");
        }
        return b.append("END:VCALENDAR\r\n").toString();
    }
}
