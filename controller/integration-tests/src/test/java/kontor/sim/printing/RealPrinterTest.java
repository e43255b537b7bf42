package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import kontor.testing.IppEvePrinter;
import kontor.sim.SiteHarness;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo site with printer-1 pointed at a real IPP printer ({@code ippeveprinter}): what the printer says
 * is what MQTT shows. Site time is frozen; each step moves it one poll further until the printer's answer,
 * which takes real network time, has arrived.
 */
class RealPrinterTest {
    private static final String ERROR = "alarms/printer.error:printer-1";

    @TempDir
    Path data;
    private IppEvePrinter printer;
    private SiteHarness site;

    @BeforeEach
    void start() throws Exception {
        printer = IppEvePrinter.start();
        String demo = new String(SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE).readAllBytes(),
                StandardCharsets.UTF_8);
        String yaml = demo.replace("- {id: printer-1, kind: printer,",
                "- {id: printer-1, kind: printer, ipp: " + printer.uri() + ",");
        assertThat(yaml).as("the demo site still names printer-1 as this test expects").isNotEqualTo(demo);
        site = SiteHarness.of(SiteFiles.parse("demo-with-real-printer.yaml", yaml), data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
        printer.close();
    }

    /** Polls (one printer_poll of site time at a time) until the printer's answer shows. */
    private void pollUntil(Callable<Boolean> shown) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (shown.call()) {
                return true;
            }
            site.advance(site.site().policy().printerPoll());
            return shown.call();
        });
    }

    private String availability() {
        return site.mqtt().retained("kontor/demo/devices/printer-1/availability");
    }

    @Test
    void the_demo_shows_the_real_printers_state_and_toner() {
        pollUntil(() -> "idle".equals(site.retained("devices/printer-1/state").path("state").asText()));

        JsonNode state = site.retained("devices/printer-1/state");
        assertThat(state.toString()).isEqualTo(
                "{\"state\":\"idle\",\"reasons\":[],\"accepting_jobs\":true,"
                        + "\"markers\":[{\"name\":\"Black Toner\",\"color\":\"#000000\",\"level\":75}],\"held\":0}");
        assertThat(availability()).isEqualTo("online");
        assertThat(site.retained(ERROR)).isNull();
    }

    @Test
    void a_printer_that_goes_away_raises_printer_error_and_coming_back_clears_it() {
        pollUntil(() -> "online".equals(availability()));

        printer.stop();
        pollUntil(() -> site.retained(ERROR) != null);

        JsonNode alarm = site.retained(ERROR);
        assertThat(alarm.path("reason").asText()).isEqualTo("unreachable");
        assertThat(alarm.path("detail").asText()).isEqualTo("connection refused");
        assertThat(availability()).isEqualTo("offline");
        assertThat(site.retained("devices/printer-1/state").path("state").asText()).isEqualTo("unreachable");

        printer.run();
        pollUntil(() -> site.retained(ERROR) == null);

        assertThat(availability()).isEqualTo("online");
        assertThat(site.events("alarm.cleared")).extracting(e -> e.path("alarm").asText())
                .contains("printer.error:printer-1");
    }

    @Test
    void low_and_critical_toner_on_the_real_printer_raise_alarms_that_a_full_cartridge_clears() {
        printer.toner(12);
        pollUntil(() -> site.retained("alarms/printer.toner_low:printer-1") != null);
        assertThat(site.retained("alarms/printer.toner_low:printer-1").path("level").asInt()).isEqualTo(12);
        assertThat(site.retained("alarms/printer.toner_critical:printer-1")).isNull();

        printer.toner(2);
        pollUntil(() -> site.retained("alarms/printer.toner_critical:printer-1") != null);

        printer.toner(90);
        pollUntil(() -> site.retained("alarms/printer.toner_low:printer-1") == null
                && site.retained("alarms/printer.toner_critical:printer-1") == null);
        assertThat(site.retained("devices/printer-1/state").path("markers").get(0).path("level").asInt()).isEqualTo(90);
    }

    @Test
    void an_empty_paper_tray_on_the_real_printer_raises_printer_error() throws IOException {
        printer.paperOut(true);
        pollUntil(() -> site.retained(ERROR) != null);

        assertThat(site.retained(ERROR).path("reason").asText()).isEqualTo("media-empty");

        printer.paperOut(false);
        pollUntil(() -> site.retained(ERROR) == null);
    }
}
