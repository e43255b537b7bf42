package kontor.provisioning;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kontor.cli.UserError;
import kontor.site.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kontor provision credentials --site FILE --out DIR}: see {@link SiteCredentials} for what it writes. */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = {"Generates a site's secrets, broker users and Mosquitto files.",
                "The site secret; broker users with random passwords; Mosquitto's passwd, acl and kontor.conf;",
                "a site CA with broker and client certificates; a DTLS PSK per CoAP node.",
                "Secrets are written with mode 600 and printed only with --show."})
final class CredentialsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--site", required = true, paramLabel = "FILE", description = "the site file")
    Path site;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the credentials")
    Path out;

    @Option(names = "--operators", split = ",", paramLabel = "NAME", defaultValue = "operator",
            description = "broker users with the operator role (commands), comma-separated (default: ${DEFAULT-VALUE})")
    List<String> operators;

    @Option(names = "--monitors", split = ",", paramLabel = "NAME", defaultValue = "monitor",
            description = "broker users with the read-only monitor role, comma-separated (default: ${DEFAULT-VALUE});"
                    + " e.g. monitor,homeassistant")
    List<String> monitors;

    @Option(names = "--broker-host", split = ",", paramLabel = "HOST",
            description = "name(s) or address(es) clients use to reach the broker, for its certificate;"
                    + " default: the host of the site file's mqtt.url")
    List<String> brokerHosts = new ArrayList<>();

    @Option(names = "--port", defaultValue = "8883", description = "the broker's TLS port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--local-port", defaultValue = "1883",
            description = "a plain listener on 127.0.0.1 for clients on the broker's machine; 0 for none (default: ${DEFAULT-VALUE})")
    int localPort;

    @Option(names = "--mosquitto-dir", defaultValue = "/etc/mosquitto/kontor", paramLabel = "DIR",
            description = "where the broker's files will be on the broker's machine, as kontor.conf names them (default: ${DEFAULT-VALUE})")
    Path mosquittoDir;

    @Option(names = "--simulator", description = "also let operators publish simulator control (sim/#): only for a test bench running 'kontor demo --mqtt'")
    boolean simulator;

    @Option(names = "--show", description = "print the passwords and PSKs too")
    boolean show;

    @Option(names = "--force", description = "replace existing credentials (the site secret and the CA are kept)")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Site s = Sites.load(site);
        List<String> hosts = new ArrayList<>(brokerHosts);
        if (hosts.isEmpty()) {
            if (s.mqtt() == null || s.mqtt().url() == null) {
                throw new UserError("the site file has no mqtt.url; name the broker with --broker-host HOST");
            }
            hosts.add(s.mqtt().url().getHost());
        }
        if (port < 1 || port > 65535 || localPort < 0 || localPort > 65535 || port == localPort) {
            throw new UserError("--port must be 1..65535 and --local-port 0..65535, and they must differ");
        }
        SiteCredentials.Result r;
        try {
            r = new SiteCredentials().generate(s, new SiteCredentials.Options(out, operators, monitors, hosts, port,
                    localPort, mosquittoDir, simulator, force));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("Credentials for site '" + s.id() + "' in " + out + " (" + r.written().size() + " files written"
                + (r.kept().isEmpty() ? "" : "; kept: " + String.join(", ", r.kept().stream().map(Path::toString).toList())) + ").");
        w.println("Broker users:");
        for (BrokerPlan.User u : r.plan().users()) {
            w.println("  " + u.name() + " (" + u.role().name().toLowerCase(java.util.Locale.ROOT) + ")"
                    + (show ? "  password: " + r.passwords().get(u.name()) : "") + "  files: users/" + u.name() + "/");
        }
        if (!r.psks().isEmpty()) {
            w.println("CoAP nodes (DTLS PSK identity = node id):");
            r.psks().forEach((node, key) -> w.println("  " + node + (show ? "  key: " + key : "") + "  file: coap/" + node + ".psk"));
        }
        String gw = r.plan().gateway().name();
        w.println();
        w.println("Next:");
        w.println("  1. Broker: copy mosquitto/kontor.conf to /etc/mosquitto/conf.d/ and the rest of mosquitto/ to " + mosquittoDir + "/");
        w.println("  2. Gateway: copy users/" + gw + "/ to /etc/kontor/secrets/ and site.secret to /var/lib/kontor/"
                + " (or: kontor provision install --config FILE --credentials " + out + ")");
        w.println("     and give the site file this mqtt section:");
        w.println("       mqtt:");
        w.println("         url: " + (localPort > 0 ? "tcp://127.0.0.1:" + localPort + "   # broker on this Pi; else ssl://"
                + hosts.getFirst() + ":" + port : "ssl://" + hosts.getFirst() + ":" + port));
        w.println("         username: " + gw);
        w.println("         password_file: secrets/password");
        w.println("         ca_file: secrets/ca.pem              # with ssl:// only");
        w.println("         client_cert_file: secrets/client.pem # with ssl:// only");
        w.println("         client_key_file: secrets/client.key  # with ssl:// only");
        w.println("  3. Keep ca/ca.key offline; it is needed only to issue new certificates.");
        if (!show) {
            w.println("Secrets are in the files (mode 600); --show prints them.");
        }
        w.flush();
        return 0;
    }
}
