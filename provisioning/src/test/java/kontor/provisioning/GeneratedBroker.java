package kontor.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kontor.testing.HelperProcess;
import kontor.testing.Mosquitto;

/**
 * A real Mosquitto 2 whose whole security set-up is the generated {@code mosquitto/} directory, included as
 * Debian's mosquitto.conf includes conf.d: only logging (and, as root, {@code user root}) is ours. Its listeners
 * are the generated ones, so it is ready when {@code port} (one of them) accepts connections.
 */
final class GeneratedBroker implements AutoCloseable {
    private final HelperProcess process;

    GeneratedBroker(Path mosquittoDir, int port) {
        process = HelperProcess.prepare("mosquitto", null, "apt-get install mosquitto");
        Path conf = process.directory().resolve("mosquitto.conf");
        try {
            List<String> lines = new ArrayList<>(Mosquitto.logging(process.directory()));
            lines.add("persistence false");
            lines.add("include_dir " + mosquittoDir.toAbsolutePath());
            Files.write(conf, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            process.close();
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        process.command("/usr/sbin/mosquitto", "-c", conf.toString()).readyWhen(() -> HelperProcess.accepts(port)).start();
    }

    @Override
    public void close() {
        process.close();
    }
}
