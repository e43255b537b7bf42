package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import kontor.sim.demo.SimControl;
import kontor.sim.devices.SimulatedPrinter.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's simulated printer-1: its state on MQTT and the alarms a jam, paper out, low toner or silence raise. */
class SimulatedPrinterAlarmsTest {
    private static final String ERROR = "alarms/printer.error:printer-1";
    private static final String TONER_LOW = "alarms/printer.toner_low:printer-1";
    private static final String TONER_CRITICAL = "alarms/printer.toner_critical:printer-1";

    @TempDir
    Path data;
    private SiteHarness site;

    @BeforeEach
    void start() {
        site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T09:00:00"));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void publishes_the_printer_state_with_reasons_acceptance_and_markers() {
        site.world().printer("printer-1", Condition.IDLE, 40);

        JsonNode state = site.retained("devices/printer-1/state");
        assertThat(state.toString()).isEqualTo(
                "{\"state\":\"idle\",\"reasons\":[],\"accepting_jobs\":true,"
                        + "\"markers\":[{\"name\":\"Black Toner\",\"color\":\"#000000\",\"level\":40}],"
                        + "\"held\":0}");  // printer-1 has a release reader: its held queue's length
        assertThat(site.mqtt().retained("kontor/demo/devices/printer-1/availability")).isEqualTo("online");
        assertThat(site.retained(ERROR)).isNull();
    }

    @Test
    void a_jam_raises_printer_error_with_the_reason_and_clearing_it_clears_the_alarm() {
        site.world().printer("printer-1", Condition.JAM, 40);

        JsonNode alarm = site.retained(ERROR);
        assertThat(alarm.path("type").asText()).isEqualTo("printer.error");
        assertThat(alarm.path("device").asText()).isEqualTo("printer-1");
        assertThat(alarm.path("reason").asText()).isEqualTo("media-jam");
        assertThat(site.retained("devices/printer-1/state").path("state").asText()).isEqualTo("stopped");
        assertThat(site.events("alarm.raised")).singleElement()
                .satisfies(e -> assertThat(e.path("reason").asText()).isEqualTo("media-jam"));

        site.world().printer("printer-1", Condition.IDLE, 40);

        assertThat(site.retained(ERROR)).isNull();
        assertThat(site.events("alarm.cleared")).singleElement()
                .satisfies(e -> assertThat(e.path("alarm").asText()).isEqualTo("printer.error:printer-1"));
    }

    @Test
    void paper_out_raises_printer_error_and_a_jam_after_it_changes_the_reason() {
        site.world().printer("printer-1", Condition.PAPER_OUT, 40);
        assertThat(site.retained(ERROR).path("reason").asText()).isEqualTo("media-empty");

        site.world().printer("printer-1", Condition.JAM, 40);

        assertThat(site.retained(ERROR).path("reason").asText()).isEqualTo("media-jam");
        assertThat(site.events("alarm.raised")).extracting(e -> e.path("reason").asText())
                .containsExactly("media-empty", "media-jam");
    }

    @Test
    void the_same_condition_polled_again_raises_nothing_new() {
        site.world().printer("printer-1", Condition.JAM, 40);
        site.world().printer("printer-1", Condition.JAM, 39);

        assertThat(site.events("alarm.raised")).hasSize(1);
    }

    @Test
    void toner_at_the_warning_level_raises_toner_low_but_not_critical() {
        site.world().printer("printer-1", Condition.IDLE, 16);
        assertThat(site.retained(TONER_LOW)).isNull();

        site.world().printer("printer-1", Condition.IDLE, 15);

        JsonNode low = site.retained(TONER_LOW);
        assertThat(low.path("supply").asText()).isEqualTo("Black Toner");
        assertThat(low.path("level").asInt()).isEqualTo(15);
        assertThat(low.path("threshold").asInt()).isEqualTo(15);
        assertThat(site.retained(TONER_CRITICAL)).isNull();
        assertThat(site.retained(ERROR)).isNull();
    }

    @Test
    void toner_at_the_critical_level_raises_critical_too_and_a_new_cartridge_clears_both() {
        site.world().printer("printer-1", Condition.IDLE, 5);

        assertThat(site.retained(TONER_LOW)).isNotNull();
        assertThat(site.retained(TONER_CRITICAL).path("level").asInt()).isEqualTo(5);

        site.world().printer("printer-1", Condition.IDLE, 100);

        assertThat(site.retained(TONER_LOW)).isNull();
        assertThat(site.retained(TONER_CRITICAL)).isNull();
    }

    @Test
    void an_unreachable_printer_raises_printer_error_keeps_its_toner_alarm_and_recovers() {
        site.world().printer("printer-1", Condition.IDLE, 10);
        site.world().fault("printer-1", "offline");

        JsonNode alarm = site.retained(ERROR);
        assertThat(alarm.path("reason").asText()).isEqualTo("unreachable");
        assertThat(alarm.path("detail").asText()).isEqualTo("no connection within 10 s");
        assertThat(site.retained("devices/printer-1/state").path("state").asText()).isEqualTo("unreachable");
        assertThat(site.mqtt().retained("kontor/demo/devices/printer-1/availability")).isEqualTo("offline");
        assertThat(site.retained(TONER_LOW)).as("nothing is known about the toner").isNotNull();

        site.world().fault("printer-1", "none");

        assertThat(site.retained(ERROR)).isNull();
        assertThat(site.mqtt().retained("kontor/demo/devices/printer-1/availability")).isEqualTo("online");
    }

    @Test
    void the_simulator_control_message_puts_the_printer_out_of_paper() {
        // The demo subscribes its simulator control to the broker; the harness leaves that to the test.
        try (SimControl control = new SimControl(site.world(), "kontor/demo")) {
            control.subscribe(site.mqtt());
            long mark = site.lastSeq();
            site.sim("printer", "{\"printer\":\"printer-1\",\"state\":\"paper_out\",\"toner\":40}");

            JsonNode raised = site.awaitEvent(mark, "alarm.raised", e -> e.path("alarm_type").asText().equals("printer.error"));

            assertThat(raised.path("reason").asText()).isEqualTo("media-empty");
            assertThat(site.retained("devices/printer-1/state").path("reasons").toString())
                    .isEqualTo("[\"media-empty-error\",\"media-needed-error\"]");
        }
    }
}
