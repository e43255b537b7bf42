package kontor.provisioning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kontor.cli.KontorSubcommand;
import kontor.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor restore --config FILE --from F}: see {@link DatabaseBackup#restore}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Replaces the site's database with a backup. Refused while the gateway runs;",
                "the previous database is kept in DIR/before-restore-<time>/."})
public final class RestoreCommand implements KontorSubcommand, Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    SiteOptions site;

    @Option(names = "--from", required = true, paramLabel = "F", description = "the backup file (from kontor backup)")
    Path from;

    @Override
    public Integer call() throws Exception {
        Site loaded = site.site();
        Path aside = DatabaseBackup.restore(site.data, from);
        var out = spec.commandLine().getOut();
        out.println("Restored the database of site '" + loaded.id() + "' from " + from + "."
                + (aside == null ? "" : " The previous one is in " + aside + "."));
        if (!Files.exists(site.data.resolve(SiteData.SECRET_FILE))) {
            out.println("Warning: there is no " + site.data.resolve(SiteData.SECRET_FILE)
                    + "; restore the site secret too, or no enrolled card will be recognised.");
        }
        out.flush();
        return 0;
    }
}
