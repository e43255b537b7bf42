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
