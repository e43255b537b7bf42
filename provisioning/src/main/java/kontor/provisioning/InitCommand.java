package kontor.provisioning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kontor.cli.UserError;
import kontor.site.SiteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor provision init --site-id ID --out FILE}: a commented site file to start from. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Writes a commented site-file skeleton for a new site; 'kontor validate' accepts it as it is.")
final class InitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--site-id", required = true, paramLabel = "ID", description = "the site's id: lowercase letters, digits and hyphens")
    String siteId;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the site file to write; an existing file is never replaced")
    Path out;

    @Override
    public Integer call() throws IOException {
        String text;
        try {
            text = SiteFiles.skeleton(siteId);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (Files.exists(out)) {
            throw new UserError(out + " already exists; nothing was written (choose another --out or remove it)");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new UserError("the directory " + parent + " does not exist");
        }
        try {
            Files.writeString(out, text, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UserError(out + " already exists; nothing was written");
        }
        spec.commandLine().getOut().println("Wrote " + out + " for site '" + siteId
                + "'. Describe the site in it, then: kontor validate " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
