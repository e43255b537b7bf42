package kontor.provisioning;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor provision wiring --site FILE}: the wiring table, in Markdown. */
@Command(name = "wiring", mixinStandardHelpOptions = true,
        description = "Prints the site's wiring as a Markdown table: every pin, what it drives or reads, its active level.")
final class WiringCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--site", required = true, paramLabel = "FILE", description = "the site file")
    Path site;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(WiringTable.markdown(Sites.load(site)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
