package kontor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import kontor.time.SystemScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd watchdog, against a real NOTIFY_SOCKET (a systemd-free harness) and a real site thread. */
class SiteWatchdogTest {
    private static final Duration BEAT = Duration.ofMillis(50);
    /** As WatchdogSec: ten beats. */
    private static final Duration WATCHDOG_SEC = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void a_stalled_site_thread_stops_the_pings_and_the_watchdog_expires_until_it_turns_again() throws Exception {
        try (NotifySocketHarness systemd = new NotifySocketHarness(dir.resolve("notify").toString());
             SystemdNotify notify = SystemdNotify.of(dir.resolve("notify").toString());
             SystemScheduler site = new SystemScheduler("site");
             SiteWatchdog watchdog = new SiteWatchdog(site, notify::send).start(BEAT)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> systemd.pings() >= 3);
            assertThat(systemd.watchdogExpired(WATCHDOG_SEC)).isFalse();

            CountDownLatch stuck = new CountDownLatch(1);
            site.execute(() -> {
                try {
                    stuck.await(); // a deadlock, a stuck disk write
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> systemd.watchdogExpired(WATCHDOG_SEC));

            stuck.countDown();
            long before = systemd.pings();
            await().atMost(Duration.ofSeconds(10)).until(() -> systemd.pings() > before);
            assertThat(systemd.watchdogExpired(WATCHDOG_SEC)).isFalse();
        }
    }

    @Test
    void notifications_reach_an_abstract_socket_too() throws Exception {
        String name = "@kontor-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifySocketHarness systemd = new NotifySocketHarness(name);
             SystemdNotify notify = SystemdNotify.of(name)) {
            assertThat(notify.send("READY=1")).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> systemd.received().contains("READY=1"));
        }
    }

    @Test
    void the_beat_is_half_of_watchdog_usec_and_only_for_the_process_systemd_watches() {
        assertThat(SiteWatchdog.interval("30000000", null, 42)).isEqualTo(Duration.ofSeconds(15));
        assertThat(SiteWatchdog.interval("30000000", "42", 42)).isEqualTo(Duration.ofSeconds(15));
        assertThat(SiteWatchdog.interval("30000000", "7", 42)).isNull();
        assertThat(SiteWatchdog.interval(null, null, 42)).isNull();
        assertThat(SystemdNotify.of(null)).isNull();
    }
}
