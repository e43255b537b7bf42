package kontor.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Mosquitto ({@code /usr/sbin/mosquitto}) on a free loopback port, anonymous, configured in a
 * directory of its own. {@link #stop()} and {@link #start()} keep the port, so that a benchmark can
 * take the broker away and bring it back. The tests' {@link kontor.testing.Mosquitto} runs it (through the one
 * helper-process launcher); this only keeps its directory and speaks in {@link BenchException}s.
 */
final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final kontor.testing.Mosquitto broker;

    private Mosquitto(kontor.testing.Mosquitto broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker; {@code extraConfig} lines go into its mosquitto.conf.
     *
     * @throws BenchException when Mosquitto is not installed or does not start
     */
    static Mosquitto start(Path dir, String... extraConfig) {
        if (!Files.isExecutable(BINARY)) {
            throw new BenchException("this figure needs a real Mosquitto at " + BINARY + "; install it (apt-get install mosquitto)");
        }
        kontor.testing.Mosquitto.Builder builder = kontor.testing.Mosquitto.builder().directory(dir);
        for (String line : extraConfig) {
            builder.config(line);
        }
        try {
            return new Mosquitto(builder.start());
        } catch (RuntimeException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    String url() {
        return broker.url();
    }

    Path directory() {
        return broker.directory();
    }

    /** Starts the broker (again, on the same port) and returns once it accepts connections. */
    void start() {
        try {
            broker.start();
        } catch (RuntimeException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    /** Ends the broker cleanly (it saves its persistence, if configured) and waits for it. */
    void stop() {
        broker.stop();
    }

    @Override
    public void close() {
        broker.close();
    }
}
