package kontor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void the_99th_percentile_is_the_nearest_rank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Results.percentile(hundred, 99)).isEqualTo(99);
        assertThat(Results.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Results.percentile(new double[] {3, 1, 2}, 99)).isEqualTo(3);
        assertThat(Results.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void a_figure_with_a_baseline_meets_its_target_only_with_the_ratio_too() {
        Target target = Target.atLeast(20_000, 0.5);
        assertThat(new Result("pipeline", 25_000, "events/s", target, 40_000.0, Map.of()).met()).isTrue();
        assertThat(new Result("pipeline", 25_000, "events/s", target, 60_000.0, Map.of()).met()).isFalse();
        assertThat(new Result("pipeline", 15_000, "events/s", target, 20_000.0, Map.of()).met()).isFalse();
        assertThat(target.describe()).isEqualTo(">= 20000 and >= 0.5 x baseline");
    }

    @Test
    void a_figure_bounded_by_a_multiple_of_its_baseline() {
        Target target = Target.atMostTimesBaseline(2);
        assertThat(new Result("tap.flood", 7.9, "ms", target, 4.0, Map.of()).met()).isTrue();
        assertThat(new Result("tap.flood", 8.1, "ms", target, 4.0, Map.of()).met()).isFalse();
        assertThat(new Result("tap.flood", Double.POSITIVE_INFINITY, "ms", target, 4.0, Map.of()).met()).isFalse();
        assertThat(new Result("tap.flood", 3, "ms", target, null, Map.of()).met()).as("no baseline, no verdict").isFalse();
        assertThat(target.describe()).isEqualTo("<= 2 x baseline");
    }

    @Test
    void a_figure_at_least_a_fraction_of_its_baseline_has_no_bound_of_its_own() {
        Target target = Target.atLeastTimesBaseline(0.9);
        assertThat(new Result("pipeline", 900, "events/s", target, 1_000.0, Map.of()).met()).isTrue();
        assertThat(new Result("pipeline", 899, "events/s", target, 1_000.0, Map.of()).met()).isFalse();
        assertThat(new Result("pipeline", 0, "events/s", target, 0.0, Map.of()).met()).as("no baseline, no verdict").isFalse();
        assertThat(target.describe()).isEqualTo(">= 0.9 x baseline");
    }

    @Test
    void a_tap_is_measured_against_three_times_the_floor_of_disk_sync_and_hand_off_p99() {
        double[] syncs = new double[100];
        double[] handoffs = new double[100];
        for (int i = 0; i < 100; i++) {
            syncs[i] = 0.1;
            handoffs[i] = 0.02;
        }
        syncs[98] = 0.6;   // the 99th of 100 by nearest rank
        syncs[99] = 50;    // the slowest sync is beyond p99
        handoffs[98] = 0.2;
        handoffs[99] = 0.2;
        double[] durableWrites = new double[100];
        java.util.Arrays.fill(durableWrites, 0.4);
        durableWrites[99] = 30; // beyond p99 too
        TapToActuation.Floor floor = new TapToActuation.Floor(syncs, handoffs, durableWrites);

        assertThat(floor.value()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        TapToActuation.Samples taps = new TapToActuation.Samples(new double[] {1, 2, 2.4}, new double[] {120, 121, 122},
                new double[] {0.5, 0.5, 0.5}, 0, 0, List.of());
        Result met = taps.result("tap.idle", Double.NaN, floor);
        assertThat(met.value()).isEqualTo(2.4);
        assertThat(met.baseline()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(met.ratio()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(met.verdict()).isEqualTo("met");
        assertThat(met.details()).containsEntry("disk_sync_p99", 0.6).containsEntry("thread_handoff_p99", 0.2)
                .containsEntry("disk_sync_p50", 0.1).containsEntry(Result.BASELINE_IS, "floor: disk sync p99 + thread hand-off p99");
        // For information, not the target: 2.4 / (durable write p99 0.4 + hand-off p99 0.2).
        assertThat((double) met.details().get("ratio_to_durable_write")).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(met.details()).containsEntry("durable_write_p99", 0.4);

        Result missedOne = new TapToActuation.Samples(new double[] {1, 2, Double.POSITIVE_INFINITY}, new double[] {},
                new double[] {}, 1, 0, List.of("no decision")).result("tap.load", 2_000, floor);
        assertThat(missedOne.verdict()).as("a tap that never came is short of any floor").isEqualTo("short");
        assertThat(Results.json(missedOne)).contains("\"value\":null").contains("\"ratio\":null");
    }

    @Test
    void the_progress_line_and_the_markdown_table_give_baseline_ratio_and_verdict() {
        Result tap = new Result("tap.idle", 9.5, "ms", Target.atMostTimesBaseline(3), 0.85,
                Map.of(Result.BASELINE_IS, "floor: disk sync p99 + thread hand-off p99"));
        Result pipeline = new Result("pipeline", 18_000, "events/s", Target.atLeastTimesBaseline(0.9), 20_000.0, Map.of());
        Result heap = new Result("footprint.heap", 23.5, "MB", Target.atMost(32), Map.of());

        assertThat(BenchCommand.progressLine(tap)).isEqualTo("tap.idle = 9.5 ms; baseline 0.85, ratio 11.2; target <= 3 x baseline: short");
        assertThat(BenchCommand.progressLine(heap)).isEqualTo("footprint.heap = 23.5 MB; target <= 32: met");
        assertThat(Results.markdown(List.of(tap, pipeline, heap))).isEqualTo("""
                | figure | value | baseline (same run) | ratio | target | |
                |---|---|---|---|---|---|
                | `tap.idle` | 9.5 ms | 0.85 ms (floor: disk sync p99 + thread hand-off p99) | 11.2 | <= 3 x baseline | short |
                | `pipeline` | 18000 events/s | 20000 msg/s | 0.9 | >= 0.9 x baseline | met |
                | `footprint.heap` | 23.5 MB |  |  | <= 32 | met |
                """);
    }

    @Test
    void a_result_prints_the_agreed_members_in_order_then_its_details() {
        Result r = new Result("pipeline", 25_000.4, "events/s", Target.atLeast(20_000, 0.5), 40_000.0, Map.of("events", 10));

        assertThat(Results.json(r)).isEqualTo("{\"name\":\"pipeline\",\"value\":25000.4,\"unit\":\"events/s\","
                + "\"target\":\">= 20000 and >= 0.5 x baseline\",\"met\":true,\"baseline\":40000,\"ratio\":0.625,\"events\":10}");
    }

    @Test
    void an_unbounded_latency_is_null_and_not_met() {
        Result r = new Result("tap.load", Double.POSITIVE_INFINITY, "ms", Target.atMost(5), Map.of());

        assertThat(Results.json(r)).startsWith("{\"name\":\"tap.load\",\"value\":null,\"unit\":\"ms\",\"target\":\"<= 5\",\"met\":false");
    }

    @Test
    void the_generated_site_is_a_valid_site_file_with_two_thousand_devices() throws Exception {
        GeneratedSite.Size size = GeneratedSite.Size.FULL;

        Site site = SiteFiles.parse("generated", GeneratedSite.yaml(size));

        assertThat(site.devices()).hasSize(size.devices());
        assertThat(size.devices()).isBetween(2_000, 2_000 + GeneratedSite.MAX_READERS);
        assertThat(site.lockers()).hasSize(1_000);
        assertThat(site.copiers().size() + site.printers().size()).isEqualTo(50);
    }

    @Test
    void a_site_too_small_for_its_rooms_sensors_is_refused() {
        assertThatThrownBy(() -> new GeneratedSite.Size(10, 5, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_order_checker_allows_repeats_and_counts_gaps() {
        OrderChecker checker = new OrderChecker(5);
        List<Long> seqs = new ArrayList<>(List.of(1L, 2L, 2L, 3L, 5L));
        seqs.forEach(seq -> checker.accept(("{\"seq\":" + seq + ",\"ts\":\"x\",\"type\":\"t\"}").getBytes(StandardCharsets.UTF_8)));

        assertThat(checker.repeats()).isEqualTo(1);
        assertThat(checker.gaps()).isEqualTo(1);
        assertThat(checker.firstGapAt()).isEqualTo(4);
        assertThat(checker.missing()).isEqualTo(1);
        assertThat(checker.inOrder()).isEqualTo(4);
    }
}
