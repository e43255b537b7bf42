package kontor.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kontor.fleet.FleetTopics;
import kontor.fleet.OwnerKeys;
import kontor.members.SiteSecret;
import kontor.site.FleetSpec;

/**
 * The owner's side of a fleet (docs/fleet.md), written by {@code kontor provision centre} into one directory
 * that stays on the owner's machine:
 *
 * <pre>
 * fleet.properties        the cluster's URL, its CA, the topic root and the owner's user: what `kontor fleet` reads
 * fleet.key               the card-hash key every site gets (32 bytes)
 * owner.key, owner.pub    the owner's Ed25519 signing keys; only owner.pub leaves this machine
 * owner-password          the owner's password on the cluster
 * mosquitto/centre.conf   for a Mosquitto acting as the cluster: users and ACL (add a TLS listener of your own)
 * mosquitto/passwd, acl   every site's user and the owner, each limited to its topics
 * sites/ID/               what one site needs in its secrets directory: fleet.key, owner.pub, centre-password
 * </pre>
 *
 * Run again with more sites to add them: keys and existing passwords are kept (a new fleet key would make every
 * fleet card unknown at every site). Secrets are mode 600.
 */
final class FleetCentre {
    static final String PROPERTIES = "fleet.properties";
    static final String FLEET_KEY = "fleet.key";
    static final String OWNER_KEY = "owner.key";
    static final String OWNER_PUBLIC_KEY = "owner.pub";
    static final String OWNER_PASSWORD = "owner-password";
    static final String CENTRE_PASSWORD = "centre-password";

    record Options(Path out, URI broker, Path caFile, String topicRoot, String ownerUser, List<String> sites) { }

    record Result(List<Path> written, Map<String, String> users) { }

    private final SecureRandom random = new SecureRandom();

