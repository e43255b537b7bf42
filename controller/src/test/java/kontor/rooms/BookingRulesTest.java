package kontor.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import kontor.site.DatedHours;
import kontor.site.OpeningHours;
import kontor.site.TimeRange;
import org.junit.jupiter.api.Test;

class BookingRulesTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
    // Friday with a lunch break; Saturday open until midnight and Sunday from midnight (one opening).
    private static final OpeningHours HOURS = new OpeningHours(ZONE, Map.of(
            DayOfWeek.FRIDAY, List.of(new TimeRange(8 * 60, 12 * 60), new TimeRange(13 * 60, 22 * 60)),
            DayOfWeek.SATURDAY, List.of(new TimeRange(20 * 60, 24 * 60)),
            DayOfWeek.SUNDAY, List.of(new TimeRange(0, 2 * 60))),
            List.of(new DatedHours(java.time.LocalDate.parse("2026-12-25"), List.of(), "Christmas Day")));

    @Test
    void a_booking_across_a_break_in_the_hours_is_not_within_them() {
        assertThat(BookingRules.openThrough(HOURS, at("2026-12-04T10:00"), at("2026-12-04T12:00"))).isTrue();
        assertThat(BookingRules.openThrough(HOURS, at("2026-12-04T11:00"), at("2026-12-04T13:30"))).isFalse();
    }

    @Test
    void back_to_back_ranges_across_midnight_are_one_opening() {
        assertThat(BookingRules.openThrough(HOURS, at("2026-12-05T23:00"), at("2026-12-06T01:00"))).isTrue();
        assertThat(BookingRules.openUntil(HOURS, at("2026-12-05T23:30"), at("2026-12-06T05:00"))).isEqualTo(at("2026-12-06T02:00"));
    }

    @Test
    void open_until_stops_at_the_limit_or_at_once_when_closed() {
        assertThat(BookingRules.openUntil(HOURS, at("2026-12-04T09:00"), at("2026-12-04T10:00"))).isEqualTo(at("2026-12-04T10:00"));
        assertThat(BookingRules.openUntil(HOURS, at("2026-12-04T11:30"), at("2026-12-04T12:30"))).isEqualTo(at("2026-12-04T12:00"));
        assertThat(BookingRules.openUntil(HOURS, at("2026-12-25T10:00"), at("2026-12-25T11:00"))).as("a closed holiday").isEqualTo(at("2026-12-25T10:00"));
    }

    @Test
    void rule_durations_read_as_in_the_site_file() {
        assertThat(BookingRules.text(Duration.ofHours(4))).isEqualTo("4h");
        assertThat(BookingRules.text(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(BookingRules.text(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }
}
