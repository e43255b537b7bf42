package kontor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kontor run} says when the installation is incomplete: what is missing, and an exit code systemd can read. */
class RunCommandErrorsTest {
    @TempDir
    Path dir;

    @Test
    void a_missing_site_file_is_named_with_exit_2() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("run", "--config", dir.resolve("missing.yaml").toString());
        assertThat(code).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString().strip()).isEqualTo("kontor run: " + dir.resolve("missing.yaml") + ":1: (file): the site file does not exist");
    }

    @Test
    void a_missing_password_file_says_where_it_should_come_from() throws Exception {
        Path site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("acc1"));
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("run", "--config", site.toString());
        assertThat(code).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("mqtt.password_file " + dir.resolve("secrets/password") + " does not exist")
                .contains("provision install");
    }

    @Test
    void a_machine_without_gpio_gets_exit_3_naming_what_is_missing() throws Exception {
        Path site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("acc1"));
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/password"), "a-real-password-of-some-length");
        Files.writeString(dir.resolve("secrets/coap-psk"), "node-room-1 a-real-key-of-some-length\n");
        Path machine = Files.createDirectories(dir.resolve("machine/dev"));
        RunCommand run = new RunCommand();
        run.config = site;
        run.data = dir.resolve("data");
        run.machineRoot = machine.getParent();
        assertThatThrownBy(run::call).isInstanceOfSatisfying(UserError.class, e -> {
            assertThat(e.exitCode()).isEqualTo(Main.NO_HARDWARE);
            assertThat(e).hasMessageContaining("no /dev/gpiochip*").hasMessageContaining("not a Raspberry Pi");
        });
        assertThat(run.data).doesNotExist();
    }
}
