package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A room's {@code calendar:} in the site file: a read-only feed or a CalDAV collection, credentials apart. */
class RoomCalendarSiteFileTest {

    private static Site parse(String calendar) throws SiteFileException {
        return SiteFiles.parse("small.yaml", SiteFileProblemsTest.MINIMAL + calendar);
    }

    private static SiteFileException refused(String calendar) {
        return catchThrowableOfType(SiteFileException.class, () -> parse(calendar));
    }

    @Test
    void a_caldav_collection_with_a_password_file() throws Exception {
        Site site = parse("""
                    calendar:
                      caldav: https://cloud.example/remote.php/dav/calendars/kontor/room-1/
                      username: kontor
                      password_file: secrets/caldav
                      poll: 2m
                """);
        CalendarSpec c = site.rooms().getFirst().calendar();
        assertThat(c.kind()).isEqualTo(CalendarSpec.Kind.CALDAV);
        assertThat(c.writable()).isTrue();
        assertThat(c.url()).isEqualTo(URI.create("https://cloud.example/remote.php/dav/calendars/kontor/room-1/"));
        assertThat(c.username()).isEqualTo("kontor");
        assertThat(c.passwordFile().toString()).endsWith("secrets/caldav");
        assertThat(c.poll()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void a_published_feed_is_read_only_and_polled_every_minute_by_default() throws Exception {
        CalendarSpec c = parse("""
                    calendar:
                      ics: https://outlook.office365.com/owa/calendar/abc/reachcalendar.ics
                """).rooms().getFirst().calendar();
        assertThat(c.kind()).isEqualTo(CalendarSpec.Kind.ICS);
        assertThat(c.writable()).isFalse();
        assertThat(c.poll()).isEqualTo(CalendarSpec.DEFAULT_POLL);
    }

    @Test
    void a_room_without_calendar_has_none() throws Exception {
        assertThat(parse("").rooms().getFirst().calendar()).isNull();
    }

    @Test
    void both_or_neither_kind_is_refused() {
        assertThat(refused("""
                    calendar:
                      ics: https://a.example/room.ics
                      caldav: https://b.example/dav/room/
                """).problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("either ics"));
        assertThat(refused("""
                    calendar:
                      poll: 1m
                """).problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("needs ics:"));
    }

    @Test
    void a_password_in_the_url_is_refused_without_repeating_it() {
        SiteFileException e = refused("""
                    calendar:
                      caldav: https://kontor:hunter2@cloud.example/dav/room-1/
                """);
        assertThat(e.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("password_file"));
        assertThat(e.getMessage()).doesNotContain("hunter2");
        assertThat(e.problems()).extracting(Problem::message).noneSatisfy(m -> assertThat(m).contains("hunter2"));
    }

    @Test
    void other_schemes_a_lone_password_and_unknown_keys_are_refused() {
        assertThat(refused("""
                    calendar:
                      ics: ftp://a.example/room.ics
                """).problems()).extracting(Problem::path).contains("rooms[0].calendar.ics");
        assertThat(refused("""
                    calendar:
                      caldav: https://b.example/dav/room/
                      password_file: secrets/caldav
                """).problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("needs a username"));
        assertThat(refused("""
                    calendar:
                      caldav: https://b.example/dav/room/
                      pol: 1m
                """).problems()).extracting(Problem::path).contains("rooms[0].calendar.pol");
    }
}
