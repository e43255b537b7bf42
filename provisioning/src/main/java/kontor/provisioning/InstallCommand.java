package kontor.provisioning;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kontor.cli.UserError;
import kontor.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor provision install --config FILE [--dry-run]}: see {@link InstallPlan}. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Installs or upgrades Kontor as a systemd service on this Pi.",
                "The system user kontor, /etc/kontor, /var/lib/kontor, /opt/kontor, a hardened systemd unit,",
                "the site file (and credentials) in place.",
                "--dry-run prints every step and changes nothing."})
final class InstallCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the site file to install")
    Path config;

    @Option(names = "--credentials", paramLabel = "DIR",
            description = "the output of 'kontor provision credentials': installs the gateway's broker files and the site secret")
    Path credentials;

    @Option(names = "--dry-run", description = "print every step; change nothing")
    boolean dryRun;

    @Option(names = "--lib", paramLabel = "DIR", description = "Kontor's jars to install (default: those this command runs from)")
    Path lib;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", hidden = true,
            description = "install below this directory instead of / (tests); system commands are then skipped")
    Path root;

    @Override
    public Integer call() throws Exception {
        Site site = Sites.load(config);
        if (credentials != null && !Files.isDirectory(credentials.resolve("users"))) {
            throw new UserError(credentials + " does not hold the output of 'kontor provision credentials'");
        }
        List<Path> jars = jars();
        boolean realRoot = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (realRoot && !dryRun && !"root".equals(System.getProperty("user.name"))) {
            throw new UserError("installing needs root: run it with sudo (or look first with --dry-run)");
        }
        if (jars == null && !dryRun && !Files.isDirectory(root.resolve("opt/kontor/lib"))) {
            throw new UserError("cannot find Kontor's jars to install: build with 'mvn package' or give --lib DIR");
        }
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        InstallPlan plan = InstallPlan.of(root, site, config, credentials, jars, java, userExists(), groups());
        List<Path> missing = plan.missingSources();
        if (!missing.isEmpty()) {
            // Checked before the first step, in a dry run too: a real install would otherwise stop halfway, after
            // creating the user and the directories.
            throw new UserError("these files to install are missing: " + String.join(", ", missing.stream().map(Path::toString).toList())
                    + (credentials == null ? "" : "; are the credentials in " + credentials + " made for site '" + site.id()
                    + "' (kontor provision credentials --site " + config + " --out DIR)?") + " Nothing was changed.");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println((dryRun ? "Would install" : "Installing") + " Kontor for site '" + site.id() + "'"
                + (realRoot ? "" : " below " + root) + ":");
        int n = 0;
        for (InstallPlan.Step step : plan.steps()) {
            out.println(String.format("%2d. %s", ++n, step.describe()));
            out.flush();
            if (!dryRun) {
                try {
                    step.apply();
                } catch (IOException e) {
                    throw new IOException("step " + n + " failed: " + e.getMessage() + "; the steps before it are done,"
                            + " fix the cause and run the install again", e);
                }
            }
        }
        out.println(dryRun ? "Dry run: nothing was changed." : "Done. Follow the gateway with: journalctl -u kontor -f");
        out.flush();
        return 0;
    }

    private boolean userExists() throws IOException {
        Path passwd = root.resolve("etc/passwd");
        if (!Files.exists(passwd)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(passwd)) {
            return lines.anyMatch(l -> l.startsWith(InstallPlan.USER + ":"));
        }
    }

    /** The hardware groups this system has (a unit naming a missing group would not start). */
    private List<String> groups() throws IOException {
        Path group = root.resolve("etc/group");
        List<String> present = new ArrayList<>();
        if (Files.exists(group)) {
            List<String> lines = Files.readAllLines(group);
            for (String g : InstallPlan.HARDWARE_GROUPS) {
                if (lines.stream().anyMatch(l -> l.startsWith(g + ":"))) {
                    present.add(g);
                }
            }
        }
        return present;
    }

    /** The jars of --lib, or of the installation this command runs from; null when there are none. */
    private List<Path> jars() throws IOException, URISyntaxException {
        Path dir = lib;
        List<Path> out = new ArrayList<>();
        if (dir == null) {
            Path self = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self) || !self.toString().endsWith(".jar")) {
                return null; // running from classes (a build tree): nothing to install
            }
            dir = self.getParent().resolve("lib");
            if (!Files.isDirectory(dir)) {
                return null; // running from an installed /opt/kontor/lib: nothing newer to install
            }
            out.add(self);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError("the jar directory " + dir + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".jar") && !f.getFileName().toString().contains("-tests"))
                    .sorted().forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new UserError("there are no jars in " + dir);
        }
        return out;
    }
}
