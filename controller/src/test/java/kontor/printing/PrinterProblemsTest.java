package kontor.printing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kontor.device.PrinterStatus;
import org.junit.jupiter.api.Test;

class PrinterProblemsTest {

    private static PrinterStatus status(String state, List<String> reasons, int... levels) {
        List<PrinterStatus.Marker> markers = java.util.Arrays.stream(levels)
                .mapToObj(l -> new PrinterStatus.Marker("Toner " + l, "#000000", l)).toList();
        return new PrinterStatus(state, reasons, true, markers);
    }

    @Test
    void an_idle_printer_with_warnings_only_has_no_error() {
        assertThat(PrinterProblems.error(status("idle", List.of("toner-low-warning")))).isEmpty();
    }

    @Test
    void error_reasons_count_whatever_their_severity_suffix() {
        assertThat(PrinterProblems.error(status("idle", List.of("media-empty-report")))).contains("media-empty");
        assertThat(PrinterProblems.error(status("stopped", List.of("cover-open-error")))).contains("cover-open");
        assertThat(PrinterProblems.error(status("processing", List.of("door-open")))).contains("door-open");
    }

    @Test
    void a_jam_is_named_before_paper_out() {
        assertThat(PrinterProblems.error(status("stopped", List.of("media-needed-error", "media-jam-error"))))
                .contains("media-jam");
    }

    @Test
    void a_stopped_printer_without_a_known_reason_is_stopped() {
        assertThat(PrinterProblems.error(status("stopped", List.of("paused")))).contains("stopped");
    }

    @Test
    void an_unreachable_printer_is_unreachable() {
        assertThat(PrinterProblems.error(PrinterStatus.UNREACHABLE)).contains("unreachable");
    }

    @Test
    void supplies_at_or_below_the_threshold_come_lowest_first_and_unknown_levels_never() {
        PrinterStatus s = status("idle", List.of(), 15, 16, 3, -1);

        assertThat(PrinterProblems.atOrBelow(s, 15)).extracting(PrinterStatus.Marker::level).containsExactly(3, 15);
        assertThat(PrinterProblems.suppliesKnown(s)).isTrue();
        assertThat(PrinterProblems.suppliesKnown(status("idle", List.of(), -1))).isFalse();
    }
}
