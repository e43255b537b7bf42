package kontor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Mosquitto 2 ({@code /usr/sbin/mosquitto}) on a free loopback port, configured in a temp directory
 * (or one the caller names), run as a {@link HelperProcess}. {@link #stop()} and {@link #start()} keep the port, for
 * outage tests. Without persistence a restart loses
 * every retained message and session, like a broker that crashed.
 *
 * <pre>try (Mosquitto broker = Mosquitto.builder().start()) { … broker.url() … }</pre>
 */
public final class Mosquitto implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Builder options;
    private final HelperProcess process;

    public static Builder builder() {
        return new Builder();
    }

    /** A broker with anonymous access, no persistence, started. */
    public static Mosquitto startAnonymous() {
        return builder().start();
    }

    /** What the broker is configured with; {@link #start()} launches it. */
    public static final class Builder {
        private String user;
        private String password;
        private boolean persistence;
        private Path tlsCert;
        private Path tlsKey;
        private Path directory;
        private final List<String> extraConfig = new ArrayList<>();

        /** Refuses anonymous clients and accepts this one user. */
        public Builder user(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** Keeps retained messages and sessions across a clean {@link Mosquitto#stop()}. */
        public Builder persistence(boolean on) {
            this.persistence = on;
            return this;
        }

        /** Makes the listener TLS-only with this PEM certificate chain and key. */
        public Builder tls(Path certFile, Path keyFile) {
            this.tlsCert = certFile;
            this.tlsKey = keyFile;
            return this;
        }

        /** Configures and runs the broker in this directory, and leaves it there (the bench keeps its logs). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** A raw line for mosquitto.conf, added to the listener's settings. */
        public Builder config(String line) {
            extraConfig.add(line);
            return this;
        }

        public Mosquitto start() {
            Mosquitto m = new Mosquitto(this);
            try {
                m.start();
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
            return m;
        }
    }

    private Mosquitto(Builder options) {
        this.options = options;
        this.process = HelperProcess.prepare("mosquitto", options.directory, "apt-get install mosquitto");
        try {
            writeConfig();
        } catch (IOException e) {
            process.close();
            throw new UncheckedIOException("cannot prepare Mosquitto", e);
        }
        process.command(BINARY.toString(), "-c", process.directory().resolve("mosquitto.conf").toString());
    }

    public int port() {
        return process.port();
    }

    /** {@code tcp://127.0.0.1:PORT}, or {@code ssl://localhost:PORT} with TLS (the name a test certificate carries). */
    public String url() {
        return options.tlsCert == null ? "tcp://127.0.0.1:" + port() : "ssl://localhost:" + port();
    }

    public Path directory() {
        return process.directory();
    }

    public boolean running() {
        return process.running();
    }

    /** Starts the broker (again, on the same port) and returns once it accepts TCP connections. */
    public void start() {
        process.start();
    }

    /** Ends the broker cleanly (SIGTERM; it saves persistence if configured) and waits for it. */
    public void stop() {
        process.stop();
    }

    /** Kills the broker (SIGKILL: nothing saved, every client's socket cut) and waits for it. */
    public void kill() {
        process.kill();
    }

    /** The broker's log so far, for failure messages. */
    public String logs() {
        return process.logs();
    }

    @Override
    public void close() {
        process.close();
    }

    private void writeConfig() throws IOException {
        Path dir = process.directory();
        List<String> lines = new ArrayList<>(logging(dir));
        if (options.persistence) {
            // Only when asked for: a line of its own would clash with a caller's raw "persistence" line.
            lines.add("persistence true");
            lines.add("persistence_location " + dir + "/");
        }
        lines.add("per_listener_settings false");
        lines.add("listener " + port() + " 127.0.0.1");
        lines.add("set_tcp_nodelay true");
        if (options.tlsCert != null) {
            lines.add("certfile " + options.tlsCert.toAbsolutePath());
            lines.add("keyfile " + options.tlsKey.toAbsolutePath());
        }
        if (options.user != null) {
            Path passwd = dir.resolve("passwd");
            run("mosquitto_passwd", "-b", "-c", passwd.toString(), options.user, options.password);
            lines.add("allow_anonymous false");
            lines.add("password_file " + passwd);
        } else {
            lines.add("allow_anonymous true");
        }
        lines.addAll(options.extraConfig);
        Files.write(dir.resolve("mosquitto.conf"), lines, StandardCharsets.UTF_8);
    }

    /**
     * The first lines of a test broker's mosquitto.conf: errors, warnings and notices to {@code mosquitto.log} in
     * {@code dir} (where {@link HelperProcess#logs()} finds them), and, as root, {@code user root}.
     */
    public static List<String> logging(Path dir) {
        List<String> lines = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // As root Mosquitto drops to user 'mosquitto', which cannot use files in our temp dir.
            lines.add("user root");
        }
        lines.add("log_dest file " + dir.resolve("mosquitto.log"));
        lines.add("log_type error");
        lines.add("log_type warning");
        lines.add("log_type notice");
        lines.add("log_timestamp_format %H:%M:%S");
        return lines;
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command[0]) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
