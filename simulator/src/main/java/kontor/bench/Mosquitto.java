package kontor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto ({@code /usr/sbin/mosquitto}) on a free loopback port, anonymous, configured in a
 * directory of its own. {@link #stop()} and {@link #start()} keep the port, so that a benchmark can
 * take the broker away and bring it back.
 */
final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final long STARTUP_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Path dir;
    private final int port;
    private Process process;

    /**
     * Starts a broker; {@code extraConfig} lines go into its mosquitto.conf.
     *
     * @throws BenchException when Mosquitto is not installed or does not start
     */
    static Mosquitto start(Path dir, String... extraConfig) {
        if (!Files.isExecutable(BINARY)) {
            throw new BenchException("this figure needs a real Mosquitto at " + BINARY + "; install it (apt-get install mosquitto)");
        }
        Mosquitto m = new Mosquitto(dir, List.of(extraConfig));
        m.start();
        return m;
    }

    private Mosquitto(Path dir, List<String> extraConfig) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.port = freePort();
            List<String> lines = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // As root Mosquitto drops to user 'mosquitto', which cannot use files in our directory.
                lines.add("user root");
            }
            lines.add("log_dest file " + dir.resolve("mosquitto.log"));
            lines.add("log_type error");
            lines.add("log_type warning");
            lines.add("per_listener_settings false");
            lines.add("listener " + port + " 127.0.0.1");
            lines.add("set_tcp_nodelay true");
            lines.add("allow_anonymous true");
            lines.addAll(extraConfig);
            Files.write(dir.resolve("mosquitto.conf"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Mosquitto in " + dir, e);
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    Path directory() {
        return dir;
    }

    /** Starts the broker (again, on the same port) and returns once it accepts connections. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new BenchException("cannot run " + BINARY + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + STARTUP_NANOS;
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new BenchException("mosquitto exited with " + process.exitValue() + ": " + logs());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new BenchException("mosquitto did not listen on port " + port + " within 15 s: " + logs());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while starting mosquitto");
            }
        }
    }

    /** Ends the broker cleanly (it saves its persistence, if configured) and waits for it. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("mosquitto.log", "stdout.log")) {
            try {
                Path f = dir.resolve(name);
                if (Files.exists(f)) {
                    out.append(Files.readString(f, StandardCharsets.UTF_8).strip()).append(' ');
                }
            } catch (IOException e) {
                out.append("(cannot read ").append(name).append(") ");
            }
        }
        return out.toString().strip();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
