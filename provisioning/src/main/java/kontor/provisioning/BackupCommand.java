package kontor.provisioning;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import kontor.cli.KontorSubcommand;
import kontor.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor backup --config FILE --out F}: see {@link DatabaseBackup}. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Backs up the site's database into a zip file (mode 600), also while the gateway runs.",
                "Keep a copy of the site secret (/var/lib/kontor/site.secret) too: without it the cards in a backup are unknown."})
public final class BackupCommand implements KontorSubcommand, Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    SiteOptions site;

    @Option(names = "--out", required = true, paramLabel = "F", description = "the backup file to write (.zip)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Site loaded = site.site();
        DatabaseBackup.Via via = DatabaseBackup.backup(site.data, out);
        spec.commandLine().getOut().println("Backed up the database of site '" + loaded.id() + "' to " + out
                + (via == DatabaseBackup.Via.RUNNING_GATEWAY ? " (online, through the running gateway)." : "."));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
