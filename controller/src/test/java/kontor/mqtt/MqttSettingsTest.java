package kontor.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MqttSettingsTest {

    @Test
    void defaults_are_filled_in() {
        MqttSettings s = MqttSettings.builder("tcp://127.0.0.1:1883", "gw").build();
        assertThat(s.keepAlive()).isEqualTo(MqttSettings.DEFAULT_KEEP_ALIVE);
        assertThat(s.connectTimeout()).isEqualTo(MqttSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(s.minBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxInflight()).isEqualTo(100);
        assertThat(s.tls()).isFalse();
    }

    @Test
    void refuses_what_cannot_work() {
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("http://host:1883", "gw").build())
                .withMessageContaining("tcp://host:port or ssl://host:port");
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("tcp://h:1", "").build());
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("tcp://h:1", "gw")
                .credentials(null, "pw".toCharArray()).build());
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("ssl://h:1", "gw")
                .clientCertificate(Path.of("cert.pem"), null).build());
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("tcp://h:1", "gw")
                .trust(Path.of("ca.pem")).build()).withMessageContaining("not ssl://");
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("tcp://h:1", "gw")
                .will("a/#", new byte[0], true).build());
        assertThatIllegalArgumentException().isThrownBy(() -> MqttSettings.builder("tcp://h:1", "gw")
                .backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build());
    }

    @Test
    void never_shows_the_password() {
        MqttSettings s = MqttSettings.builder("tcp://h:1", "gw").credentials("kontor", "s3cret".toCharArray()).build();
        assertThat(s.toString()).doesNotContain("s3cret").contains("kontor");
        assertThat(s.password()).containsExactly("s3cret".toCharArray());
    }
}
