package kontor.provisioning;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kontor.cli.KontorSubcommand;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kontor validate FILE}: checks a site file and prints every problem, one per line. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a site file. Exit 0 if it is valid, 2 with one line per problem (FILE:LINE: field.path: what is wrong).")
public final class ValidateCommand implements KontorSubcommand, Callable<Integer> {
    static final int OK = 0;
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 1;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the site file (YAML)")
    private Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Site site = SiteFiles.load(file);
            out.println(file + ": ok (" + site.devices().size() + " devices)");
            out.flush();
            return OK;
        } catch (SiteFileException e) {
            e.lines().forEach(err::println);
            err.flush();
            return BAD_INPUT;
        } catch (RuntimeException e) {
            err.println("Cannot check " + file + " because of an internal error: " + e + ".");
            err.flush();
            return INTERNAL_ERROR;
        }
    }
}
