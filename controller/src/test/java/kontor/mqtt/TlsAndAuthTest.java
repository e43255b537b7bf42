package kontor.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLException;
import kontor.tls.PemTls;
import kontor.testing.Mosquitto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS always verifies the broker's certificate and name; client certificates and passwords work. Certificates come from openssl. */
class TlsAndAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=" + ca, "-keyout", ca + ".key", "-out", ca + ".pem");
        }
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        for (String name : List.of("server", "client")) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
            openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-extfile", "san.ext", "-out", name + ".pem");
        }
        openssl("ec", "-in", "client.key", "-out", "client-traditional.key");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static Mosquitto tlsBroker(boolean requireClientCertificate) {
        Mosquitto.Builder b = Mosquitto.builder().tls(dir.resolve("server.pem"), dir.resolve("server.key"));
        if (requireClientCertificate) {
            b.config("cafile " + dir.resolve("ca.pem")).config("require_certificate true");
        }
        return b.start();
    }

    private static MqttSettings.Builder settings(String url) {
        return MqttSettings.builder(url, "gw-" + UUID.randomUUID()).backoff(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void connects_over_tls_to_a_broker_signed_by_the_configured_ca() {
        try (Mosquitto broker = tlsBroker(false);
             PahoMqttPort port = new PahoMqttPort(settings(broker.url()).trust(dir.resolve("ca.pem")).build())) {
            port.start();
            await().atMost(WAIT).until(port::connected);
            assertThat(port.publish("tls/ok", new byte[] {1}, 1, false)).succeedsWithin(WAIT);
        }
    }

    @Test
    void refuses_a_broker_certificate_from_another_ca() {
        try (Mosquitto broker = tlsBroker(false);
             PahoMqttPort port = new PahoMqttPort(settings(broker.url()).trust(dir.resolve("other-ca.pem")).build())) {
            port.start();
            await().atMost(WAIT).until(() -> port.lastConnectFailure() != null);
            assertThat(causedBy(port.lastConnectFailure(), SSLException.class)).as("%s", port.lastConnectFailure()).isTrue();
            assertThat(port.connected()).isFalse();
        }
    }

    @Test
    void refuses_a_broker_whose_certificate_names_another_host() {
        try (Mosquitto broker = tlsBroker(false);
             PahoMqttPort port = new PahoMqttPort(settings("ssl://127.0.0.1:" + broker.port())
                     .trust(dir.resolve("ca.pem")).build())) {
            port.start();
            await().atMost(WAIT).until(() -> port.lastConnectFailure() != null);
            assertThat(causedBy(port.lastConnectFailure(), SSLException.class)).as("%s", port.lastConnectFailure()).isTrue();
            assertThat(rootCause(port.lastConnectFailure()).getMessage()).contains("127.0.0.1");
            assertThat(port.connected()).isFalse();
        }
    }

    @Test
    void presents_a_client_certificate_when_the_broker_requires_one() {
        try (Mosquitto broker = tlsBroker(true);
             PahoMqttPort port = new PahoMqttPort(settings(broker.url()).trust(dir.resolve("ca.pem"))
                     .clientCertificate(dir.resolve("client.pem"), dir.resolve("client.key")).build())) {
            port.start();
            await().atMost(WAIT).until(port::connected);
        }
    }

    @Test
    void a_key_not_in_pkcs8_is_refused_with_the_conversion_to_do() {
        MqttSettings s = settings("ssl://localhost:1").trust(dir.resolve("ca.pem"))
                .clientCertificate(dir.resolve("client.pem"), dir.resolve("client-traditional.key")).build();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.socketFactory(s.caFile(), s.clientCertFile(), s.clientKeyFile()))
                .withMessageContaining("openssl pkcs8 -topk8");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.socketFactory(dir.resolve("missing.pem"), null, null))
                .withMessageContaining("missing.pem");
    }

    @Test
    void authenticates_with_username_and_password() {
        try (Mosquitto broker = Mosquitto.builder().user("gateway", "right-password").start()) {
            try (PahoMqttPort wrong = new PahoMqttPort(settings(broker.url())
                    .credentials("gateway", "wrong".toCharArray()).build())) {
                wrong.start();
                await().atMost(WAIT).until(() -> wrong.lastConnectFailure() != null);
                assertThat(wrong.connected()).isFalse();
            }
            try (PahoMqttPort right = new PahoMqttPort(settings(broker.url())
                    .credentials("gateway", "right-password".toCharArray()).build())) {
                right.start();
                await().atMost(WAIT).until(right::connected);
            }
        }
    }
}
