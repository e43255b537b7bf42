package kontor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteHarnessTest {

    @Test
    void the_demo_site_runs_on_frozen_time_and_answers_taps_and_commands(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"))) {
            assertThat(site.tap("reader-room-1", "0DDBA11C").path("reason").asText()).isEqualTo("unknown_card");
            assertThat(site.tap("reader-room-1", "04A1B2C3D4E501").path("type").asText()).isEqualTo("card.granted");
            assertThat(site.command("gateway.info", "").path("result").path("site").asText()).isEqualTo("demo");
            assertThat(site.retained("gateway/status").path("state").asText()).isEqualTo("online");

            site.advance(Duration.ofHours(13));
            assertThat(site.events("site.closed")).hasSize(1);
            assertThat(site.now()).isEqualTo(LocalDateTime.parse("2026-12-01T22:00:00").atZone(site.site().zone()).toInstant());
        }
    }
}
