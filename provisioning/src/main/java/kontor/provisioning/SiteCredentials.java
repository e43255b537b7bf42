package kontor.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kontor.members.SiteSecret;
import kontor.site.PresenceSpec;
import kontor.site.Site;

/**
 * Everything secret a site needs, generated into one directory ({@code kontor provision credentials}):
 *
 * <pre>
 * site.secret                        the key of the card hashes → /var/lib/kontor/site.secret
 * ca/ca.pem, ca/ca.key               the site CA (keep ca.key offline; it only issues certificates)
 * mosquitto/kontor.conf              the broker's include: listeners, TLS, password and ACL files
 * mosquitto/passwd, acl              users in Mosquitto's PBKDF2-SHA512 format; each role's topics
 * mosquitto/kontor-bridge.conf       (a site in a fleet with fleet.centre_url) the bridge to the owner's cluster
 * mosquitto/ca.pem, server.pem, server.key
 * users/NAME/password, client.pem, client.key, ca.pem   one per broker user (gateway, operators, monitors, devices)
 * coap/psk.txt                       every CoAP node's DTLS PSK, for the site file's coap.psk_file
 * coap/NODE.psk                      one node's key, to load into the node
 * </pre>
 *
 * Secrets (keys, passwords, PSKs, the site secret, passwd) have mode 600. Existing files are never replaced unless
 * {@code force}; even then the site secret (a new one would make every enrolled card unknown) and the CA (every
 * device trusts it) are kept and reused.
 */
final class SiteCredentials {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    static final int PASSWORD_LENGTH = 24;

    /** What to generate. */
    record Options(Path out, List<String> operators, List<String> monitors, List<String> brokerHosts, int port,
                   int localPort, Path mosquittoDir, boolean simulator, boolean force) { }

    /** What was generated: the files (relative to the output directory), what was kept, and the secrets for --show. */
    record Result(BrokerPlan plan, List<Path> written, List<Path> kept, Map<String, String> passwords,
                  Map<String, String> psks) { }

    private final SecureRandom random = new SecureRandom();

    Result generate(Site site, Options o) throws IOException {
        BrokerPlan plan = BrokerPlan.of(site, o.operators(), o.monitors(), o.simulator());
        List<String> coapNodes = site.devices(PresenceSpec.class).stream()
                .filter(p -> p.source() instanceof PresenceSpec.CoapSource).map(PresenceSpec::id).toList();
        Path out = o.out();
        Path secret = out.resolve("site.secret");
        Path caCert = out.resolve("ca/ca.pem");
        Path caKey = out.resolve("ca/ca.key");
        boolean reuseCa = Files.exists(caCert) && Files.exists(caKey);

        List<Path> targets = new ArrayList<>(List.of(secret, caCert, caKey));
        for (String f : List.of("kontor.conf", "passwd", "acl", "ca.pem", "server.pem", "server.key")) {
            targets.add(out.resolve("mosquitto").resolve(f));
        }
        for (BrokerPlan.User u : plan.users()) {
            for (String f : List.of("password", "client.pem", "client.key", "ca.pem")) {
                targets.add(out.resolve("users").resolve(u.name()).resolve(f));
            }
        }
        if (!coapNodes.isEmpty()) {
            targets.add(out.resolve("coap/psk.txt"));
            coapNodes.forEach(n -> targets.add(out.resolve("coap").resolve(n + ".psk")));
        }
        List<Path> existing = targets.stream().filter(Files::exists).toList();
        if (!existing.isEmpty() && !o.force()) {
            throw new kontor.cli.UserError(out + " already holds credentials (" + describe(out, existing)
                    + "); nothing was changed. Use --force to replace them (the site secret and the CA are kept).");
        }

        List<Path> written = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        OutputFiles.createDirectory(out, OutputFiles.PRIVATE_DIR);
        if (Files.exists(secret)) {
            kept.add(secret);
        } else {
            SiteSecret.loadOrCreate(secret);
            written.add(secret);
        }
        SiteCa ca;
        if (reuseCa) {
            ca = SiteCa.load(Files.readString(caCert, StandardCharsets.US_ASCII), Files.readString(caKey, StandardCharsets.US_ASCII), random);
            kept.add(caCert);
            kept.add(caKey);
        } else {
            ca = SiteCa.create(site.id(), random);
            write(written, caCert, ca.ca().certificatePem(), false);
            write(written, caKey, ca.ca().keyPem(), true);
        }
        String caPem = ca.ca().certificatePem();

        Path mosquitto = out.resolve("mosquitto");
        SiteCa.Issued server = ca.server(o.brokerHosts());
        write(written, mosquitto.resolve("ca.pem"), caPem, false);
        write(written, mosquitto.resolve("server.pem"), server.certificatePem(), false);
        write(written, mosquitto.resolve("server.key"), server.keyPem(), true);

        MosquittoPasswords hasher = new MosquittoPasswords(random);
        Map<String, String> passwords = new LinkedHashMap<>();
        StringBuilder passwd = new StringBuilder();
        for (BrokerPlan.User u : plan.users()) {
            String password = password();
            passwords.put(u.name(), password);
            passwd.append(hasher.line(u.name(), password.toCharArray())).append('\n');
            Path dir = out.resolve("users").resolve(u.name());
            OutputFiles.createDirectory(dir, OutputFiles.PRIVATE_DIR);
            SiteCa.Issued client = ca.client(u.name());
            write(written, dir.resolve("password"), password + "\n", true);
            write(written, dir.resolve("client.pem"), client.certificatePem(), false);
            write(written, dir.resolve("client.key"), client.keyPem(), true);
            write(written, dir.resolve("ca.pem"), caPem, false);
        }
        write(written, mosquitto.resolve("passwd"), passwd.toString(), true);
        write(written, mosquitto.resolve("acl"), plan.acl(), true);
        write(written, mosquitto.resolve("kontor.conf"), mosquittoConf(site, o), false);
        if (site.fleet() != null && site.fleet().bridged()) {
            write(written, mosquitto.resolve("kontor-bridge.conf"), FleetBridge.conf(site), true);
        }

        Map<String, String> psks = new LinkedHashMap<>();
        if (!coapNodes.isEmpty()) {
            // The format the gateway reads (kontor.coap.PskFile): "identity key" per line.
            StringBuilder text = new StringBuilder("# DTLS pre-shared keys of the CoAP nodes: identity (the device id) and key\n");
            for (String node : coapNodes) {
                String key = password();
                psks.put(node, key);
                text.append(node).append(' ').append(key).append('\n');
                write(written, out.resolve("coap").resolve(node + ".psk"), key + "\n", true);
            }
            write(written, out.resolve("coap/psk.txt"), text.toString(), true);
        }
        return new Result(plan, written.stream().map(out::relativize).toList(), kept.stream().map(out::relativize).toList(),
                passwords, psks);
    }

