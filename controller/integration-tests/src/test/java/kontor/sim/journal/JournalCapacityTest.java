package kontor.sim.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import kontor.device.Signal;
import kontor.journal.Event;
import kontor.sim.SiteHarness;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCapacityTest {
    private static final int CAP = 1000;

    @Test
    void the_oldest_published_events_go_first_and_the_high_water_alarm_is_raised(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.of(smallJournal(), data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            appendTelemetry(site, 1200);
            site.settle();
            site.advance(Duration.ofMinutes(1));

            var journal = site.gateway().journal();
            assertThat(journal.eventCount()).isLessThanOrEqualTo(CAP);
            long total = journal.lastSeq();
            assertThat(journal.read(1, 1).get(0).seq()).as("the oldest went first")
                    .isEqualTo(total - journal.eventCount() + 1);
            assertThat(site.retained("alarms/journal.high_water:gateway")).isNotNull();
        }
    }

    @Test
    void when_full_of_unpublished_events_telemetry_is_dropped_before_access_events_and_the_drop_is_journaled(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.of(smallJournal(), data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            site.mqtt().brokerUp(false);
            appendTelemetry(site, CAP);
            site.advance(Duration.ofMinutes(1));
            var journal = site.gateway().journal();
            long full = journal.lastSeq();

            site.gateway().signal(new Signal.MotionChanged("pir-room-1", true));
            site.gateway().signal(new Signal.CardPresented("reader-room-2", "0DDBA11C"));
            site.settle();
            assertThat(journal.read(full + 1, 100)).extracting(Event::type)
                    .contains("card.denied").doesNotContain("room.occupied");

            site.advance(Duration.ofMinutes(1));
            assertThat(journal.read(full + 1, 100)).filteredOn(e -> e.type().equals("journal.dropped")).singleElement()
                    .satisfies(e -> assertThat(e.fields().get("types")).isEqualTo(Map.of("room.occupied", 1)));
            assertThat(journal.eventCount()).as("nothing unpublished was removed").isGreaterThanOrEqualTo(CAP);
        }
    }

    private static void appendTelemetry(SiteHarness site, int n) {
        site.onSiteThread(() -> {
            for (int i = 0; i < n; i++) {
                site.gateway().journal().append("test.telemetry", "pir-room-1", Map.of("i", i), Instant.now());
            }
        });
    }

    private static Site smallJournal() {
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SiteFiles.parse("small-journal.yaml", yaml + "\npolicy:\n  journal_max_events: " + CAP + "\n");
        } catch (IOException | kontor.site.SiteFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
