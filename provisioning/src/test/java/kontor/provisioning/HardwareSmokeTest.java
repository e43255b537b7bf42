package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kontor.device.DeviceListener;
import kontor.device.Health;
import kontor.device.Printer;
import kontor.device.PrinterStatus;
import kontor.device.gpio.Pi4jDevices;
import kontor.core.SiteDevices;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.time.SystemScheduler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests for a real Pi with the site's hardware attached, run by an installer with the gateway stopped
 * (it holds the GPIO lines):
 * <pre>
 * sudo systemctl stop kontor
 * mvn -o -pl provisioning -am test -Dexcluded.groups=none -Dgroups=hardware -Dtest=HardwareSmokeTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dkontor.site=/etc/kontor/site.yaml
 * </pre>
 * Nothing is actuated: every device is created on the real lines (outputs in their safe state, as at start-up)
 * and must report itself usable. Skipped everywhere else by the {@code hardware} tag.
 */
@Tag("hardware")
class HardwareSmokeTest {
    private static Site site() throws Exception {
        return SiteFiles.load(Path.of(System.getProperty("kontor.site", "/etc/kontor/site.yaml")));
    }

    @Test
    void this_machine_has_a_gpio_chip_that_pi4j_gpiod_can_use() {
        try (var dir = Files.newDirectoryStream(Path.of("/dev"), "gpiochip*")) {
            assertThat(dir.iterator().hasNext()).as("a /dev/gpiochip*").isTrue();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        var context = Pi4jDevices.gpiodContext();
        try {
            assertThat(context.providers().all()).isNotEmpty();
        } finally {
            context.shutdown();
        }
    }

    @Test
    void every_device_of_the_site_file_starts_on_the_real_lines_and_reports_itself_usable() throws Exception {
        Site site = site();
        try (SystemScheduler scheduler = new SystemScheduler("smoke");
             SiteDevices devices = new SiteDevices(site, Pi4jDevices.onThisPi(scheduler, (id, ipp, poll, listener) -> new NoPrinter(id)),
                     DeviceListener.IGNORE)) {
            List<String> failed = new ArrayList<>();
            for (SiteDevices.Tracked t : devices.all()) {
                if (!t.available() && !"printer".equals(t.kind()) && !"presence_sensor".equals(t.kind())) {
                    failed.add(t.id() + " (" + t.kind() + ")");
                }
            }
            assertThat(failed).as("devices that are not usable on this Pi").isEmpty();
            assertThat(devices.all()).hasSize(site.devices().size());
        }
    }

    /** Printers are on the network, not on the Pi's pins: not part of this smoke test. */
    private record NoPrinter(String id) implements Printer {
        @Override
        public void poll() { }

        @Override
        public PrinterStatus status() {
            return null;
        }

        @Override
        public Health health() {
            return new Health(Health.Status.UNKNOWN, "not checked by the hardware smoke test");
        }

        @Override
        public void close() { }
    }
}
