package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsCommandTest {
    @TempDir
    Path dir;
    Path site;
    Path out;

    @BeforeEach
    void siteFile() throws Exception {
        site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site"));
        out = dir.resolve("creds");
    }

    private Cli credentials(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("provision", "credentials", "--site", site.toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void every_secret_is_mode_600_and_none_is_printed() throws Exception {
        Cli r = credentials();
        assertThat(r.exit()).as(r.err()).isZero();
        List<Path> secrets = List.of(out.resolve("site.secret"), out.resolve("ca/ca.key"), out.resolve("mosquitto/passwd"),
                out.resolve("mosquitto/acl"), out.resolve("mosquitto/server.key"), out.resolve("users/operator/password"),
                out.resolve("users/operator/client.key"), out.resolve("users/kontor-test-site/password"),
                out.resolve("coap/psk.txt"), out.resolve("coap/node-room-1.psk"));
        for (Path secret : secrets) {
            assertThat(mode(secret)).as("%s", secret).isEqualTo("rw-------");
        }
        assertThat(mode(out.resolve("mosquitto/kontor.conf"))).isEqualTo("rw-r--r--");
        for (String user : List.of("kontor-test-site", "operator", "monitor", "zigbee-room-1")) {
            String password = Files.readString(out.resolve("users").resolve(user).resolve("password")).strip();
            assertThat(password).hasSize(SiteCredentials.PASSWORD_LENGTH);
            assertThat(r.out()).contains(user).doesNotContain(password);
        }
        assertThat(r.out()).doesNotContain(Files.readString(out.resolve("coap/node-room-1.psk")).strip());
    }

    @Test
    void show_prints_the_passwords_and_psks() throws Exception {
        Cli r = credentials("--show");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(Files.readString(out.resolve("users/monitor/password")).strip())
                .contains(Files.readString(out.resolve("coap/node-room-1.psk")).strip());
    }

    @Test
    void the_passwd_file_has_one_mosquitto_pbkdf2_hash_per_user() throws Exception {
        assertThat(credentials("--operators", "anna,bo", "--monitors", "monitor,homeassistant").exit()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("mosquitto/passwd"));
        assertThat(lines).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("kontor-test-site", "anna", "bo", "monitor", "homeassistant", "zigbee-room-1", "window-room-1");
        assertThat(lines).allMatch(l -> l.matches("[^:]+:\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}=="));
    }

    @Test
    void the_acl_gives_each_role_its_topics() throws Exception {
        assertThat(credentials().exit()).isZero();
        String acl = Files.readString(out.resolve("mosquitto/acl"));
        assertThat(acl).contains("user kontor-test-site\ntopic readwrite kontor/test-site/#\ntopic readwrite homeassistant/#\n"
                        + "topic read zigbee2mqtt/room-1-motion\ntopic read zigbee2mqtt/room-1-motion/availability\n")
                .contains("user operator\ntopic write kontor/test-site/cmd/+\ntopic write homeassistant/status\n"
                        + "topic read kontor/test-site/#\n")
                .contains("user monitor\ntopic read kontor/test-site/gateway/status\n")
                .contains("user zigbee-room-1\ntopic readwrite zigbee2mqtt/room-1-motion\n"
                        + "topic readwrite zigbee2mqtt/room-1-motion/availability\n")
                .doesNotContain("topic write kontor/test-site/sim/#");
        String monitor = acl.substring(acl.indexOf("user monitor"), acl.indexOf("user zigbee-room-1"));
        // An allow-list: nothing below the root wholesale, and never command traffic.
        assertThat(monitor.lines()).filteredOn(l -> l.startsWith("topic ")).allMatch(l -> l.startsWith("topic read "))
                .noneMatch(l -> l.equals("topic read kontor/test-site/#") || l.contains("/cmd") || l.contains("/reply")
                        || l.contains("/sim"));
    }

    @Test
    void simulator_control_is_granted_to_operators_only_when_asked() throws Exception {
        assertThat(credentials("--simulator").exit()).isZero();
        assertThat(Files.readString(out.resolve("mosquitto/acl")))
                .contains("user operator\ntopic write kontor/test-site/cmd/+\ntopic write kontor/test-site/sim/#\n");
    }

    @Test
    void the_broker_certificate_names_the_broker_hosts_and_is_signed_by_the_site_ca() throws Exception {
        assertThat(credentials("--broker-host", "kontor-pi.local,192.168.1.10").exit()).isZero();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(Files.newInputStream(out.resolve("ca/ca.pem")));
        X509Certificate server = (X509Certificate) cf.generateCertificate(Files.newInputStream(out.resolve("mosquitto/server.pem")));
        server.verify(ca.getPublicKey());
        assertThat(new java.util.ArrayList<List<?>>(server.getSubjectAlternativeNames())).extracting(n -> (Object) n.get(1))
                .containsExactly("kontor-pi.local", "192.168.1.10");
        X509Certificate client = (X509Certificate) cf.generateCertificate(Files.newInputStream(out.resolve("users/monitor/client.pem")));
        client.verify(ca.getPublicKey());
        assertThat(client.getSubjectX500Principal().getName()).contains("CN=monitor");
        assertThat(Files.readString(out.resolve("mosquitto/kontor.conf")))
                .contains("password_file /etc/mosquitto/kontor/passwd", "acl_file /etc/mosquitto/kontor/acl",
                        "listener 1883 127.0.0.1\nuse_username_as_clientid true\n", "listener 8883\nuse_username_as_clientid true\n",
                        "require_certificate true", "allow_anonymous false");
    }

    @Test
    void without_broker_host_the_site_files_broker_is_named() throws Exception {
        assertThat(credentials().exit()).isZero();
        X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(out.resolve("mosquitto/server.pem")));
        assertThat(new java.util.ArrayList<List<?>>(server.getSubjectAlternativeNames())).extracting(n -> (Object) n.get(1)).containsExactly("broker.example.org");
    }

    @Test
    void every_coap_node_gets_a_psk_that_the_gateway_reads() throws Exception {
        assertThat(credentials().exit()).isZero();
        String key = Files.readString(out.resolve("coap/node-room-1.psk")).strip();
        var keys = kontor.coap.PskFile.read(out.resolve("coap/psk.txt"));
        assertThat(keys).containsOnlyKeys("node-room-1");
        assertThat(keys.get("node-room-1")).isEqualTo(key.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void a_second_run_changes_nothing_unless_forced_and_force_keeps_the_site_secret_and_ca() throws Exception {
        assertThat(credentials().exit()).isZero();
        byte[] secret = Files.readAllBytes(out.resolve("site.secret"));
        String ca = Files.readString(out.resolve("ca/ca.pem"));
        String password = Files.readString(out.resolve("users/operator/password"));

        Cli again = credentials();
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already holds credentials").contains("--force");
        assertThat(Files.readString(out.resolve("users/operator/password"))).isEqualTo(password);

        Cli forced = credentials("--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(Files.readString(out.resolve("users/operator/password"))).isNotEqualTo(password);
        assertThat(Files.readAllBytes(out.resolve("site.secret"))).isEqualTo(secret);
        assertThat(Files.readString(out.resolve("ca/ca.pem"))).isEqualTo(ca);
        assertThat(forced.out()).contains("kept: site.secret");
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".new"));
        }
    }

    @Test
    void a_site_without_mqtt_needs_a_broker_host_and_bad_names_are_refused() throws Exception {
        Files.writeString(site, SiteFiles.skeleton("test-site").replaceAll("(?s)\nmqtt:.*?\n\n", "\n\n"));
        Cli r = credentials();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--broker-host");
        Cli bad = credentials("--broker-host", "localhost", "--operators", "bad name");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("\"bad name\" cannot be a broker user name");
        assertThat(out).doesNotExist();
    }
}
