package kontor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Radicale 3 CalDAV server ({@code /usr/bin/radicale}, Debian's {@code radicale}) on a free loopback
 * port with a temporary store and one htpasswd (plain) user. {@link #stop()} and {@link #start()} keep the
 * port and the store, for outage tests.
 */
public final class Radicale implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/radicale");
    private static final Duration STARTUP = Duration.ofSeconds(20);
    public static final String USER = "kontor";
    public static final String PASSWORD = "radicale-test-secret";

    private final Path dir;
    private final int port;
    private Process process;

    public static Radicale start() {
        Radicale r = new Radicale();
        try {
            r.startAgain();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private Radicale() {
        try {
            dir = Files.createTempDirectory("radicale-");
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Files.writeString(dir.resolve("users"), USER + ":" + PASSWORD + "\n");
            Files.writeString(dir.resolve("config"), """
                    [server]
                    hosts = 127.0.0.1:%d
                    [auth]
                    type = htpasswd
                    htpasswd_filename = %s
                    htpasswd_encryption = plain
                    [rights]
                    type = owner_only
                    [storage]
                    filesystem_folder = %s
                    [web]
                    type = none
                    """.formatted(port, dir.resolve("users"), dir.resolve("collections")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Radicale", e);
        }
    }

    /** The base URL of the user's home, e.g. {@code http://127.0.0.1:PORT/kontor/}. */
    public URI home() {
        return URI.create("http://127.0.0.1:" + port + "/" + USER + "/");
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again, same port and store) and returns once it accepts connections. */
    public synchronized void startAgain() {
        if (running()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY.toString(), "--config", dir.resolve("config").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + BINARY + " (apt-get install radicale)", e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("radicale exited with " + process.exitValue() + ":\n" + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("radicale did not listen on " + port + " within " + STARTUP + ":\n" + logs());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting radicale", e);
            }
        }
    }

    public synchronized void stop() {
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

    public String logs() {
        try {
            Path f = dir.resolve("stdout.log");
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read the log)";
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
