package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kontor.cli.UserError;
import kontor.site.SiteFiles;
import kontor.testing.Mosquitto;
import kontor.testing.TestMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kontor demo --mqtt} against a broker that needs a password, and what the demo says and enrols. */
class DemoBrokerCredentialsTest {
    private static final String SECRET = "s3cret-Broker-Password";

    @TempDir
    Path dir;

    private DemoCommand external(String url) {
        DemoCommand cmd = new DemoCommand();
        cmd.data = dir.resolve("data");
        cmd.mqtt = URI.create(url);
        cmd.coapPort = DemoFixture.freePort();
        cmd.env = name -> null;
        return cmd;
    }

    @Test
    void a_password_in_the_broker_uri_is_refused_without_repeating_it() {
        DemoCommand cmd = external("tcp://kontor-gw:" + SECRET + "@127.0.0.1:1883");
        assertThatThrownBy(cmd::start).isInstanceOf(UserError.class)
                .hasMessageContaining("--mqtt-user").hasMessageContaining("--mqtt-password-file")
                .hasMessageContaining(DemoCommand.PASSWORD_ENV)
                .hasMessageNotContaining(SECRET);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void tls_files_need_an_ssl_broker_and_a_client_certificate_its_key() {
        DemoCommand plain = external("tcp://127.0.0.1:1883");
        plain.mqttCa = dir.resolve("ca.pem");
        assertThatThrownBy(plain::start).isInstanceOf(UserError.class).hasMessageContaining("are for an ssl:// broker");
        DemoCommand half = external("ssl://localhost:8883");
        half.mqttClientCert = dir.resolve("client.pem");
        assertThatThrownBy(half::start).isInstanceOf(UserError.class).hasMessageContaining("go together");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void the_password_comes_from_a_file_and_never_shows_in_the_banner() throws Exception {
        try (Mosquitto broker = Mosquitto.builder().user("kontor-gw", SECRET).start()) {
            Path file = dir.resolve("password");
            Files.writeString(file, SECRET + "\n");
            DemoCommand cmd = external(broker.url());
            cmd.mqttUser = "kontor-gw";
            cmd.mqttPasswordFile = file;
            try (DemoCommand.Demo demo = cmd.start();
                 TestMqttClient watcher = TestMqttClient.connect(broker.url(), "kontor-gw", SECRET)) {
                watcher.subscribe("kontor/demo/gateway/status");
                assertThat(TestMqttClient.text(watcher.awaitMessage("kontor/demo/gateway/status"))).contains("\"online\"");
                String banner = demo.banner();
                assertThat(banner).doesNotContain(SECRET).doesNotContain("demo-operator").doesNotContain("-P demo-monitor") // the console's demo logins are printed; the broker's are not
                        .contains("-p " + broker.port())
                        .contains("-e kontor/demo/reply/operator/1");
            }
        }
    }

    @Test
    void the_password_may_come_from_the_environment() {
        try (Mosquitto broker = Mosquitto.builder().user("kontor-gw", SECRET).start()) {
            DemoCommand cmd = external(broker.url());
            cmd.mqttUser = "kontor-gw";
            cmd.env = Map.of(DemoCommand.PASSWORD_ENV, SECRET)::get;
            try (DemoCommand.Demo demo = cmd.start();
                 TestMqttClient watcher = TestMqttClient.connect(broker.url(), "kontor-gw", SECRET)) {
                watcher.subscribe("kontor/demo/gateway/status");
                assertThat(TestMqttClient.text(watcher.awaitMessage("kontor/demo/gateway/status"))).contains("\"online\"");
            }
        }
    }

    @Test
    void a_taken_port_says_how_to_go_on() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DemoCommand cmd = new DemoCommand();
            cmd.data = dir.resolve("data");
            cmd.mqttPort = taken.getLocalPort();
            cmd.coapPort = DemoFixture.freePort();
            assertThatThrownBy(cmd::start).isInstanceOf(UserError.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is taken")
                    .hasMessageContaining("--mqtt-port N")
                    .hasMessageContaining("--mqtt tcp://127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void the_embedded_brokers_try_lines_name_its_port_and_reply_below_the_site() {
        try (DemoCommand.Demo demo = DemoFixture.embedded(dir.resolve("data"), null)) {
            int port = demo.brokerUri().getPort();
            assertThat(demo.banner()).contains("mosquitto_sub -p " + port + " -u monitor -P demo-monitor")
                    .contains("mosquitto_rr -p " + port + " -u operator")
                    .contains("-e kontor/demo/reply/operator/1")
                    .doesNotContain("-e reply/");
        }
    }

    @Test
    void the_demo_cards_are_enrolled_on_the_demo_site_only() throws Exception {
        Path siteFile = dir.resolve("site.yaml");
        try (var in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            Files.write(siteFile, in.readAllBytes());
        }
        DemoCommand cmd = new DemoCommand();
        cmd.data = dir.resolve("site-data");
        cmd.siteFile = siteFile;
        cmd.mqttPort = DemoFixture.freePort();
        cmd.coapPort = DemoFixture.freePort();
        try (DemoCommand.Demo demo = cmd.start()) {
            assertThat(demo.gateway().members().byCard(DemoCards.HOST)).isEmpty();
            assertThat(demo.gateway().members().byCard(DemoCards.VISITOR)).isEmpty();
        }
        try (DemoCommand.Demo demo = DemoFixture.embedded(dir.resolve("demo-data"), null)) {
            assertThat(demo.gateway().members().byCard(DemoCards.HOST)).isPresent();
        }
    }
}
