package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;

import org.junit.jupiter.api.Test;

class FreeBusyFeedTest {
    private static Instant at(String t) {
        return Instant.parse(t);
    }

    @Test
    void busyPeriodsAreClippedMergedAndCarryNoNames() throws Exception {
        String feed = FreeBusyFeed.render("demo", "room-1", List.of(
                        new FreeBusyFeed.Busy(at("2026-12-01T10:00:00Z"), at("2026-12-01T11:00:00Z")),
                        new FreeBusyFeed.Busy(at("2026-11-30T22:00:00Z"), at("2026-12-01T08:00:00Z")),
                        new FreeBusyFeed.Busy(at("2026-12-01T10:30:00Z"), at("2026-12-01T12:00:00Z")),
                        new FreeBusyFeed.Busy(at("2026-12-03T10:00:00Z"), at("2026-12-03T11:00:00Z"))),
                at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"), at("2026-12-01T09:00:00Z"));
        assertThat(feed).contains("FREEBUSY;FBTYPE=BUSY:20261201T000000Z/20261201T080000Z\r\n",
                "FREEBUSY;FBTYPE=BUSY:20261201T100000Z/20261201T120000Z\r\n").doesNotContain("20261203");
        assertThat(feed).doesNotContain("SUMMARY", "ORGANIZER", "ATTENDEE", "mailto");
        // Any iCalendar reader takes it.
        Calendar parsed = new CalendarBuilder().build(new StringReader(feed));
        assertThat(parsed.getComponents(Component.VFREEBUSY)).hasSize(1);
    }
}