    private static String describe(Path out, List<Path> existing) {
        List<String> names = existing.stream().limit(3).map(p -> out.relativize(p).toString()).toList();
        return String.join(", ", names) + (existing.size() > 3 ? " and " + (existing.size() - 3) + " more" : "");
    }

    private static void write(List<Path> written, Path file, String text, boolean secret) throws IOException {
        OutputFiles.createDirectory(file.toAbsolutePath().getParent(), OutputFiles.PRIVATE_DIR);
        if (secret) {
            OutputFiles.writeSecret(file, text);
        } else {
            OutputFiles.writePublic(file, text);
        }
        written.add(file);
    }

    /** About 137 bits from letters and digits that cannot be confused; nothing a shell or YAML would mangle. */
    String password() {
        char[] c = new char[PASSWORD_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    static String mosquittoConf(Site site, Options o) {
        Path d = o.mosquittoDir();
        StringBuilder s = new StringBuilder();
        s.append("# Kontor site ").append(site.id()).append(": the broker's settings. Generated by 'kontor provision credentials'.\n")
                .append("# Debian: copy this file to /etc/mosquitto/conf.d/ and the other files of its directory to ")
                .append(d).append("/\n")
                .append("# (owned by mosquitto, the secrets mode 600), then: systemctl restart mosquitto\n\n")
                .append("# Only known users, each limited to its topics.\n")
                .append("allow_anonymous false\n")
                .append("password_file ").append(d.resolve("passwd")).append('\n')
                .append("acl_file ").append(d.resolve("acl")).append('\n');
        // Mosquitto 2.0 has no per-user client-id ACL: each client's id becomes its user name instead, so nobody
        // but the gateway's user can take the gateway's id (kontor-<site>) and knock it off the broker. A second
        // connection of the same user still replaces the first: one user per tool. A per-listener setting.
        String ownId = "use_username_as_clientid true\n";
        if (o.localPort() > 0) {
            s.append("\n# Clients on this machine (the gateway, when the broker runs on the Pi): loopback only, no TLS.\n")
                    .append("listener ").append(o.localPort()).append(" 127.0.0.1\n")
                    .append(ownId);
        }
        s.append("\n# Everyone else: TLS, a client certificate signed by the site CA, and the user's password.\n")
                .append("# On both listeners a client's id is its user name, so nobody can take another user's place\n")
                .append("# (the gateway's above all); a second connection of the same user replaces the first.\n")
                .append("listener ").append(o.port()).append('\n')
                .append(ownId)
                .append("cafile ").append(d.resolve("ca.pem")).append('\n')
                .append("certfile ").append(d.resolve("server.pem")).append('\n')
                .append("keyfile ").append(d.resolve("server.key")).append('\n')
                .append("require_certificate true\n");
        return s.toString();
    }
}
