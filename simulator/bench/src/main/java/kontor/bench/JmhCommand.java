package kontor.bench;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kontor bench jmh}: the JMH micro-benchmarks of kontor.bench.jmh, run in this JVM with short
 * settings, one JSON line per benchmark ({@code name}, {@code value}, {@code unit}, {@code error},
 * {@code samples}). They have no targets: they say where the time of a figure goes.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = "Runs the JMH micro-benchmarks (card check, journal append, event JSON) in this JVM.")
final class JmhCommand implements Callable<Integer> {
    static final String PACKAGE = "kontor.bench.jmh.";

    @Option(names = "--include", defaultValue = ".*",
            description = "Only benchmarks whose class.method matches this regular expression (default: all).")
    String include;

    @Option(names = "--iterations", defaultValue = "3", description = "Measured iterations of each (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--time-ms", defaultValue = "1000", description = "Length of each iteration, warm-up included (default: ${DEFAULT-VALUE}).")
    int timeMs;

    @Option(names = "--verbose", description = "Show JMH's own output on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || timeMs < 10) {
            throw new kontor.cli.UserError("--iterations must be at least 1 and --time-ms at least 10");
        }
        QuietLogging.apply();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PACKAGE + include)
                .forks(0) // in this JVM: the launcher's class path is all there is
                .warmupIterations(2)
                .warmupTime(TimeValue.milliseconds(timeMs))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(timeMs))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        Collection<RunResult> results;
        java.io.PrintStream stdout = System.out;
        try {
            // JMH prints to System.out; stdout is for the JSON lines.
            System.setOut(verbose ? System.err : new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            results = new Runner(options.build()).run();
        } finally {
            System.setOut(stdout);
        }
        if (results.isEmpty()) {
            throw new kontor.cli.UserError("no benchmark matches '" + include + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (RunResult run : results) {
            Result<?> r = run.getPrimaryResult();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "jmh." + run.getParams().getBenchmark().substring(PACKAGE.length()));
            m.put("value", Numbers.round(r.getScore()));
            m.put("unit", r.getScoreUnit());
            m.put("error", Numbers.round(r.getScoreError()));
            m.put("samples", r.getSampleCount());
            out.println(Results.json(m));
        }
        out.flush();
        return 0;
    }
}
