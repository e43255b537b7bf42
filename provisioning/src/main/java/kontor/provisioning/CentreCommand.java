package kontor.provisioning;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kontor.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor provision centre}: the owner's keys and the cluster's users and ACL; see {@link FleetCentre}. */
@Command(name = "centre", mixinStandardHelpOptions = true,
        description = {"Sets up a fleet of sites on the owner's MQTT cluster (docs/fleet.md).",
                "Writes the fleet key, the owner's signing keys and password, the cluster's users and ACL,",
                "and for each site the files it needs (sites/ID/). Run again to add sites: keys and passwords are kept."})
final class CentreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the owner's directory (keep it safe)")
    Path out;

    @Option(names = "--broker", required = true, paramLabel = "URL", description = "the cluster, e.g. ssl://mqtt.example.org:8883")
    URI broker;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA of the cluster's certificate, for kontor fleet (default: the system's)")
    Path caFile;

    @Option(names = "--site", required = true, split = ",", paramLabel = "ID", description = "site ids of the fleet, comma-separated")
    List<String> sites;

    @Option(names = "--topic-root", defaultValue = "kontor", description = "the sites' mqtt.topic_root (default: ${DEFAULT-VALUE})")
    String topicRoot;

    @Option(names = "--owner", defaultValue = "owner", paramLabel = "NAME", description = "the owner's user on the cluster (default: ${DEFAULT-VALUE})")
    String owner;

    @Override
    public Integer call() throws IOException {
        if (!"ssl".equals(broker.getScheme()) && !"tcp".equals(broker.getScheme()) || broker.getHost() == null) {
            throw new UserError("--broker must be ssl://host:port (or tcp://host:port on a private network), not " + broker);
        }
        FleetCentre.Result r;
        try {
            r = new FleetCentre().generate(new FleetCentre.Options(out, broker, caFile, topicRoot, owner, sites));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("Fleet centre in " + out + " (" + r.written().size() + " files written). Cluster users: "
                + String.join(", ", r.users().keySet()) + ".");
        w.println("For each site: copy " + out.resolve("sites/<id>") + "/* to the site's secrets directory and add to its site file:");
        w.println("  fleet:");
        w.println("    key_file: secrets/fleet.key");
        w.println("    owner_key_file: secrets/owner.pub");
        w.println("    centre_url: " + broker);
        w.println("    centre_password_file: secrets/centre-password");
        w.println("then run 'kontor provision credentials' for the site again (it writes the bridge, mosquitto/kontor-bridge.conf).");
        w.println("The cluster (one Mosquitto): " + out.resolve("mosquitto/centre.conf") + ". Keep owner.key off every site.");
        return 0;
    }
}
