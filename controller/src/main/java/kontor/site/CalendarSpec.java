package kontor.site;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A room's linked calendar ({@code calendar:} of a room in the site file): an iCalendar feed, read only, or a
 * CalDAV collection, read and written. {@code url} never holds credentials; {@code username} and
 * {@code passwordFile} (mode 600, read when the gateway starts, never printed) may both be null.
 * Kontor polls it every {@code poll}.
 */
public record CalendarSpec(Kind kind, URI url, String username, Path passwordFile, Duration poll) {
    /** Read only ({@code ics}) or read-write ({@code caldav}); the names are the site file's keys. */
    public enum Kind { ICS, CALDAV }

    /** How often a calendar is read when the site file does not say. */
    public static final Duration DEFAULT_POLL = SiteSettings.CALENDAR_POLL.defaultValue();

    public CalendarSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(poll, "poll");
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("a calendar URL carries no credentials: give username and password_file");
        }
    }

    public boolean writable() {
        return kind == Kind.CALDAV;
    }
}
