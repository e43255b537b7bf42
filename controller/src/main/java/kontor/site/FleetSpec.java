package kontor.site;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The site file's {@code fleet:} section (docs/fleet.md): the keys that let this site apply the owner's fleet
 * directory and, when {@code centreUrl} is given, how the site broker bridges to the owner's cluster.
 */
public record FleetSpec(Path keyFile, Path ownerKeyFile, URI centreUrl, Path centreCaFile, String centreUsername,
                        Path centrePasswordFile) {
    /** The level under the topic root that belongs to the fleet ({@code kontor/fleet/…}); no site may take it as its id. */
    public static final String TOPIC_LEVEL = "fleet";

    public FleetSpec {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(ownerKeyFile, "ownerKeyFile");
    }

    /** Whether the site broker bridges to the cluster (else the gateway may connect to the cluster itself). */
    public boolean bridged() {
        return centreUrl != null;
    }
}
