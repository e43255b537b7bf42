package kontor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kontor.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke tests of {@code kontor bench}: every figure runs at a tiny size and reports in the agreed form. Not a timing test. */
class BenchCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Run(int exit, List<JsonNode> lines, String err) {
        Map<String, JsonNode> byName() {
            return lines.stream().collect(Collectors.toMap(l -> l.get("name").asText(), l -> l));
        }
    }

    private static Run kontor(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(MAPPER.readTree(line));
            }
        }
        return new Run(exit, lines, err.toString());
    }

    @Test
    void every_figure_runs_at_a_tiny_size_and_prints_one_json_object_per_result(@TempDir Path work) throws Exception {
        Run run = kontor("bench", "--scale", "0.01", "--runs", "1", "--backlog", "300", "--kills", "2", "--work", work.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, JsonNode> results = run.byName();
        assertThat(results).containsOnlyKeys("tap.idle", "tap.load", "tap.flood", "pipeline", "backlog", "command",
                "footprint.start", "footprint.first_start", "footprint.heap", "footprint.rss", "disk.command", "disk.event", "disk.retained", "powercut.lost", "powercut.opened",
                "powercut.print", "powercut.calendar");
        for (JsonNode r : run.lines()) {
            assertThat(r.has("value")).as(r.toString()).isTrue();
            assertThat(r.get("value").isNumber() || r.get("value").isNull()).as(r.toString()).isTrue();
            assertThat(r.get("unit").isTextual()).as(r.toString()).isTrue();
            assertThat(r.get("target").asText()).as(r.toString()).matches("(<=|>=) .+");
            assertThat(r.get("met").isBoolean()).as(r.toString()).isTrue();
            List<String> members = new ArrayList<>();
            r.fieldNames().forEachRemaining(members::add);
            assertThat(members).as("the agreed members first").startsWith("name", "value", "unit", "target", "met");
        }
        // Every figure with a baseline or floor measured in the same run carries it and the ratio.
        for (String name : List.of("tap.idle", "tap.load", "tap.flood", "pipeline", "backlog", "command")) {
            assertThat(results.get(name).get("baseline").asDouble()).as(name).isPositive();
            assertThat(results.get(name).get("ratio").asDouble()).as(name).isPositive();
            assertThat(results.get(name).get("target").asText()).as(name).contains("x baseline");
        }
        assertThat(results.get("tap.idle").get("disk_sync_p99").asDouble()).isPositive();
        assertThat(results.get("command").get("echo_p99").asDouble()).isPositive();
        assertThat(results.get("footprint.start").get("http_served").asText()).matches("console [23]\\d\\d, ipp (200|401)");  // 401: the IPP server asks for a member's credentials
        assertThat(results.get("tap.idle").get("samples").asInt()).isPositive();
        // Correctness is not timing: a drained backlog and a killed journal lose nothing.
        assertThat(results.get("backlog").get("lost").asLong()).isZero();
        assertThat(results.get("backlog").get("out_of_order").asLong()).isZero();
        assertThat(results.get("powercut.lost").get("value").asLong()).isZero();
        assertThat(results.get("powercut.opened").get("value").asInt()).isEqualTo(2);
        assertThat(results.get("powercut.print").get("value").asLong()).isZero();
        assertThat(results.get("powercut.print").get("jobs_reported").asLong()).as("each child released a job").isPositive();
        assertThat(results.get("powercut.calendar").get("value").asLong()).isZero();
        assertThat(results.get("powercut.calendar").get("syncs_reported").asLong()).as("each child synced").isPositive();
    }

    @Test
    void only_runs_the_named_figures() throws Exception {
        Run run = kontor("bench", "--only", "powercut", "--kills", "1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.byName()).containsOnlyKeys("powercut.lost", "powercut.opened", "powercut.print", "powercut.calendar");
    }

    @Test
    void an_unknown_figure_is_refused_with_the_names_there_are() throws Exception {
        Run run = kontor("bench", "--only", "tap,warp");

        assertThat(run.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("no figure called 'warp'").contains("tap, pipeline, backlog, command, footprint, disk, powercut");
        assertThat(run.lines()).isEmpty();
    }

    @Test
    void a_scale_of_zero_is_refused() throws Exception {
        Run run = kontor("bench", "--scale", "0");

        assertThat(run.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("scale must be more than 0");
    }

    @Test
    void jmh_runs_the_micro_benchmarks_in_process_and_prints_json() throws Exception {
        Run run = kontor("bench", "jmh", "--include", "EventJsonBench.*", "--iterations", "1", "--time-ms", "50");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines()).singleElement().satisfies(r -> {
            assertThat(r.get("name").asText()).isEqualTo("jmh.EventJsonBench.toJson");
            assertThat(r.get("value").asDouble()).isPositive();
            assertThat(r.get("unit").asText()).isEqualTo("us/op");
        });
    }
}
