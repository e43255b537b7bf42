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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real peer a test (or the bench) runs beside the gateway, such as Mosquitto, ippeveprinter, Radicale or
 * chromedriver: one external program on a free loopback port, in a directory of its own.
 *
 * <p>{@link #start()} launches it and returns once it answers (by default: accepts TCP connections on its port);
 * {@link #stop()} and {@link #start()} keep the port, so a test can take the peer away and bring it back.
 * What it writes goes to {@code <name>-stdout.log} in its directory; {@link #logs()} gives every {@code *.log} there, and
 * a start that fails says so with the logs in the exception and leaves the directory in place to be read.
 *
 * <pre>
 * HelperProcess p = HelperProcess.prepare("radicale", null, "apt-get install radicale");
 * p.command("radicale", "--hosts", "127.0.0.1:" + p.port(), …).start();
 * </pre>
 */
public final class HelperProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(15);
    private static final Duration STOPPING = Duration.ofSeconds(10);

    private final String name;
    private final Path dir;
    private final boolean ownsDirectory;
    private final String installHint;
    private final int port;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private BooleanSupplier ready;
    private boolean failed;
    private Process process;

    private HelperProcess(String name, Path dir, boolean ownsDirectory, String installHint) {
        this.name = name;
        this.dir = dir;
        this.ownsDirectory = ownsDirectory;
        this.installHint = installHint;
        this.port = freePort();
        this.ready = this::accepts;
    }

    /**
     * A helper not yet started, with a free loopback port and a directory: {@code directory}, created if need be
     * and left in place, or (null) a temporary one that {@link #close()} removes.
     *
     * @param installHint how to get the program, for the error when it is missing, e.g. {@code apt-get install mosquitto}
     */
    public static HelperProcess prepare(String name, Path directory, String installHint) {
        try {
            if (directory == null) {
                return new HelperProcess(name, Files.createTempDirectory(name + "-"), true, installHint);
            }
            return new HelperProcess(name, Files.createDirectories(directory), false, installHint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for " + name, e);
        }
    }

    /** The program and its arguments. */
    public HelperProcess command(String... command) {
        this.command.clear();
        this.command.addAll(List.of(command));
        return this;
    }

    /** An environment variable for the program. */
    public HelperProcess environment(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /** How to tell it answers, when accepting a TCP connection on {@link #port()} is not enough. */
    public HelperProcess readyWhen(BooleanSupplier ready) {
        this.ready = ready;
        return this;
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return dir;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Starts it (again, on the same port) and returns once it answers.
     *
     * @throws IllegalStateException with its logs, when it cannot run, exits, or does not answer within 15 s
     */
    public synchronized HelperProcess start() {
        if (running()) {
            return this;
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + "-stdout.log").toFile()));
        pb.environment().putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            failed = true;
            throw new IllegalStateException("cannot run " + command.getFirst() + " (" + installHint + "): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                failed = true;
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log (" + dir + "):\n" + logs());
            }
            if (System.nanoTime() > deadline) {
                failed = true;
                kill();
                throw new IllegalStateException(name + " did not answer on port " + port + " within " + STARTUP.toSeconds()
                        + " s; its log (" + dir + "):\n" + logs());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
        return this;
    }

    /** Ends it cleanly (SIGTERM: it may save its state) and waits until it is gone. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills it (SIGKILL: nothing saved, every client's socket cut) and waits until it is gone. */
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
            if (!process.waitFor(STOPPING.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOPPING.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Every {@code *.log} in its directory, for failure messages. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                out.append("--- ").append(f.getFileName()).append('\n')
                        .append(Files.readString(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            out.append("(cannot read the logs in ").append(dir).append(": ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    /** Kills it; removes its temporary directory, unless a start failed (the logs stay to be read). */
    @Override
    public synchronized void close() {
        kill();
        if (!ownsDirectory || failed) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** Whether something accepts TCP connections on {@link #port()} of the loopback interface. */
    public boolean accepts() {
        return accepts(port);
    }

    /** Whether something accepts TCP connections on this port of the loopback interface. */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port nobody listens on now (never a well-known one: tests must not meet a real service). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
