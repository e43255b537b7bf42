package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpeningHoursTest {
    private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
    private static final TimeRange EIGHT_TO_TEN = new TimeRange(8 * 60, 22 * 60);

    private static OpeningHours everyDay(TimeRange range, DatedHours... exceptions) {
        Map<DayOfWeek, List<TimeRange>> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            weekly.put(day, List.of(range));
        }
        return new OpeningHours(STOCKHOLM, weekly, List.of(exceptions));
    }

    @Test
    void opening_at_eight_local_is_the_right_instant_around_the_spring_change() {
        OpeningHours hours = everyDay(EIGHT_TO_TEN);
        // 2026-03-29 is the last Sunday of March: CET (+01) before, CEST (+02) after 02:00.
        assertThat(hours.on(LocalDate.of(2026, 3, 28))).containsExactly(
                new OpenInterval(Instant.parse("2026-03-28T07:00:00Z"), Instant.parse("2026-03-28T21:00:00Z")));
        assertThat(hours.on(LocalDate.of(2026, 3, 29))).containsExactly(
                new OpenInterval(Instant.parse("2026-03-29T06:00:00Z"), Instant.parse("2026-03-29T20:00:00Z")));
        assertThat(hours.isOpen(Instant.parse("2026-03-29T05:59:59Z"))).isFalse();
        assertThat(hours.isOpen(Instant.parse("2026-03-29T06:00:00Z"))).isTrue();
    }

    @Test
    void opening_at_eight_local_is_the_right_instant_around_the_autumn_change() {
        OpeningHours hours = everyDay(EIGHT_TO_TEN);
        // 2026-10-25 is the last Sunday of October: back from CEST (+02) to CET (+01) at 03:00.
        assertThat(hours.on(LocalDate.of(2026, 10, 24)).getFirst().start()).isEqualTo(Instant.parse("2026-10-24T06:00:00Z"));
        assertThat(hours.on(LocalDate.of(2026, 10, 25)).getFirst().start()).isEqualTo(Instant.parse("2026-10-25T07:00:00Z"));
        assertThat(hours.nextChange(Instant.parse("2026-10-24T20:00:00Z"))).contains(Instant.parse("2026-10-25T07:00:00Z"));
        assertThat(hours.isOpen(Instant.parse("2026-10-25T06:30:00Z"))).isFalse();
    }

    @Test
    void a_range_starting_in_the_spring_gap_starts_at_the_end_of_the_gap() {
        OpeningHours hours = everyDay(new TimeRange(2 * 60 + 30, 4 * 60));
        // 02:30 does not exist on 2026-03-29; the clocks jump from 02:00 CET to 03:00 CEST (01:00Z).
        assertThat(hours.on(LocalDate.of(2026, 3, 29))).containsExactly(
                new OpenInterval(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T02:00:00Z")));
    }

    @Test
    void next_change_is_the_next_closing_or_opening() {
        OpeningHours hours = everyDay(EIGHT_TO_TEN);
        assertThat(hours.nextChange(Instant.parse("2026-03-28T20:00:00Z"))).contains(Instant.parse("2026-03-28T21:00:00Z"));
        assertThat(hours.nextChange(Instant.parse("2026-03-28T21:00:00Z"))).contains(Instant.parse("2026-03-29T06:00:00Z"));
        assertThat(hours.nextChange(Instant.parse("2026-03-29T06:00:00Z"))).contains(Instant.parse("2026-03-29T20:00:00Z"));
    }

    @Test
    void a_closed_day_exception_keeps_the_site_closed_that_day() {
        LocalDate christmasEve = LocalDate.of(2026, 12, 24);
        OpeningHours hours = everyDay(EIGHT_TO_TEN, new DatedHours(christmasEve, List.of(), "Julafton"));
        assertThat(hours.on(christmasEve)).isEmpty();
        assertThat(hours.isOpen(Instant.parse("2026-12-24T11:00:00Z"))).isFalse();
        assertThat(hours.isOpen(Instant.parse("2026-12-23T11:00:00Z"))).isTrue();
        assertThat(hours.nextChange(Instant.parse("2026-12-23T21:00:00Z"))).contains(Instant.parse("2026-12-25T07:00:00Z"));
        assertThat(hours.exceptionOn(christmasEve)).get().extracting(DatedHours::note).isEqualTo("Julafton");
    }

    @Test
    void an_exception_with_other_hours_replaces_the_weekday() {
        LocalDate newYearsEve = LocalDate.of(2026, 12, 31);
        OpeningHours hours = everyDay(EIGHT_TO_TEN, new DatedHours(newYearsEve, List.of(new TimeRange(600, 840)), null));
        assertThat(hours.rangesOn(newYearsEve)).extracting(TimeRange::toString).containsExactly("10:00-14:00");
        assertThat(hours.nextChange(Instant.parse("2026-12-31T07:30:00Z"))).contains(Instant.parse("2026-12-31T09:00:00Z"));
    }

    @Test
    void back_to_back_ranges_across_midnight_are_one_opening() {
        Map<DayOfWeek, List<TimeRange>> weekly = new EnumMap<>(DayOfWeek.class);
        weekly.put(DayOfWeek.MONDAY, List.of(new TimeRange(8 * 60, 24 * 60)));
        weekly.put(DayOfWeek.TUESDAY, List.of(new TimeRange(0, 2 * 60)));
        OpeningHours hours = new OpeningHours(STOCKHOLM, weekly, List.of());
        // Monday 2026-06-01, CEST: open 06:00Z until Tuesday 02:00 local = 00:00Z.
        assertThat(hours.nextChange(Instant.parse("2026-06-01T12:00:00Z"))).contains(Instant.parse("2026-06-02T00:00:00Z"));
        assertThat(hours.isOpen(Instant.parse("2026-06-01T22:00:00Z"))).isTrue();
        assertThat(hours.nextChange(Instant.parse("2026-06-02T00:00:00Z"))).contains(Instant.parse("2026-06-08T06:00:00Z"));
    }

    @Test
    void a_site_that_never_opens_has_no_next_change() {
        OpeningHours hours = new OpeningHours(STOCKHOLM, Map.of(), List.of());
        assertThat(hours.nextChange(Instant.parse("2026-06-01T12:00:00Z"))).isEmpty();
        assertThat(hours.isOpen(Instant.parse("2026-06-01T12:00:00Z"))).isFalse();
    }

    @Test
    void demo_hours_from_the_site_file_open_at_ten_on_the_autumn_sunday() {
        OpeningHours hours = SiteFiles.demo().hours();
        assertThat(hours.nextChange(Instant.parse("2026-10-24T16:00:00Z"))).contains(Instant.parse("2026-10-25T09:00:00Z"));
    }
}
