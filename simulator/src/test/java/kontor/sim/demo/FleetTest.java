package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.cli.Main;
import kontor.journal.Event;
import kontor.fleet.DirectoryEntry;
import kontor.fleet.OwnerKeys;
import kontor.journal.Journal;
import kontor.members.CardHasher;
import kontor.members.FleetMember;
import kontor.members.Role;
import kontor.members.SiteSecret;
import kontor.testing.Mosquitto;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One card at every office (docs/fleet.md), end to end with two real Mosquittos: a centre (the owner's
 * cluster, TLS only) with the ACL {@code kontor provision centre} wrote, and a site broker bridged to it with the bridge
 * {@code kontor provision credentials} wrote; a gateway on the simulated board behind the site broker; the
 * owner's {@code kontor fleet} commands against the centre.
 */
class FleetTest {
    private static final String ANNA = "04A1B2C3D4E601";
    private static final String BERT = "04A1B2C3D4E602";
    private static final String CARL = "04A1B2C3D4E603";
    private static final String DORA = "04A1B2C3D4E604";

    @TempDir
    Path dir;
    private Path centreDir;
    private Path centreCa;
    private Mosquitto centre;
    private Mosquitto siteBroker;
    private DemoCommand.Demo site;

    @BeforeEach
    void a_centre_and_a_site_bridged_to_it_over_tls() throws Exception {
        String demo = new String(Objects.requireNonNull(getClass().getResourceAsStream("/kontor/site/demo-site.yaml")).readAllBytes(),
                StandardCharsets.UTF_8).replace("id: demo\n", "id: north\n");
        // The cluster's certificate: made here by the site CA of 'provision credentials', for the name localhost.
        Path plain = dir.resolve("plain-site.yaml");
        Files.writeString(plain, demo);
        ok("provision", "credentials", "--site", plain.toString(), "--out", dir.resolve("cluster-tls").toString(), "--broker-host", "localhost");
        centreCa = dir.resolve("cluster-tls/mosquitto/ca.pem");

        centreDir = dir.resolve("centre");
        ok("provision", "centre", "--out", centreDir.toString(), "--broker", "ssl://localhost:8883", "--ca-file", centreCa.toString(),
                "--site", "north,south");
        centre = Mosquitto.builder().persistence(true)
                .tls(dir.resolve("cluster-tls/mosquitto/server.pem"), dir.resolve("cluster-tls/mosquitto/server.key"))
                .config("allow_anonymous false")
                .config("password_file " + centreDir.resolve("mosquitto/passwd"))
                .config("acl_file " + centreDir.resolve("mosquitto/acl"))
                .start();

        Path secrets = dir.resolve("north/secrets");
        Files.createDirectories(secrets);
        try (var files = Files.list(centreDir.resolve("sites/north"))) {
            for (Path f : files.toList()) {
                Files.copy(f, secrets.resolve(f.getFileName()));
            }
        }
        Files.copy(centreCa, secrets.resolve("cluster-ca.pem"));
        Path siteFile = dir.resolve("north/site.yaml");
        Files.writeString(siteFile, demo + """

                fleet:
                  key_file: secrets/fleet.key
                  owner_key_file: secrets/owner.pub
                  centre_url: %s
                  centre_ca_file: secrets/cluster-ca.pem
                  centre_password_file: secrets/centre-password
                """.formatted(centre.url()));
        ok("provision", "credentials", "--site", siteFile.toString(), "--out", dir.resolve("north/credentials").toString(),
                "--broker-host", "localhost");
        Mosquitto.Builder local = Mosquitto.builder().persistence(true);
        List<String> bridge = Files.readAllLines(dir.resolve("north/credentials/mosquitto/kontor-bridge.conf"));
        assertThat(bridge).as("the bridge verifies the cluster's certificate").contains("bridge_insecure false")
                .anyMatch(l -> l.startsWith("bridge_cafile "));
        for (String line : bridge) {
            if (!line.isBlank() && !line.startsWith("#")) {
                local.config(line);
            }
        }
        siteBroker = local.start();

        DemoCommand cmd = new DemoCommand();
        cmd.data = dir.resolve("north/data");
        cmd.clock = "2026-12-01T10:00:00";
        cmd.siteFile = siteFile;
        cmd.mqtt = java.net.URI.create(siteBroker.url());
        cmd.coapPort = DemoFixture.freePort();
        site = cmd.start();
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {site, siteBroker, centre}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    @Test
    void a_member_added_at_the_centre_is_granted_at_the_site_and_a_revocation_is_refused_within_five_seconds() throws Exception {
        importMembers("member,card,role,sites", "anna," + ANNA + ",visitor,all", "bert," + BERT + ",visitor,south");
        awaitApplied("anna", "added");

        assertThat(tap("reader-entrance", ANNA)).isEqualTo("card.granted");
        assertThat(tap("reader-entrance", BERT)).as("bert is a fleet member of the south office only").isEqualTo("card.denied:unknown_card");

        ok("fleet", "revoke", "--centre", centreDir.toString(), "--broker", centre.url(), "anna");
        long revokedAt = System.nanoTime();
        awaitApplied("anna", "revoked");
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(tap("reader-entrance", ANNA)).isEqualTo("card.denied:revoked");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ok("fleet", "status", "--centre", centreDir.toString(),
                "--broker", centre.url())).contains("Directory version 3").containsPattern("north\\s+online\\s+3 \\(current\\)"));
    }

    @Test
    void a_site_cut_off_from_the_centre_keeps_working_and_catches_up_in_order() throws Exception {
        importMembers("member,card", "carl," + CARL);
        awaitApplied("carl", "added");

        siteBroker.stop(); // the site's link to everything: its gateway decides alone
        assertThat(tap("reader-entrance", CARL)).as("the last known directory still decides").isEqualTo("card.granted");

        importMembers("member,card", "carl," + CARL, "dora," + DORA);
        ok("fleet", "revoke", "--centre", centreDir.toString(), "--broker", centre.url(), "carl");
        assertThat(tap("reader-entrance", DORA)).as("not here yet").isEqualTo("card.denied:unknown_card");

        siteBroker.start();
        awaitApplied("carl", "revoked");
        awaitApplied("dora", "added");
        List<Long> versions = fleetEvents().stream().map(e -> ((Number) e.fields().get("version")).longValue()).toList();
        assertThat(versions).as("applied in the owner's order").isSorted().doesNotHaveDuplicates();
        assertThat(tap("reader-entrance", DORA)).isEqualTo("card.granted");
        assertThat(tap("reader-entrance", CARL)).isEqualTo("card.denied:revoked");
    }

    @Test
    void a_sites_credentials_cannot_publish_into_another_sites_subtree_or_the_directory() throws Exception {
        String password = Files.readString(centreDir.resolve("sites/north/centre-password")).strip();
        String ownerPassword = Files.readString(centreDir.resolve("owner-password")).strip();
        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient owner = new MqttClient(centre.url(), "owner-test", new MemoryPersistence());
        owner.setCallback(new kontor.testing.OnMessage(
                (topic, m) -> seen.add(topic + "=" + new String(m.getPayload(), StandardCharsets.UTF_8))));
        MqttConnectionOptions login = new MqttConnectionOptions();
        login.setSocketFactory(kontor.tls.PemTls.socketFactory(centreCa, null, null));
        login.setUserName("owner");
        login.setPassword(ownerPassword.getBytes(StandardCharsets.UTF_8));
        owner.connect(login);
        owner.subscribe("kontor/#", 1);
        for (String topic : List.of("kontor/south/events", "kontor/south/cmd/gateway.info", "kontor/fleet/directory/mallory",
                "kontor/fleet/version", "kontor/north/cmd/gateway.info", "kontor/north/events")) {
            // One connection each: a refused publish must not keep the next one from being tried.
            MqttClient north = client("site-north", password);
            try {
                north.publish(topic, ("forged " + topic).getBytes(StandardCharsets.UTF_8), 1, false);
            } catch (org.eclipse.paho.mqttv5.common.MqttException refused) {
                // Mosquitto may refuse the PUBLISH outright (MQTT 5 reason code) instead of dropping it silently.
            } finally {
                north.disconnectForcibly();
                north.close();
            }
        }
        // The last one was allowed: once it is here, every earlier one had its chance.
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("kontor/north/events=forged kontor/north/events"));
        assertThat(seen).as("only the site's own outward topic came through").noneMatch(s -> s.contains("forged")
                && !s.startsWith("kontor/north/events="));
        owner.disconnect();
    }

    @Test
    void an_entry_not_signed_by_the_owner_is_refused_at_the_site_even_with_the_fleet_key() throws Exception {
        // Someone with a site's fleet key (a stolen Pi) and a way onto its broker makes an admin card.
        CardHasher fleetCards = new CardHasher(SiteSecret.loadExisting(centreDir.resolve("fleet.key"), "the fleet key"));
        DirectoryEntry forged = new DirectoryEntry(new FleetMember("mallory", 99, fleetCards.hash(DORA), "E604", Role.ADMIN,
                true, null, false), List.of("all"));
        MqttClient forger = new MqttClient(siteBroker.url(), "forger", new MemoryPersistence());
        forger.connect();
        forger.publish("kontor/fleet/directory/mallory", forged.signed(OwnerKeys.generate().getPrivate()), 1, true);
        forger.disconnect();

        await().atMost(Duration.ofSeconds(10)).until(() -> site.gateway().journal().read(1, 10_000).stream().anyMatch(e ->
                e.type().equals("alarm.raised") && "fleet.entry_refused".equals(e.fields().get("alarm_type"))));
        assertThat(tap("reader-entrance", DORA)).isEqualTo("card.denied:unknown_card");
    }

    // ---- helpers


    private MqttClient client(String user, String password) throws Exception {
        MqttClient c = new MqttClient(centre.url(), user + "-test", new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(kontor.tls.PemTls.socketFactory(centreCa, null, null));
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        c.connect(o);
        return c;
    }

    private void importMembers(String... lines) throws Exception {
        Path csv = Files.createTempFile(dir, "members", ".csv");
        Files.writeString(csv, String.join("\n", lines) + "\n");
        ok("fleet", "import", "--centre", centreDir.toString(), "--broker", centre.url(), "--zone", "Europe/Stockholm", csv.toString());
    }

    private void awaitApplied(String fleetMember, String change) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fleetEvents().stream().anyMatch(e ->
                fleetMember.equals(e.fields().get("fleet_member")) && change.equals(e.fields().get("change"))));
    }

    private List<Event> fleetEvents() {
        Journal journal = site.gateway().journal();
        List<Event> out = new ArrayList<>();
        for (Event e : journal.read(1, 10_000)) {
            if (e.type().equals("fleet.applied")) {
                out.add(e);
            }
        }
        return out;
    }

    /** Taps and returns the outcome at that reader: {@code card.granted} or {@code card.denied:<reason>}. */
    private String tap(String reader, String card) {
        Journal journal = site.gateway().journal();
        long before = journal.lastSeq();
        site.world().tap(reader, card);
        await().atMost(Duration.ofSeconds(10)).until(() -> outcome(journal, before, reader) != null);
        return outcome(journal, before, reader);
    }

    private static String outcome(Journal journal, long after, String reader) {
        for (Event e : journal.read(after + 1, 1000)) {
            if (reader.equals(e.device()) && e.type().equals("card.granted")) {
                return "card.granted";
            }
            if (reader.equals(e.device()) && e.type().equals("card.denied")) {
                return "card.denied:" + e.fields().get("reason") + (e.fields().containsKey("detail") ? " (" + e.fields().get("detail") + ")" : "");
            }
        }
        return null;
    }

    private static String ok(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertThat(code).as("kontor " + String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }
}
