package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import kontor.testing.Radicale;

/** CalDavClient against a real Radicale, the way Kontor and a booking system would talk to it. */
class CalDavClientRadicaleTest {
    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
    private static Radicale radicale;

    @BeforeAll
    static void startRadicale() {
        radicale = Radicale.start();
    }

    @AfterAll
    static void stopRadicale() {
        radicale.close();
    }

    private static CalDavClient client(String room) {
        return new CalDavClient(radicale.home().resolve(room + "/"), Radicale.USER, Radicale.PASSWORD, Duration.ofSeconds(5));
    }

    private static String event(String uid, String start, String end, String extra) {
        return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//booking system//EN\nBEGIN:VEVENT\nUID:" + uid
                + "\nDTSTAMP:20261101T000000Z\nDTSTART;TZID=Europe/Stockholm:" + start
                + "\nDTEND;TZID=Europe/Stockholm:" + end + "\n" + extra + "END:VEVENT\nEND:VCALENDAR\n")
                .replace("\n", "\r\n");
    }

    private static Instant local(String t) {
        return LocalDateTime.parse(t).atZone(STOCKHOLM).toInstant();
    }

    @Test
    void createsTheCollectionOnceThenReadsWritesAndDeletesWithEtags() throws Exception {
        CalDavClient room = client("room-1");
        assertThat(room.createIfMissing()).isTrue();
        assertThat(room.createIfMissing()).isFalse();

        URI weekly = room.resourceFor("weekly@booking");
        String etag = room.put(weekly, event("weekly@booking", "20261102T100000", "20261102T110000",
                "RRULE:FREQ=WEEKLY;COUNT=4\nORGANIZER:mailto:alice@example.org\n"), null);
        assertThatThrownBy(() -> room.put(weekly, event("weekly@booking", "20261102T100000", "20261102T110000", ""), null))
                .isInstanceOfSatisfying(CalDavClient.CalDavException.class, e -> assertThat(e.preconditionFailed()).isTrue());

        List<CalDavClient.Resource> found = room.events(local("2026-11-16T00:00"), local("2026-11-17T00:00"));
        assertThat(found).hasSize(1);
        CalDavClient.Resource r = found.get(0);
        assertThat(r.href()).isEqualTo(weekly);
        if (etag != null) {
            assertThat(r.etag()).isEqualTo(etag);
        }
        List<CalendarOccurrence> slots = new CalendarOccurrences(STOCKHOLM)
                .expand(r.icalendar(), local("2026-11-16T00:00"), local("2026-11-17T00:00"));
        assertThat(slots).singleElement().satisfies(o -> {
            assertThat(o.start()).isEqualTo(local("2026-11-16T10:00"));
            assertThat(o.emails()).containsExactly("alice@example.org");
        });
        assertThat(room.events(local("2026-12-01T00:00"), local("2026-12-02T00:00"))).isEmpty();

        // A stale ETag is refused: someone else changed the event since Kontor read it.
        String newEtag = room.put(weekly, r.icalendar().replace("COUNT=4", "COUNT=3"), r.etag());
        assertThatThrownBy(() -> room.put(weekly, r.icalendar(), r.etag()))
                .isInstanceOfSatisfying(CalDavClient.CalDavException.class, e -> assertThat(e.preconditionFailed()).isTrue());
        room.delete(weekly, newEtag);
        assertThat(room.events(local("2026-11-01T00:00"), local("2026-12-01T00:00"))).isEmpty();
    }

    @Test
    void wrongCredentialsAreAnErrorThatDoesNotCarryThePassword() {
        CalDavClient wrong = new CalDavClient(radicale.home().resolve("room-2/"), Radicale.USER, "not-it", Duration.ofSeconds(5));
        assertThatThrownBy(wrong::createIfMissing)
                .isInstanceOfSatisfying(CalDavClient.CalDavException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain("not-it");
                });
        assertThat(wrong.toString()).doesNotContain("not-it");
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        assertThatThrownBy(() -> new CalDavClient(URI.create("http://u:p@127.0.0.1/x/"), null, null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("u:p");
    }

    @Test
    void aSeriesWithAnExceptionAndADstNightBookingComeBackAsTheRightSlots() throws Exception {
        CalDavClient room = client("room-3");
        room.createIfMissing();
        // As a booking system sends it: with the VTIMEZONE its TZIDs name (without it Radicale answered 400 here).
        String series = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//booking system//EN\n"
                + "BEGIN:VTIMEZONE\nTZID:Europe/Stockholm\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
                + "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\n"
                + "BEGIN:DAYLIGHT\nDTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"
                + "TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
                + "BEGIN:VEVENT\nUID:study\n"
                + "DTSTAMP:20261101T000000Z\nDTSTART;TZID=Europe/Stockholm:20261019T100000\n"
                + "DTEND;TZID=Europe/Stockholm:20261019T110000\nRRULE:FREQ=WEEKLY;COUNT=4\n"
                + "EXDATE;TZID=Europe/Stockholm:20261102T100000\nEND:VEVENT\n"
                + "BEGIN:VEVENT\nUID:study\nDTSTAMP:20261101T000000Z\n"
                + "RECURRENCE-ID;TZID=Europe/Stockholm:20261026T100000\n"
                + "DTSTART;TZID=Europe/Stockholm:20261026T150000\nDTEND;TZID=Europe/Stockholm:20261026T160000\n"
                + "END:VEVENT\nEND:VCALENDAR\n").replace("\n", "\r\n");
        room.put(room.resourceFor("study"), series, null);
        // The autumn DST night: 25 October 2026 03:00 goes back to 02:00, so 00:00 to 06:00 is seven hours.
        room.put(room.resourceFor("night"), event("night", "20261025T000000", "20261025T060000", ""), null);

        Instant from = local("2026-10-19T00:00");
        Instant to = local("2026-11-16T00:00");
        CalendarOccurrences expander = new CalendarOccurrences(STOCKHOLM);
        List<CalendarOccurrence> slots = new java.util.ArrayList<>();
        for (CalDavClient.Resource r : room.events(from, to)) {
            slots.addAll(expander.expand(r.icalendar(), from, to));
        }
        slots.sort(java.util.Comparator.comparing(CalendarOccurrence::start));
        assertThat(slots).extracting(CalendarOccurrence::start).containsExactly(local("2026-10-19T10:00"),
                local("2026-10-25T00:00"), local("2026-10-26T15:00"), local("2026-11-09T10:00"));
        assertThat(Duration.between(slots.get(1).start(), slots.get(1).end())).isEqualTo(Duration.ofHours(7));
    }
}
