package kontor.device.gpio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Whether this machine's GPIO can be used, asked before Pi4J is: without it Pi4J's gpiod provider only says
 * "No gpio chip yet initialized!", which tells an installer nothing. The answer names what is missing: the
 * character devices {@code /dev/gpiochip*} (not a Pi, or a kernel without them), or the permission to open
 * them (the {@code gpio} group).
 */
public final class GpioAccess {
    private GpioAccess() { }

    /** What stops this process from using GPIO on the machine whose file system is at {@code root}; empty if nothing. */
    public static Optional<String> problem(Path root) {
        return problem(root, chip -> Files.isReadable(chip) && Files.isWritable(chip));
    }

    /** As {@link #problem(Path)}, with {@code canOpen} deciding whether this process may open a chip (tests run as root). */
    static Optional<String> problem(Path root, Predicate<Path> canOpen) {
        Path dev = root.resolve("dev");
        List<Path> chips;
        try (Stream<Path> files = Files.isDirectory(dev) ? Files.list(dev) : Stream.empty()) {
            chips = files.filter(f -> f.getFileName().toString().startsWith("gpiochip")).sorted().toList();
        } catch (IOException e) {
            chips = List.of();
        }
        if (chips.isEmpty()) {
            String model = model(root);
            if (model == null || !model.contains("Raspberry Pi")) {
                return Optional.of("this machine has no GPIO (no /dev/gpiochip*) and is not a Raspberry Pi"
                        + (model == null ? "" : " (it is a " + model + ")")
                        + "; 'kontor run' drives real locks. To try a site file elsewhere: kontor demo --site FILE");
            }
            return Optional.of("this " + model + " has no /dev/gpiochip*: the kernel's GPIO character devices are missing"
                    + " (Raspberry Pi OS Bookworm has them; an old or custom kernel may not)");
        }
        for (Path chip : chips) {
            if (!canOpen.test(chip)) {
                String user = System.getProperty("user.name");
                return Optional.of("cannot open " + "/dev/" + chip.getFileName()
                        + ": the user " + user + " is not in the gpio group (sudo usermod -aG gpio " + user
                        + ", then log in again; the service gets it from 'kontor provision install')");
            }
        }
        return Optional.empty();
    }

    /** The board's model as the device tree names it ("Raspberry Pi 4 Model B Rev 1.4"), or null. */
    private static String model(Path root) {
        for (String file : List.of("proc/device-tree/model", "sys/firmware/devicetree/base/model")) {
            try {
                return Files.readString(root.resolve(file), StandardCharsets.UTF_8).replace("\0", "").strip();
            } catch (IOException e) {
                // not there: try the next place
            }
        }
        return null;
    }
}
