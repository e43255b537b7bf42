package kontor.provisioning;

import java.nio.file.Path;
import kontor.site.Site;
import picocli.CommandLine.Option;

/** The options every command on an installed site takes: its site file and its data directory. A picocli mixin. */
final class SiteOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the site file")
    Path config;

    @Option(names = "--data", defaultValue = SiteData.DEFAULT_DIR, paramLabel = "DIR",
            description = "the site's data directory (default: ${DEFAULT-VALUE})")
    Path data;

    /** The site file, checked; a bad file is a {@code UserError} listing every problem. */
    Site site() {
        return Sites.load(config);
    }
}
