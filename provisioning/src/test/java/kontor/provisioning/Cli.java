package kontor.provisioning;

import java.io.PrintWriter;
import java.io.StringWriter;
import kontor.cli.Main;
import picocli.CommandLine;

/** Runs the whole {@code kontor} command line as a user would, capturing what it prints. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }
}
