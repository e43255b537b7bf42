package kontor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Mosquitto 2 ({@code /usr/sbin/mosquitto}) on a free loopback port, configured in a temp directory.
 * {@link #stop()} and {@link #start()} keep the port, for outage tests. Without persistence a restart loses
 * every retained message and session, like a broker that crashed.
 *
 * <pre>try (Mosquitto broker = Mosquitto.builder().start()) { … broker.url() … }</pre>
 */
public final class Mosquitto implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final Duration STARTUP = Duration.ofSeconds(15);

    private final Builder options;
    private final Path dir;
    private final int port;
    private Process process;

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
        try {
            this.dir = Files.createTempDirectory("mosquitto-");
            this.port = freePort();
            writeConfig();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Mosquitto", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}, or {@code ssl://localhost:PORT} with TLS (the name a test certificate carries). */
    public String url() {
        return options.tlsCert == null ? "tcp://127.0.0.1:" + port : "ssl://localhost:" + port;
    }

    public Path directory() {
        return dir;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the broker (again, on the same port) and returns once it accepts TCP connections. */
    public synchronized void start() {
        if (running()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + BINARY + " (apt-get install mosquitto)", e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ":\n" + logs());
            }
            if (accepts()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("mosquitto did not listen on port " + port + " within " + STARTUP + ":\n" + logs());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting mosquitto", e);
            }
        }
    }

    /** Ends the broker cleanly (SIGTERM; it saves persistence if configured) and waits for it. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills the broker (SIGKILL: nothing saved, every client's socket cut) and waits for it. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The broker's log so far, for failure messages. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("mosquitto.log", "stdout.log")) {
            Path f = dir.resolve(name);
            try {
                if (Files.exists(f)) {
                    out.append(Files.readString(f, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                out.append("(cannot read ").append(f).append(")\n");
            }
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void writeConfig() throws IOException {
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
        lines.add("persistence " + options.persistence);
        if (options.persistence) {
            lines.add("persistence_location " + dir + "/");
        }
        lines.add("per_listener_settings false");
        lines.add("listener " + port + " 127.0.0.1");
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
