package kontor.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpioAccessTest {
    @TempDir
    Path root;

    @Test
    void a_machine_without_gpio_chips_that_is_no_pi_is_told_so() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        assertThat(GpioAccess.problem(root)).hasValueSatisfying(p ->
                assertThat(p).contains("no /dev/gpiochip*").contains("not a Raspberry Pi").contains("kontor demo --site"));
    }

    @Test
    void a_pi_without_gpio_chips_is_told_what_is_missing() throws Exception {
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "Raspberry Pi 4 Model B Rev 1.4\0");
        assertThat(GpioAccess.problem(root)).hasValueSatisfying(p ->
                assertThat(p).startsWith("this Raspberry Pi 4 Model B Rev 1.4 has no /dev/gpiochip*"));
    }

    @Test
    void a_chip_this_user_cannot_open_names_the_gpio_group() throws Exception {
        Files.createFile(Files.createDirectories(root.resolve("dev")).resolve("gpiochip0"));
        assertThat(GpioAccess.problem(root, chip -> false)).hasValueSatisfying(p ->
                assertThat(p).contains("cannot open /dev/gpiochip0").contains("gpio group"));
        assertThat(GpioAccess.problem(root, chip -> true)).isEmpty();
    }
}
