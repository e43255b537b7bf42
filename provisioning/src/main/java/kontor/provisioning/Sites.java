package kontor.provisioning;

import java.nio.file.Path;
import kontor.cli.UserError;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;

/** Loads the site file a provisioning command names; its problems become one user error. */
final class Sites {
    private Sites() { }

    static Site load(Path file) {
        try {
            return SiteFiles.load(file);
        } catch (SiteFileException e) {
            throw new UserError(String.join("\n", e.lines()));
        }
    }
}
