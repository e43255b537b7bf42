package kontor.calendars;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A room's schedule as a public iCalendar feed for door displays and anyone's calendar app: one VFREEBUSY
 * (RFC 5545 3.6.4) with the busy periods merged, and nothing else — no summaries, no organizers, no booking
 * ids — because the feed is readable without an account.
 */
public final class FreeBusyFeed {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A busy period, [start, end). */
    public record Busy(Instant start, Instant end) {
    }

    private FreeBusyFeed() {
    }

    /** The feed for {@code room} over [{@code from}, {@code to}); busy periods are clipped to it and merged. */
    public static String render(String site, String room, List<Busy> busy, Instant from, Instant to, Instant now) {
        List<Busy> sorted = new ArrayList<>();
        for (Busy b : busy) {
            Instant s = b.start().isBefore(from) ? from : b.start();
            Instant e = b.end().isAfter(to) ? to : b.end();
            if (s.isBefore(e)) {
                sorted.add(new Busy(s, e));
            }
        }
        sorted.sort(Comparator.comparing(Busy::start));
        List<Busy> merged = new ArrayList<>();
        for (Busy b : sorted) {
            Busy last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !b.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, new Busy(last.start(), b.end().isAfter(last.end()) ? b.end() : last.end()));
            } else {
                merged.add(b);
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//Kontor//room free-busy//EN");
        line(out, "METHOD:PUBLISH");
        line(out, "BEGIN:VFREEBUSY");
        line(out, "UID:" + room + "@" + site + ".kontor");
        line(out, "DTSTAMP:" + UTC.format(now));
        line(out, "DTSTART:" + UTC.format(from));
        line(out, "DTEND:" + UTC.format(to));
        for (Busy b : merged) {
            line(out, "FREEBUSY;FBTYPE=BUSY:" + UTC.format(b.start()) + "/" + UTC.format(b.end()));
        }
        line(out, "END:VFREEBUSY");
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append("\r\n");
    }
}
