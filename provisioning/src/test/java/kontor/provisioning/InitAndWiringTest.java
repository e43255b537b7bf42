package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import kontor.cli.KontorSubcommand;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitAndWiringTest {
    @TempDir
    Path dir;

    @Test
    void init_writes_a_skeleton_that_validate_accepts_and_never_overwrites() throws Exception {
        Path file = dir.resolve("new.yaml");
        Cli r = Cli.run("provision", "init", "--site-id", "branch-7", "--out", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(file)).contains("id: branch-7").contains("# Kontor site file");
        assertThat(Cli.run("validate", file.toString()).exit()).isZero();

        Files.writeString(file, "mine");
        Cli again = Cli.run("provision", "init", "--site-id", "branch-7", "--out", file.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void init_refuses_a_bad_site_id() {
        Cli r = Cli.run("provision", "init", "--site-id", "Branch 7", "--out", dir.resolve("x.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not a site id");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void the_wiring_table_says_which_pin_drives_which_lock() throws Exception {
        Path site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site"));
        Cli r = Cli.run("provision", "wiring", "--site", site.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| pin | header pin | direction | active | device | function | debounce |")
                .contains("| GPIO22 | 15 | output | high | door-entrance | door strike relay (fail-safe: energised = locked) |  |")
                .contains("| GPIO24 | 18 | input | low | door-entrance | exit button (active = pressed) | 10 ms |")
                .contains("| 0x20 A0 | – | output | high | locker-01 | locker lock (bank bank-a, no. 1) relay (fail-secure: energised = open) |  |")
                .contains("| GPIO5 | 29 | input | low | reader-entrance | Wiegand D0 (green wire) |  |")
                .contains("- MCP23017 on I2C bus 1 at 0x20")
                .contains("- zigbee-room-1: MQTT, topic `zigbee2mqtt/room-1-motion`")
                .contains("- node-room-1: CoAP/DTLS node, PSK identity `node-room-1`");
        assertThat(r.out().indexOf("| GPIO5 ")).isLessThan(r.out().indexOf("| GPIO22 ")).isLessThan(r.out().indexOf("| 0x20 A0"));
    }

    @Test
    void the_wiring_table_lists_every_field_device_without_a_pin() throws Exception {
        // Issue 15: MQTT contact sensors and people counters were left out of "Devices without a pin".
        Path site = dir.resolve("field.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site").replace("  - id: node-room-1\n",
                "  - {id: counter-net, kind: people_counter, mqtt: {topic: zigbee2mqtt/entrance-counter}}\n"
                + "  - id: node-room-1\n"));
        Cli r = Cli.run("provision", "wiring", "--site", site.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("- window-room-1: MQTT, topic `zigbee2mqtt/room-1-window`")
                .contains("- counter-net: MQTT, topic `zigbee2mqtt/entrance-counter`");
    }

    @Test
    void provision_backup_and_restore_join_the_kontor_cli() {
        assertThat(ServiceLoader.load(KontorSubcommand.class).stream().map(ServiceLoader.Provider::type))
                .contains(ProvisionCommand.class, BackupCommand.class, RestoreCommand.class);
    }
}