    Result generate(Options o) throws IOException {
        for (String site : o.sites()) {
            if (!site.matches("[a-z0-9][a-z0-9_-]{0,63}") || site.equals(FleetSpec.TOPIC_LEVEL)) {
                throw new IllegalArgumentException("\"" + site + "\" cannot be a site id here (a-z, 0-9, _ and -; not \"fleet\")");
            }
        }
        BrokerPlan.checkedName(o.ownerUser());
        List<Path> written = new ArrayList<>();
        OutputFiles.createDirectory(o.out(), OutputFiles.PRIVATE_DIR);
        Path fleetKey = o.out().resolve(FLEET_KEY);
        SiteSecret.loadOrCreate(fleetKey); // created once, then only read
        Path ownerKey = o.out().resolve(OWNER_KEY);
        Path ownerPub = o.out().resolve(OWNER_PUBLIC_KEY);
        if (!Files.exists(ownerKey)) {
            KeyPair keys = OwnerKeys.generate();
            OwnerKeys.write(ownerKey, keys.getPrivate());
            OwnerKeys.write(ownerPub, keys.getPublic());
            written.add(ownerKey);
            written.add(ownerPub);
        }
        Properties p = new Properties();
        p.setProperty("broker", o.broker().toString());
        p.setProperty("topic_root", o.topicRoot());
        p.setProperty("owner_username", o.ownerUser());
        if (o.caFile() != null) {
            p.setProperty("ca_file", o.caFile().toAbsolutePath().toString());
        }
        StringWriter props = new StringWriter();
        p.store(props, "kontor fleet: the owner's cluster (written by kontor provision centre)");
        OutputFiles.writeSecret(o.out().resolve(PROPERTIES), props.toString());
        written.add(o.out().resolve(PROPERTIES));

        Map<String, String> users = new LinkedHashMap<>();
        users.put(o.ownerUser(), keptOrNew(o.out().resolve(OWNER_PASSWORD), written));
        for (String site : o.sites()) {
            Path dir = o.out().resolve("sites").resolve(site);
            OutputFiles.createDirectory(dir, OutputFiles.PRIVATE_DIR);
            users.put(siteUser(site), keptOrNew(dir.resolve(CENTRE_PASSWORD), written));
            OutputFiles.write(dir.resolve(FLEET_KEY), Files.readAllBytes(fleetKey), OutputFiles.SECRET);
            OutputFiles.write(dir.resolve(OWNER_PUBLIC_KEY), Files.readAllBytes(ownerPub), OutputFiles.SECRET);
            written.add(dir.resolve(FLEET_KEY));
            written.add(dir.resolve(OWNER_PUBLIC_KEY));
        }
        // Sites provisioned before stay in the centre's files: every sites/ID directory is a site of the fleet.
        List<String> allSites = new ArrayList<>();
        try (var dirs = Files.list(o.out().resolve("sites"))) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(allSites::add);
        }
        for (String site : allSites) {
            users.putIfAbsent(siteUser(site), Files.readString(o.out().resolve("sites").resolve(site).resolve(CENTRE_PASSWORD)).strip());
        }
        Path mosquitto = o.out().resolve("mosquitto");
        StringBuilder passwd = new StringBuilder();
        for (Map.Entry<String, String> u : users.entrySet()) {
            passwd.append(u.getKey()).append(':').append(new MosquittoPasswords(random).hash(u.getValue().toCharArray())).append('\n');
        }
        OutputFiles.writeSecret(mosquitto.resolve("passwd"), passwd.toString());
        OutputFiles.writeSecret(mosquitto.resolve("acl"), acl(o.topicRoot(), o.ownerUser(), allSites));
        OutputFiles.writePublic(mosquitto.resolve("centre.conf"), "# The fleet's cluster as one Mosquitto (docs/fleet.md)."
                + " Generated by 'kontor provision centre'.\n# Add a TLS listener of your own (listener 8883, certfile, keyfile).\n"
                + "allow_anonymous false\npassword_file " + mosquitto.resolve("passwd").toAbsolutePath()
                + "\nacl_file " + mosquitto.resolve("acl").toAbsolutePath() + "\n");
        written.add(mosquitto.resolve("passwd"));
        written.add(mosquitto.resolve("acl"));
        written.add(mosquitto.resolve("centre.conf"));
        return new Result(written, users);
    }

    static String siteUser(String site) {
        return kontor.site.SiteSettings.defaultCentreUsername(site);
    }

    /**
     * The cluster's ACL: a site writes only its own subtree's outward topics and reads only its own commands and
     * the directory; the owner alone writes the directory, and may command every site.
     */
    static String acl(String root, String owner, List<String> sites) {
        FleetTopics fleet = new FleetTopics(root);
        StringBuilder out = new StringBuilder("# The fleet's cluster: who may use which topics (Mosquitto acl_file).\n"
                + "# Generated by 'kontor provision centre'. Anything not granted here is denied.\n\n");
        out.append("# The owner: writes the fleet directory, reads every site, may send any site a command.\n")
                .append("user ").append(owner).append('\n')
                .append("topic readwrite ").append(root).append('/').append(FleetSpec.TOPIC_LEVEL).append("/#\n")
                .append("topic read ").append(root).append("/#\n")
                .append("topic write ").append(root).append("/+/cmd/+\n");
        for (String site : sites) {
            String s = root + "/" + site;
            out.append("\n# Site ").append(site).append(" (its broker's bridge): its own subtree out, its commands and the directory in.\n")
                    .append("user ").append(siteUser(site)).append('\n');
            for (String t : FleetBridge.outward(s)) {
                out.append("topic write ").append(t).append('\n');
            }
            out.append("topic read ").append(s).append("/cmd/+\n")
                    .append("topic read ").append(fleet.directory()).append('\n')
                    .append("topic read ").append(fleet.version()).append('\n');
        }
        return out.toString();
    }

    private String keptOrNew(Path file, List<Path> written) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String password = new SiteCredentials().password();
        OutputFiles.writeSecret(file, password + "\n");
        written.add(file);
        return password;
    }

    /** Reads {@code fleet.properties} of a centre directory. */
    static Properties properties(Path dir) {
        Path file = dir.resolve(PROPERTIES);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new kontor.cli.UserError("cannot read " + file + " (" + e.getMessage() + "): give the directory "
                    + "'kontor provision centre' wrote");
        }
        return p;
    }
}
