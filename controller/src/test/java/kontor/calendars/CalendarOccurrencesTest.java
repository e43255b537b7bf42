package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class CalendarOccurrencesTest {
    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
    private final CalendarOccurrences occurrences = new CalendarOccurrences(STOCKHOLM);

    private static final String VTIMEZONE = """
            BEGIN:VTIMEZONE
            TZID:Europe/Stockholm
            BEGIN:STANDARD
            DTSTART:19701025T030000
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
            TZOFFSETFROM:+0200
            TZOFFSETTO:+0100
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:19700329T020000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0200
            END:DAYLIGHT
            END:VTIMEZONE
            """;

    private static String calendar(String body) {
        return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + VTIMEZONE + body + "END:VCALENDAR\n")
                .replace("\n", "\r\n");
    }

    private static Instant local(String t) {
        return LocalDateTime.parse(t).atZone(STOCKHOLM).toInstant();
    }

    @Test
    void weeklyMeetingWithAnExdateAndAMovedInstance() throws Exception {
        String ics = calendar("""
                BEGIN:VEVENT
                UID:weekly-1
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261102T100000
                DTEND;TZID=Europe/Stockholm:20261102T110000
                RRULE:FREQ=WEEKLY;COUNT=5
                EXDATE;TZID=Europe/Stockholm:20261109T100000
                ORGANIZER;CN=Alice:mailto:Alice@Example.org
                SUMMARY:Study group
                END:VEVENT
                BEGIN:VEVENT
                UID:weekly-1
                DTSTAMP:20261101T000000Z
                RECURRENCE-ID;TZID=Europe/Stockholm:20261116T100000
                DTSTART;TZID=Europe/Stockholm:20261116T140000
                DTEND;TZID=Europe/Stockholm:20261116T153000
                ORGANIZER:mailto:alice@example.org
                SUMMARY:Study group (moved)
                END:VEVENT
                """);
        List<CalendarOccurrence> slots = occurrences.expand(ics, local("2026-11-01T00:00"), local("2026-12-31T00:00"));
        assertThat(slots).extracting(CalendarOccurrence::start).containsExactly(
                local("2026-11-02T10:00"), local("2026-11-16T14:00"), local("2026-11-23T10:00"),
                local("2026-11-30T10:00"));
        CalendarOccurrence moved = slots.get(1);
        assertThat(moved.end()).isEqualTo(local("2026-11-16T15:30"));
        assertThat(moved.recurrenceId()).isEqualTo(local("2026-11-16T10:00"));
        assertThat(moved.emails()).containsExactly("alice@example.org");
        assertThat(slots.get(0).recurrenceId()).isEqualTo(local("2026-11-02T10:00"));
        assertThat(slots.get(0).emails()).containsExactly("alice@example.org");
    }

    @Test
    void whatCanBookNothingIsLeftOutAndARuleOfEveryMinuteIsABadCalendar() throws Exception {
        String ics = calendar("""
                BEGIN:VEVENT
                UID:no-length
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261102T100000
                SUMMARY:A moment, no end
                END:VEVENT
                BEGIN:VEVENT
                UID:%s
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261102T120000
                DTEND;TZID=Europe/Stockholm:20261102T130000
                END:VEVENT
                BEGIN:VEVENT
                UID:kept
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261102T140000
                DTEND;TZID=Europe/Stockholm:20261102T150000
                END:VEVENT
                """.formatted("u".repeat(CalendarOccurrences.MAX_UID + 1)));
        assertThat(occurrences.expand(ics, local("2026-11-01T00:00"), local("2026-11-30T00:00")))
                .extracting(CalendarOccurrence::uid).containsExactly("kept");

        String everyMinute = calendar("""
                BEGIN:VEVENT
                UID:flood
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261102T100000
                DTEND;TZID=Europe/Stockholm:20261102T100100
                RRULE:FREQ=MINUTELY
                END:VEVENT
                """);
        assertThatThrownBy(() -> occurrences.expand(everyMinute, local("2026-11-01T00:00"), local("2026-11-08T00:00")))
                .isInstanceOf(CalendarOccurrences.BadCalendar.class).hasMessageContaining("more than 2000");
    }

    @Test
    void aCancelledOverrideIsKeptAsCancelled() throws Exception {
        String ics = calendar("""
                BEGIN:VEVENT
                UID:daily
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261201T090000
                DTEND;TZID=Europe/Stockholm:20261201T100000
                RRULE:FREQ=DAILY;COUNT=3
                END:VEVENT
                BEGIN:VEVENT
                UID:daily
                DTSTAMP:20261101T000000Z
                RECURRENCE-ID;TZID=Europe/Stockholm:20261202T090000
                DTSTART;TZID=Europe/Stockholm:20261202T090000
                DTEND;TZID=Europe/Stockholm:20261202T100000
                STATUS:CANCELLED
                END:VEVENT
                """);
        List<CalendarOccurrence> slots = occurrences.expand(ics, local("2026-12-01T00:00"), local("2026-12-05T00:00"));
        assertThat(slots).extracting(CalendarOccurrence::cancelled).containsExactly(false, true, false);
    }

    @Test
    void anEventAcrossTheSpringDstNightLastsItsRealHours() throws Exception {
        // 29 March 2026: at 02:00 the clocks jump to 03:00, so 00:00 to 06:00 local is five real hours.
        String ics = calendar("""
                BEGIN:VEVENT
                UID:night
                DTSTAMP:20260301T000000Z
                DTSTART;TZID=Europe/Stockholm:20260329T000000
                DTEND;TZID=Europe/Stockholm:20260329T060000
                DESCRIPTION:Booking code: K-4711
                END:VEVENT
                """);
        List<CalendarOccurrence> slots = occurrences.expand(ics, local("2026-03-28T00:00"), local("2026-03-30T00:00"));
        assertThat(slots).hasSize(1);
        CalendarOccurrence night = slots.get(0);
        assertThat(night.start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(night.end()).isEqualTo(Instant.parse("2026-03-29T04:00:00Z"));
        assertThat(night.recurrenceId()).isNull();
        assertThat(night.bookingCode()).isEqualTo("K-4711");
    }

    @Test
    void anAllDayEventCoversTheSiteDayAndUtcTimesAreExact() throws Exception {
        String ics = calendar("""
                BEGIN:VEVENT
                UID:allday
                DTSTAMP:20261101T000000Z
                DTSTART;VALUE=DATE:20261203
                DTEND;VALUE=DATE:20261204
                ATTENDEE:mailto:bob@example.org
                END:VEVENT
                BEGIN:VEVENT
                UID:utc
                DTSTAMP:20261101T000000Z
                DTSTART:20261204T120000Z
                DURATION:PT45M
                END:VEVENT
                """);
        List<CalendarOccurrence> slots = occurrences.expand(ics, local("2026-12-01T00:00"), local("2026-12-10T00:00"));
        assertThat(slots).hasSize(2);
        assertThat(slots.get(0).allDay()).isTrue();
        assertThat(slots.get(0).start()).isEqualTo(local("2026-12-03T00:00"));
        assertThat(slots.get(0).end()).isEqualTo(local("2026-12-04T00:00"));
        assertThat(slots.get(0).emails()).containsExactly("bob@example.org");
        assertThat(slots.get(1).start()).isEqualTo(Instant.parse("2026-12-04T12:00:00Z"));
        assertThat(slots.get(1).end()).isEqualTo(Instant.parse("2026-12-04T12:45:00Z"));
    }

    @Test
    void slotsOutsideTheWindowAreLeftOut() throws Exception {
        String ics = calendar("""
                BEGIN:VEVENT
                UID:early
                DTSTAMP:20261101T000000Z
                DTSTART;TZID=Europe/Stockholm:20261201T080000
                DTEND;TZID=Europe/Stockholm:20261201T090000
                END:VEVENT
                """);
        assertThat(occurrences.expand(ics, local("2026-12-01T09:00"), local("2026-12-02T00:00"))).isEmpty();
        assertThat(occurrences.expand(ics, local("2026-12-01T08:59"), local("2026-12-02T00:00"))).hasSize(1);
    }

    @Test
    void textThatIsNoCalendarIsRefused() {
        assertThatThrownBy(() -> occurrences.expand("<html>login</html>", Instant.EPOCH, Instant.now()))
                .isInstanceOf(CalendarOccurrences.BadCalendar.class);
    }
}
