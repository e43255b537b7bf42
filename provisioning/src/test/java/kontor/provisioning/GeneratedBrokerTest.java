package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.site.SiteFiles;
import kontor.testing.HelperProcess;
import kontor.testing.TestMqttClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Mosquitto runs with nothing but the generated files: it accepts the generated password hashes, verifies
 * client certificates against the site CA, and its ACL gives each role exactly its topics.
 */
class GeneratedBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ROOT = "kontor/test-site";
    private static final String GATEWAY = "kontor-test-site"; // the skeleton's mqtt.username for site test-site
    private static final String DEVICE = "zigbee-room-1";   // the skeleton's MQTT presence sensor
    private static final String DEVICE_TOPIC = "zigbee2mqtt/room-1-motion";
    private static final String CONTACT_TOPIC = "zigbee2mqtt/room-1-window";
    private static final String COUNTER_TOPIC = "zigbee2mqtt/entrance-counter";

    @TempDir
    static Path dir;
    static Path creds;
    static int tlsPort;
    static int localPort;
    static GeneratedBroker broker;

    @BeforeAll
    static void generateAndStart() throws Exception {
        Path site = dir.resolve("site.yaml");
        // Issue 15: the skeleton's MQTT contact sensor (window-room-1) and an MQTT people counter must get broker users and gateway read grants too.
        Files.writeString(site, SiteFiles.skeleton("test-site").replace("  - id: node-room-1\n",
                "  - {id: counter-net, kind: people_counter, mqtt: {topic: " + COUNTER_TOPIC + "}}\n"
                + "  - id: node-room-1\n"));
        creds = dir.resolve("creds");
        tlsPort = HelperProcess.freePort();
        localPort = HelperProcess.freePort();
        Cli r = Cli.run("provision", "credentials", "--site", site.toString(), "--out", creds.toString(),
                "--broker-host", "localhost", "--port", String.valueOf(tlsPort), "--local-port", String.valueOf(localPort),
                "--mosquitto-dir", creds.resolve("mosquitto").toString(), "--operators", "operator,night-operator");
        assertThat(r.exit()).as(r.err()).isZero();
        broker = new GeneratedBroker(creds.resolve("mosquitto"), tlsPort);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String password(String user) throws Exception {
        return Files.readString(creds.resolve("users").resolve(user).resolve("password")).strip();
    }

    private static TestMqttClient local(String user) throws Exception {
        return TestMqttClient.connect("tcp://127.0.0.1:" + localPort, user, password(user));
    }

    /** Publishes and ignores the broker's refusal: a denied publish may come back as an error or be dropped. */
    private static void tryPublish(TestMqttClient client, String topic, String payload) {
        try {
            client.publish(topic, payload);
        } catch (IllegalStateException refused) {
            // what we test is that nobody receives it
        }
    }

    @Test
    void the_gateway_connects_over_tls_as_its_user_verifying_the_site_ca() throws Exception {
        Path user = creds.resolve("users").resolve(GATEWAY);
        MqttSettings settings = MqttSettings.builder("ssl://localhost:" + tlsPort, "kontor-test-site")
                .credentials(GATEWAY, password(GATEWAY).toCharArray())
                .trust(user.resolve("ca.pem"))
                .clientCertificate(user.resolve("client.pem"), user.resolve("client.key"))
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
        try (TestMqttClient monitor = local("monitor").subscribe(ROOT + "/#");
             PahoMqttPort gateway = new PahoMqttPort(settings)) {
            gateway.start();
            await().atMost(WAIT).until(gateway::connected);
            assertThat(gateway.publish(ROOT + "/events", "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), 1, false))
                    .succeedsWithin(WAIT);
            assertThat(TestMqttClient.text(monitor.awaitMessage(ROOT + "/events"))).isEqualTo("{\"seq\":1}");
        }
    }

    @Test
    void operators_send_commands_and_a_monitor_cannot() throws Exception {
        try (TestMqttClient gateway = local(GATEWAY).subscribe(ROOT + "/cmd/+");
             TestMqttClient monitor = local("monitor");
             TestMqttClient operator = local("night-operator")) {
            tryPublish(monitor, ROOT + "/cmd/locker.open", "{\"id\":\"m\",\"locker\":\"locker-01\"}");
            tryPublish(operator, ROOT + "/events", "{\"forged\":true}");
            operator.publish(ROOT + "/cmd/locker.open", "{\"id\":\"o\",\"locker\":\"locker-01\"}");
            // The broker handles publishes in order: the operator's arriving means the monitor's was dropped.
            assertThat(TestMqttClient.text(gateway.awaitMessage(ROOT + "/cmd/locker.open"))).contains("\"o\"");
            assertThat(gateway.messages()).isEmpty();
        }
    }

    @Test
    void a_monitor_reads_the_site_but_not_its_command_traffic() throws Exception {
        try (TestMqttClient monitor = local("monitor").subscribe(ROOT + "/#");
             TestMqttClient gateway = local(GATEWAY);
             TestMqttClient operator = local("operator")) {
            operator.publish(ROOT + "/cmd/card.enroll", "{\"id\":\"1\",\"card\":\"04A1B2C3D4E501\"}");
            gateway.publish(ROOT + "/cmd/card.enroll/reply", "{\"id\":\"1\",\"ok\":true}");
            gateway.publish(ROOT + "/occupancy", "{\"present\":1,\"capacity\":40}");
            assertThat(TestMqttClient.text(monitor.awaitMessage(ROOT + "/occupancy"))).contains("present");
            assertThat(monitor.messages()).isEmpty();
        }
    }

    @Test
    void mosquitto_sub_as_a_monitor_gets_states_but_no_command_traffic_and_no_unlisted_topic() throws Exception {
        // Issue 14.2: monitors read only what docs/security.md lists for them (an allow-list).
        String shown = ROOT + "/rooms/room-" + UUID.randomUUID() + "/state";
        List<String> hidden = List.of(ROOT + "/reply/operator/1", ROOT + "/cmd/card.enroll/reply", ROOT + "/sim/tap",
                ROOT + "/unlisted/" + UUID.randomUUID());
        try (TestMqttClient gateway = local(GATEWAY)) {
            for (String t : hidden) {
                gateway.publish(t, "{\"card\":\"04A1B2C3D4E501\"}".getBytes(StandardCharsets.UTF_8), 1, true);
            }
            gateway.publish(shown, "{\"status\":\"free\"}".getBytes(StandardCharsets.UTF_8), 1, true);
            try {
                // The hidden topics are subscribed first, so their retained messages would come first: -C 1 prints one.
                List<String> args = new ArrayList<>(List.of("-u", "monitor", "-P", password("monitor"), "-v", "-C", "1", "-W", "10"));
                for (String t : hidden) {
                    args.addAll(List.of("-t", t));
                }
                args.addAll(List.of("-t", shown));
                assertThat(mosquittoSub(args)).isEqualTo(shown + " {\"status\":\"free\"}");
            } finally {
                for (String t : hidden) {
                    gateway.publish(t, new byte[0], 1, true);
                }
                gateway.publish(shown, new byte[0], 1, true);
            }
        }
    }

    @Test
    void another_user_with_the_gateways_client_id_does_not_knock_the_gateway_off() throws Exception {
        // Issue 14.3: any user, the monitor included, could connect as kontor-<site> and take the gateway's place.
        MqttSettings settings = MqttSettings.builder("tcp://127.0.0.1:" + localPort, GATEWAY)
                .credentials(GATEWAY, password(GATEWAY).toCharArray())
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        String status = ROOT + "/gateway/status";
        // The reader is another user: a client's id is its user name, so a second monitor connection would replace it.
        try (TestMqttClient reader = local("operator").subscribe(ROOT + "/events");
             PahoMqttPort gateway = new PahoMqttPort(settings)) {
            gateway.onConnectionChange(changes::add);
            gateway.start();
            await().atMost(WAIT).until(gateway::connected);
            assertThat(gateway.publish(status, "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8), 1, true))
                    .succeedsWithin(WAIT);

            assertThat(mosquittoSub(List.of("-i", GATEWAY, "-u", "monitor", "-P", password("monitor"),
                    "-t", status, "-C", "1", "-W", "10"))).isEqualTo("{\"state\":\"online\"}");

            assertThat(gateway.publish(ROOT + "/events", "{\"seq\":3}".getBytes(StandardCharsets.UTF_8), 1, false))
                    .succeedsWithin(WAIT);
            assertThat(TestMqttClient.text(reader.awaitMessage(ROOT + "/events"))).isEqualTo("{\"seq\":3}");
            assertThat(changes).as("the gateway's connection went up once and stayed").containsExactly(true);
        } finally {
            try (TestMqttClient cleaner = local(GATEWAY)) {
                cleaner.publish(status, new byte[0], 1, true);
            }
        }
    }

    /** Runs mosquitto_sub (MQTT 5) against the loopback listener and returns what it printed. */
    private static String mosquittoSub(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", String.valueOf(localPort)));
        command.addAll(args);
        Process sub = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(sub.waitFor(15, TimeUnit.SECONDS)).as("mosquitto_sub finished").isTrue();
            return new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            sub.destroyForcibly();
        }
    }

    @Test
    void a_device_user_uses_only_its_own_topics() throws Exception {
        try (TestMqttClient gateway = local(GATEWAY).subscribe(DEVICE_TOPIC).subscribe(ROOT + "/cmd/+");
             TestMqttClient device = local(DEVICE).subscribe(ROOT + "/#").subscribe(DEVICE_TOPIC + "/availability")) {
            tryPublish(device, ROOT + "/cmd/locker.open", "{\"id\":\"d\",\"locker\":\"locker-01\"}");
            tryPublish(device, "zigbee2mqtt/other-sensor", "{\"occupancy\":true}");
            gateway.publish(ROOT + "/events", "{\"seq\":2}");
            device.publish(DEVICE_TOPIC, "{\"occupancy\":true}");
            assertThat(TestMqttClient.text(gateway.awaitMessage(DEVICE_TOPIC))).contains("occupancy");
            assertThat(gateway.messages()).isEmpty();
            device.publish(DEVICE_TOPIC + "/availability", "online");
            assertThat(TestMqttClient.text(device.awaitMessage(DEVICE_TOPIC + "/availability"))).isEqualTo("online");
            assertThat(device.messages()).as("the site's events are not the device's").isEmpty();
        }
    }

    @Test
    void mqtt_contact_sensors_and_people_counters_reach_the_gateway() throws Exception {
        try (TestMqttClient gateway = local(GATEWAY).subscribe(CONTACT_TOPIC).subscribe(COUNTER_TOPIC);
             TestMqttClient window = local("window-room-1");
             TestMqttClient counter = local("counter-net")) {
            window.publish(CONTACT_TOPIC, "{\"contact\":false}");
            assertThat(TestMqttClient.text(gateway.awaitMessage(CONTACT_TOPIC))).contains("contact");
            counter.publish(COUNTER_TOPIC, "{\"in\":2,\"out\":0}");
            assertThat(TestMqttClient.text(gateway.awaitMessage(COUNTER_TOPIC))).contains("\"in\"");
        }
    }

    @Test
    void a_wrong_password_is_refused() throws Exception {
        Path user = creds.resolve("users/operator");
        SSLSocketFactory tls = tls(user.resolve("ca.pem"), user.resolve("client.pem"), user.resolve("client.key"));
        assertThatThrownBy(() -> connect(tls, "operator", "not-the-password")).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> connect(tls, "operator", password("monitor"))).isInstanceOf(Exception.class);
        connect(tls, "operator", password("operator")).disconnect();
    }

    @Test
    void a_client_certificate_from_another_ca_is_refused() throws Exception {
        SiteCa other = SiteCa.create("intruder", new java.security.SecureRandom());
        SiteCa.Issued client = other.client("operator");
        Path cert = dir.resolve("intruder.pem");
        Path key = dir.resolve("intruder.key");
        Files.writeString(cert, client.certificatePem());
        Files.writeString(key, client.keyPem());
        SSLSocketFactory tls = tls(creds.resolve("users/operator/ca.pem"), cert, key);
        assertThatThrownBy(() -> connect(tls, "operator", password("operator"))).isInstanceOf(Exception.class);
        SSLSocketFactory noCertificate = tls(creds.resolve("users/operator/ca.pem"), null, null);
        assertThatThrownBy(() -> connect(noCertificate, "operator", password("operator"))).isInstanceOf(Exception.class);
    }

    private static MqttClient connect(SSLSocketFactory tls, String user, String password) throws Exception {
        MqttClient c = new MqttClient("ssl://localhost:" + tlsPort, "t-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(tls);
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setConnectionTimeout(10);
        try {
            c.connect(o);
            return c;
        } catch (Exception e) {
            c.close(true);
            throw e;
        }
    }

    static SSLSocketFactory tls(Path ca, Path cert, Path key) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cf.generateCertificate(Files.newInputStream(ca)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").strip();
            var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            Certificate c = cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert)));
            keys.setKeyEntry("client", privateKey, "x".toCharArray(), new Certificate[] {c});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
