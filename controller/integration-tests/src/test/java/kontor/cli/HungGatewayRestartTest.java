package kontor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.Pin;
import kontor.gateway.Gateway;
import kontor.journal.Event;
import kontor.provisioning.WiringTable;
import kontor.sim.devices.SimulatedPrinter;
import kontor.sim.hardware.SimulatedBoard;
import kontor.site.DoorSpec;
import kontor.site.LockerSpec;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import kontor.time.ClockSync;
import kontor.time.SimulatedTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 3, end to end without systemd: a gateway whose site thread hangs stops its watchdog pings (a real
 * NOTIFY_SOCKET, {@link NotifySocketHarness}); systemd would then kill it, with no shutdown hook to put its outputs
 * safe, and start a new one on the same Pi and data directory. The demo's outputs all sit on MCP23017s, whose
 * registers outlive the process ({@link SimulatedBoard#afterKill()}), so a released lock stays released until the
 * new gateway writes it: the test shows that it does.
 */
class HungGatewayRestartTest {
    private static final Duration BEAT = Duration.ofMillis(50);
    /** As WatchdogSec: ten beats, as in SiteWatchdogTest. */
    private static final Duration WATCHDOG_SEC = Duration.ofMillis(500);
    private static final String LOCKER = "locker-04";

    @TempDir
    Path dir;

    @Test
    void a_hung_gateway_stops_the_watchdog_and_the_gateway_systemd_starts_next_puts_every_output_safe() throws Exception {
        Site site = SiteFiles.demo();
        // Monday 03:00: the site is closed, so a clean start leaves every door and locker locked.
        Instant night = LocalDateTime.of(2026, 3, 2, 3, 0).atZone(site.zone()).toInstant();
        Path data = dir.resolve("data");
        List<Pin> outputs = WiringTable.lines(site).stream().filter(WiringTable.Line::output).map(WiringTable.Line::pin).toList();
        LockWiring lockWiring = site.devices().stream().filter(d -> d.id().equals(LOCKER)).map(d -> ((LockerSpec) d).lock())
                .findFirst().orElseThrow();
        Pin lock = lockWiring.output();
        boolean locked = lockWiring.failSafe(); // the level that locks: energised for fail-safe, not for fail-secure
        CountDownLatch stuck = new CountDownLatch(1);

        SimulatedBoard pi = new SimulatedBoard();
        SimulatedTime hungTime = SimulatedTime.frozen(night);
        InMemoryMqtt hungBroker = new InMemoryMqtt();
        Gateway hung = start(site, data, pi, hungTime, hungBroker);
        SimulatedBoard piAfterKill = null;
        SimulatedTime nextTime = null;
        Gateway next = null;
        try (NotifySocketHarness systemd = new NotifySocketHarness(dir.resolve("notify").toString());
             SystemdNotify notify = SystemdNotify.of(dir.resolve("notify").toString());
             SiteWatchdog watchdog = new SiteWatchdog(hungTime, notify::send).start(BEAT)) {
            hungTime.runAndWait(() -> { }, Duration.ofSeconds(10));
            Map<Pin, Boolean> safe = levels(pi, outputs);
            assertThat(safe).as("a clean start at night locks every lock").containsEntry(lock, locked);
            await().atMost(Duration.ofSeconds(10)).until(() -> systemd.pings() >= 3);

            // A host holds the locker open until its door has been opened and shut: the lock stays released.
            hungBroker.clientPublish(site.topicRoot() + "/" + site.id() + "/cmd/locker.open",
                    "{\"id\":\"c1\",\"locker\":\"" + LOCKER + "\",\"hold\":true,\"by\":\"anna\"}", null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> pi.isActive(lock) != locked);

            hungTime.execute(() -> {
                try {
                    stuck.await(); // a deadlock, a stuck disk write
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long pingsBefore = systemd.pings();
            await().atMost(WATCHDOG_SEC.multipliedBy(4)).until(() -> systemd.watchdogExpired(WATCHDOG_SEC));
            assertThat(systemd.pings()).as("at most the beat already under way").isLessThanOrEqualTo(pingsBefore + 1);
            assertThat(pi.isActive(lock)).as("the hung gateway leaves the locker released").isNotEqualTo(locked);

            // systemd kills it (SIGABRT after the watchdog timeout): no shutdown hook, the chips keep their registers.
            piAfterKill = pi.afterKill();
            assertThat(piAfterKill.isActive(lock)).as("the lock is still released when the next process starts").isNotEqualTo(locked);
            nextTime = SimulatedTime.frozen(night);
            next = start(site, data, piAfterKill, nextTime, new InMemoryMqtt());
            nextTime.runAndWait(() -> { }, Duration.ofSeconds(10));

            assertThat(levels(piAfterKill, outputs)).as("every output as a clean start leaves it").isEqualTo(safe);
            for (var d : site.devices()) {
                LockWiring w = d instanceof LockerSpec l ? l.lock() : d instanceof DoorSpec door ? door.strike() : null;
                if (w != null) {
                    assertThat(piAfterKill.isActive(w.output())).as(d.id() + " locked").isEqualTo(w.failSafe());
                }
            }
            next.journal().awaitWritten();
            List<String> story = next.journal().read(0, 10_000).stream()
                    .filter(e -> e.type().equals("gateway.started") || e.device() != null && e.device().equals(LOCKER))
                    .map(HungGatewayRestartTest::line).toList();
            assertThat(story).containsSubsequence("gateway.started", "locker.unlocked " + LOCKER + " host", "gateway.started");
        } finally {
            stuck.countDown();
            if (next != null) {
                next.close();
            }
            if (nextTime != null) {
                nextTime.close();
            }
            if (piAfterKill != null) {
                piAfterKill.close();
            }
            hung.close();
            hungTime.close();
            pi.close();
        }
    }

    private static Gateway start(Site site, Path data, SimulatedBoard pi, SimulatedTime time, InMemoryMqtt broker) {
        Gateway gateway = Gateway.builder(site)
                .dataDir(data)
                .scheduler(time)
                .devices(pi.devices(time, (id, ipp, poll, listener) -> new SimulatedPrinter(id, listener)))
                .mqtt(will -> broker)
                .clockSync(ClockSync.ALWAYS)
                .version("test")
                .build();
        gateway.start();
        return gateway;
    }

    private static Map<Pin, Boolean> levels(SimulatedBoard pi, List<Pin> outputs) {
        Map<Pin, Boolean> levels = new LinkedHashMap<>();
        outputs.forEach(p -> levels.put(p, pi.isActive(p)));
        return levels;
    }

    private static String line(Event e) {
        return e.device() == null ? e.type() : e.type() + " " + e.device() + " " + e.fields().get("reason");
    }
}
