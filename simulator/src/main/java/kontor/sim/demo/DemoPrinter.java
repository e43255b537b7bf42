package kontor.sim.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real printer for the demo's held print queue: CUPS' {@code ippeveprinter} (Debian {@code cups-ipp-utils}),
 * when it is installed, on a free loopback port with its spool under the demo's data directory. Without it, or
 * when it does not come up, the demo's printer-1 stays simulated.
 *
 * <p>Debian's build connects to Avahi over the D-Bus system bus even with {@code -r off}; where there is no system
 * bus (a container), a private {@code dbus-daemon} stands in.
 */
final class DemoPrinter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoPrinter.class);
    private static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process printer;
    private final Process bus;
    private final int port;
    private final Path spool;

    private DemoPrinter(Process printer, Process bus, int port, Path spool) {
        this.printer = printer;
        this.bus = bus;
        this.port = port;
        this.spool = spool;
    }

    /** Starts ippeveprinter if it is on the PATH (or in /usr/sbin); empty when it is not, or does not come up. */
    static Optional<DemoPrinter> start(Path dataDir) {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Process bus = null;
        Process printer = null;
        try {
            Path dir = dataDir.resolve("ippeveprinter");
            Path spool = dir.resolve("spool");
            Files.createDirectories(spool);
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(binary.get().toString(), "-k", "-p", String.valueOf(port), "-n",
                    "localhost", "-r", "off", "-d", spool.toString(), "-f", "application/pdf,image/jpeg",
                    "Kontor demo printer-1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()));
            if (!Files.exists(SYSTEM_BUS)) {
                bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (address == null || address.isBlank()) {
                    throw new IOException("dbus-daemon printed no address");
                }
                pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", address.strip());
            }
            printer = pb.start();
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (!answers(port)) {
                if (!printer.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("ippeveprinter did not start (see " + dir.resolve("log") + ")");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            return Optional.of(new DemoPrinter(printer, bus, port, spool));
        } catch (IOException e) {
            log.warn("printer-1 stays simulated: {}", e.getMessage());
            if (printer != null) {
                printer.destroyForcibly();
            }
            if (bus != null) {
                bus.destroyForcibly();
            }
            return Optional.empty();
        }
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "ippeveprinter");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    URI uri() {
        return URI.create("ipp://localhost:" + port + "/ipp/print");
    }

    /** Where it keeps the documents it printed. */
    Path spool() {
        return spool;
    }

    @Override
    public void close() {
        printer.destroy();
        try {
            if (!printer.waitFor(5, TimeUnit.SECONDS)) {
                printer.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            printer.destroyForcibly();
        }
        if (bus != null) {
            bus.destroy();
        }
    }
}
