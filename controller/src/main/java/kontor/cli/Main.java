package kontor.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kontor}: the one entry point. Sub-commands come from this module and, via {@link KontorSubcommand}, others. */
@Command(name = "kontor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The building controller for public offices.",
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /*
     * Exit codes, which the systemd unit reads (RestartPreventExitStatus): a restart can help after FAILED (a
     * broker or disk hiccup, a watchdog kill), never after BAD_INPUT or NO_HARDWARE, which need a person.
     */
    /** Exit code for bad input or configuration (picocli uses it for usage errors too). */
    public static final int BAD_INPUT = 2;
    /** Exit code for anything else that went wrong. */
    public static final int FAILED = 1;
    /** Exit code when this machine lacks the hardware access the site needs (no GPIO, not in the gpio group). */
    public static final int NO_HARDWARE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Our logging set-up, not whichever logback.xml a library jar happens to ship first on the class path.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "kontor-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, with every contributed sub-command; tests call this too. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (KontorSubcommand sub : ServiceLoader.load(KontorSubcommand.class)) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler(Main::explain);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Errors are one clear sentence on stderr, never a bare stack trace. */
    private static int explain(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof UserError u) {
            err.println("kontor " + cl.getCommandName() + ": " + u.getMessage());
            return u.exitCode();
        }
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("Command failed", e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("kontor " + cl.getCommandName() + ": " + message);
        return FAILED;
    }
}
