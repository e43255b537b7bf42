package kontor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kontor.cli.KontorSubcommand;
import kontor.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kontor bench}: runs the figures and prints one JSON object per line for each
 * ({@code name}, {@code value}, {@code unit}, {@code target}, {@code met}, and {@code baseline} and
 * {@code ratio} where the figure has a baseline). Progress goes to stderr. See docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {JmhCommand.class, FleetBench.class},
        description = {"Measures how fast and how light Kontor is; prints one JSON object per line per figure.",
                "Figures: tap, pipeline, backlog, command, footprint, disk, powercut (all by default).",
                "Needs /usr/sbin/mosquitto for every figure but powercut. 'kontor bench jmh' runs the micro-benchmarks."})
public final class BenchCommand implements KontorSubcommand, Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "FIGURE",
            description = "Only these figures, e.g. --only tap,pipeline.")
    List<String> only;

    @Option(names = "--scale", defaultValue = "1",
            description = "Multiplies every count (taps, events, requests, kills); 0.1 for a quick look (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--runs", defaultValue = "3", description = "Repeats of each throughput measurement; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--backlog", description = "Events journaled with the broker down for the backlog drain (default: 1,000,000 x scale).")
    Long backlog;

    @Option(names = "--kills", description = "kill -9 rounds of the power-cut figure (default: 100 x scale).")
    Integer kills;

    @Option(names = "--work", description = "Scratch directory for databases and brokers (default: a temporary one, removed after).")
    Path work;

    @Option(names = "--child-jvm-option", paramLabel = "OPTION",
            description = "An option for the child JVMs of footprint and powercut, e.g. --child-jvm-option=-Xmx128m (repeatable).")
    List<String> childJvmOptions = new ArrayList<>();

    @Option(names = "--markdown",
            description = "After the JSON lines, print every result once more as a markdown table (value, baseline, ratio, met/short).")
    boolean markdown;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Every figure, in the order they run. */
    static List<Figure> figures() {
        return List.of(new TapToActuation(), new EventPipeline(), new BacklogDrain(), new CommandRoundTrip(),
                new Footprint(), new DiskGrowth(), new PowerCuts());
    }

    @Override
    public Integer call() throws Exception {
        List<Figure> chosen = chosen();
        BenchContext.Settings settings;
        try {
            settings = new BenchContext.Settings(scale, runs,
                    backlog != null ? backlog : Math.max(1, Math.round(1_000_000 * scale)),
                    kills != null ? kills : (int) Math.max(1, Math.round(100 * scale)), childJvmOptions);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (settings.backlog() < 1 || settings.kills() < 1) {
            throw new UserError("--backlog and --kills must be at least 1");
        }
        QuietLogging.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintStream progress = System.err;
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("kontor-bench-");
        BenchContext context = new BenchContext(settings, dir, progress);
        int failed = 0;
        List<Result> all = new ArrayList<>();
        try {
            for (Figure figure : chosen) {
                long started = System.nanoTime();
                context.say("%s: %s", figure.name(), figure.description());
                try {
                    for (Result r : figure.run(context)) {
                        all.add(r);
                        out.println(Results.json(r));
                        out.flush();
                        context.say("%s", progressLine(r));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw e;
                } catch (Exception e) {
                    // One figure that cannot be measured does not stop the others.
                    failed++;
                    out.println(Results.json(error(figure, e)));
                    out.flush();
                    context.say("%s could not be measured: %s", figure.name(), e.getMessage());
                    org.slf4j.LoggerFactory.getLogger(BenchCommand.class).debug("Figure {} failed", figure.name(), e);
                }
                context.say("%s took %.1f s", figure.name(), (System.nanoTime() - started) / 1e9);
            }
            if (markdown) {
                out.print(Results.markdown(all));
                out.flush();
            }
        } finally {
            if (work == null) {
                delete(dir);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** {@code tap.idle = 9.5 ms; baseline 0.85 ms, ratio 11.2; target <= 3 x baseline: short}. */
    static String progressLine(Result r) {
        String baseline = r.baseline() == null ? ""
                : "; baseline " + Numbers.number(r.baseline()) + ", ratio " + (r.ratio() == null ? "none" : Numbers.number(r.ratio()));
        return r.name() + " = " + Results.text(r.value(), r.unit()) + baseline + "; target " + r.target().describe() + ": "
                + r.verdict();
    }

    private List<Figure> chosen() {
        List<Figure> all = figures();
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<Figure> chosen = new ArrayList<>();
        for (String name : only) {
            Figure f = all.stream().filter(x -> x.name().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new UserError("no figure called '" + name.strip() + "'; the figures are "
                            + String.join(", ", all.stream().map(Figure::name).toList())));
            if (!chosen.contains(f)) {
                chosen.add(f);
            }
        }
        return chosen;
    }

    private static Map<String, Object> error(Figure figure, Exception e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", figure.name());
        m.put("value", null);
        m.put("met", false);
        m.put("error", e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        return m;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory left behind is harmless
        }
    }
}
