package kontor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real IPP Everywhere printer for tests: CUPS' {@code ippeveprinter} (Debian {@code cups-ipp-utils}) on a free
 * loopback port. {@link #stop()} and {@link #start()} keep the port, to show a printer vanishing and coming back.
 * Its web forms change what it reports: {@link #toner(int)} (its "Black Toner" supply) and {@link #paperOut(boolean)}.
 *
 * <p>Debian builds it with Avahi, and it will not start without a D-Bus system bus to reach Avahi through (it
 * advertises nothing with {@code -r off}, but still connects). Where the machine has no system bus (a container),
 * a private {@code dbus-daemon} stands in for it. It runs as a {@link HelperProcess}.
 */
public final class IppEvePrinter implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/ippeveprinter");
    private static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");

    private final HelperProcess process = HelperProcess.prepare("ippeveprinter", null, "apt-get install cups-ipp-utils");
    private final Path dir = process.directory();
    private final int port = process.port();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process bus;
    private String busAddress;

    private IppEvePrinter(Path command) {
        try {
            Files.createDirectories(dir.resolve("spool"));
        } catch (IOException e) {
            process.close();
            throw new UncheckedIOException("cannot prepare ippeveprinter", e);
        }
        // -k keeps the documents it printed in its spool, where a test can see them.
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(BINARY.toString(), "-k", "-p",
                String.valueOf(port), "-n", "localhost", "-r", "off", "-d", dir.resolve("spool").toString(), "-f",
                "application/pdf,image/pwg-raster"));
        if (command != null) {
            cmd.addAll(java.util.List.of("-c", command.toString()));
        }
        cmd.add("Kontor Test Printer");
        process.command(cmd.toArray(String[]::new));
    }

    /** A started printer, idle, with its supplies as ippeveprinter starts them (Black Toner 75 %, Waste Tank 25 %). */
    public static IppEvePrinter start() {
        return start(null);
    }

    /**
     * A started printer that runs {@code command} (an executable) on each job's document instead of pretending to
     * print it for 5 to 15 seconds. The command's exit status decides the job ({@code 0}: completed, else aborted),
     * and a line {@code ATTR: job-impressions-completed=N} on its standard error sets what the printer reports as
     * printed: a paper jam half-way, say.
     */
    public static IppEvePrinter start(Path command) {
        IppEvePrinter printer = new IppEvePrinter(command);
        try {
            printer.run();
        } catch (RuntimeException e) {
            printer.close();
            throw e;
        }
        return printer;
    }

    /** The printer's URI, as a site file gives it. */
    public URI uri() {
        return URI.create("ipp://localhost:" + port + "/ipp/print");
    }

    /** Where it keeps every document it printed. */
    public Path spool() {
        return dir.resolve("spool");
    }

    public int port() {
        return port;
    }

    /** Starts it again, on the same port, and returns once it accepts connections. */
    public synchronized void run() {
        if (!Files.exists(SYSTEM_BUS)) {
            process.environment("DBUS_SYSTEM_BUS_ADDRESS", privateBus());
        }
        process.start();
    }

    /** Ends the printer and waits until it is gone: connections are refused from now on. */
    public void stop() {
        process.stop();
    }

    /** Sets the Black Toner level in percent through the printer's supplies form (the waste tank stays at 25 %). */
    public void toner(int percent) {
        form("/supplies?supply0=25&supply1=" + percent);
    }

    /** Empties or fills the main paper tray through the printer's media form. */
    public void paperOut(boolean out) {
        form("/media?size1=na_letter_8.5x11in&type1=stationery&level1=" + (out ? 0 : 250)
                + "&size3=na_number-10_4.125x9.5in&type3=envelope&level3=-2");
    }

    private void form(String pathAndQuery) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("ippeveprinter answered " + r.statusCode() + " to " + pathAndQuery);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach ippeveprinter's web form", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String logs() {
        return process.logs();
    }

    private String privateBus() {
        if (busAddress == null) {
            try {
                bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("dbus.log").toFile()))
                        .start();
                busAddress = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("no D-Bus system bus and no dbus-daemon to stand in (apt-get install dbus-daemon)", e);
            }
            if (busAddress == null || busAddress.isBlank()) {
                throw new IllegalStateException("dbus-daemon printed no address");
            }
        }
        return busAddress.strip();
    }

    @Override
    public synchronized void close() {
        process.kill();
        if (bus != null) {
            bus.destroy();
            try {
                bus.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.shutdownNow();
        process.close();
    }
}
