package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import kontor.testing.Radicale;

/** Walk-ups, no-show releases and check-ins written into a real Radicale, and read back as a booking system would. */
class CalendarWriteBackRadicaleTest {
    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
    private static Radicale radicale;
    private final CalendarWriteBack writer = new CalendarWriteBack(STOCKHOLM);
    private final CalendarOccurrences reader = new CalendarOccurrences(STOCKHOLM);

    @BeforeAll
    static void startRadicale() {
        radicale = Radicale.start();
    }

    @AfterAll
    static void stopRadicale() {
        radicale.close();
    }

    private static Instant local(String t) {
        return LocalDateTime.parse(t).atZone(STOCKHOLM).toInstant();
    }

    private CalDavClient room(String id) throws Exception {
        CalDavClient c = new CalDavClient(radicale.home().resolve(id + "/"), Radicale.USER, Radicale.PASSWORD, Duration.ofSeconds(5));
        c.createIfMissing();
        return c;
    }

    @Test
    void aWalkUpAppearsAsAnEventWithoutNames() throws Exception {
        CalDavClient room = room("room-1");
        room.put(room.resourceFor("kontor-b42@demo"),
                writer.walkUp("kontor-b42@demo", "b42", local("2026-12-01T10:00"), local("2026-12-01T11:00"), Instant.now()), null);
        CalDavClient.Resource r = room.events(local("2026-12-01T00:00"), local("2026-12-02T00:00")).get(0);
        assertThat(r.icalendar()).contains("X-KONTOR-BOOKING:b42").doesNotContain("@example");
        assertThat(reader.expand(r.icalendar(), local("2026-12-01T00:00"), local("2026-12-02T00:00")))
                .singleElement().satisfies(o -> {
                    assertThat(o.start()).isEqualTo(local("2026-12-01T10:00"));
                    assertThat(o.end()).isEqualTo(local("2026-12-01T11:00"));
                });
    }

    @Test
    void aNoShowCancelsOnlyThatInstanceOfAWeeklySeries() throws Exception {
        CalDavClient room = room("room-2");
        String weekly = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//booking system//EN\nBEGIN:VEVENT\nUID:series-7\n"
                + "DTSTAMP:20261101T000000Z\nDTSTART;TZID=Europe/Stockholm:20261102T100000\n"
                + "DTEND;TZID=Europe/Stockholm:20261102T110000\nRRULE:FREQ=WEEKLY;COUNT=4\n"
                + "ORGANIZER:mailto:bob@example.org\nEND:VEVENT\nEND:VCALENDAR\n").replace("\n", "\r\n");
        room.put(room.resourceFor("series-7"), weekly, null);
        CalDavClient.Resource r = room.events(local("2026-11-09T00:00"), local("2026-11-10T00:00")).get(0);

        String released = writer.cancel(r.icalendar(), "series-7", local("2026-11-09T10:00"), Instant.now());
        room.put(r.href(), released, r.etag());

        CalDavClient.Resource after = room.events(local("2026-11-01T00:00"), local("2026-12-01T00:00")).get(0);
        List<CalendarOccurrence> slots = reader.expand(after.icalendar(), local("2026-11-01T00:00"), local("2026-12-01T00:00"));
        assertThat(slots).extracting(CalendarOccurrence::start).containsExactly(local("2026-11-02T10:00"),
                local("2026-11-09T10:00"), local("2026-11-16T10:00"), local("2026-11-23T10:00"));
        assertThat(slots).extracting(CalendarOccurrence::cancelled).containsExactly(false, true, false, false);
    }

    @Test
    void aCheckInIsAPropertyOnTheSingleEvent() throws Exception {
        CalDavClient room = room("room-3");
        String single = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//booking system//EN\nBEGIN:VEVENT\nUID:one-off\n"
                + "DTSTAMP:20261101T000000Z\nDTSTART:20261201T090000Z\nDTEND:20261201T100000Z\nSEQUENCE:2\n"
                + "END:VEVENT\nEND:VCALENDAR\n").replace("\n", "\r\n");
        room.put(room.resourceFor("one-off"), single, null);
        CalDavClient.Resource r = room.events(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")).get(0);
        room.put(r.href(), writer.checkIn(r.icalendar(), "one-off", null, Instant.parse("2026-12-01T09:04:00Z"), Instant.now()), r.etag());
        String after = room.events(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")).get(0).icalendar();
        assertThat(after).contains("X-KONTOR-CHECKED-IN:20261201T090400Z").contains("SEQUENCE:3");
        assertThat(reader.expand(after, Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z")))
                .singleElement().satisfies(o -> assertThat(o.cancelled()).isFalse());
    }
}
