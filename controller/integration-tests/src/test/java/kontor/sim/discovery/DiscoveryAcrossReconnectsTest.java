package kontor.sim.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;
import kontor.sim.SiteHarness.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.3: a connection that flaps must not cost every discovery config each time (the gateway once re-sent
 * about 850 on each of 8 reconnects in 12 s). The broker keeps the gateway's session across a short break, and
 * with it everything it acknowledged: only what it may lack goes again.
 */
class DiscoveryAcrossReconnectsTest {
    private static final LocalDateTime NINE = LocalDateTime.parse("2026-12-01T09:00:00");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FLAPS = 5;

    @Test
    void a_flapping_connection_does_not_send_all_discovery_again_each_time(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, NINE, Transport.MOSQUITTO)) {
            site.settle();
            long configs = discovery(site);
            assertThat(configs).as("the demo announces many entities").isGreaterThan(50);

            for (int i = 0; i < FLAPS; i++) {
                long online = onlineStatuses(site);
                site.dropBrokerConnection();
                // The gateway status is written again after every reconnect (the broker may have sent the last will).
                await().atMost(WAIT).until(() -> onlineStatuses(site) > online && site.brokerConnected());
            }
            site.settle();

            assertThat(discovery(site) - configs)
                    .as("discovery configs sent again over %d reconnects (one full set is %d)", FLAPS, configs)
                    .isLessThan(configs);
        }
    }

    private static long discovery(SiteHarness site) {
        return site.published().stream().filter(p -> p.topic().startsWith("homeassistant/") && p.topic().endsWith("/config")).count();
    }

    private static long onlineStatuses(SiteHarness site) {
        return site.published().stream()
                .filter(p -> p.topic().equals("kontor/demo/gateway/status"))
                .filter(p -> new String(p.payload(), StandardCharsets.UTF_8).contains("\"online\""))
                .count();
    }
}
