package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.testing.HelperProcess;
import kontor.testing.IppEvePrinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real CUPS client: a private {@code cupsd} (Debian {@code cups}: its own configuration, spool and logs in a
 * scratch directory, on a free loopback port) adds Kontor's queue the way a laptop does, with
 * {@code lpadmin -m everywhere} (which fails when an IPP Everywhere attribute is missing), and prints to it with
 * {@code lp}; the job is then held at Kontor, and a tap prints it on the real printer ({@code ippeveprinter}).
 *
 * <p>Credentials: CUPS' {@code ipp} backend answers the queue's HTTP 401 with the user name and password of the
 * device URI ({@code ipp://NAME:PIN@host/…}), non-interactively. (A desktop instead sets
 * {@code auth-info-required=username,password} and asks its user.)
 */
class CupsClientTest {
    private static final Path CUPSD = Path.of("/usr/sbin/cupsd");

    private Path dir;
    private IppEvePrinter printer;
    private SiteHarness site;
    private Process cupsd;
    private int cupsPort;

    @BeforeEach
    void start() throws Exception {
        assertThat(CUPSD).as("cupsd (apt-get install cups)").exists();
        // CUPS runs its filters as User, who must reach the spool: a world-readable scratch tree, not a JUnit @TempDir.
        dir = Files.createTempDirectory("kontor-cups-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        printer = IppEvePrinter.start();
        site = SiteHarness.withHttp(PrintSites.demo(printer.uri()), Files.createDirectories(dir.resolve("data")),
                PrintSites.TUESDAY_9);
        cupsPort = HelperProcess.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        for (String d : List.of("spool", "cache", "state", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path tmp = Files.createDirectories(dir.resolve("spool/tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        boolean root = "root".equals(System.getProperty("user.name"));
        String user = root ? "lp" : System.getProperty("user.name");
        Files.writeString(conf.resolve("cupsd.conf"), """
                Listen 127.0.0.1:%d
                LogLevel debug
                WebInterface No
                Browsing No
                <Location />
                  Order allow,deny
                  Allow from 127.0.0.1
                </Location>
                <Policy default>
                  <Limit All>
                    Order deny,allow
                  </Limit>
                </Policy>
                """.formatted(cupsPort));
        Files.writeString(conf.resolve("cups-files.conf"), """
                ServerRoot %1$s/conf
                RequestRoot %1$s/spool
                TempDir %1$s/spool/tmp
                CacheDir %1$s/cache
                StateDir %1$s/state
                AccessLog %1$s/log/access_log
                ErrorLog %1$s/log/error_log
                PageLog %1$s/log/page_log
                Printcap %1$s/printcap
                ServerBin /usr/lib/cups
                DataDir /usr/share/cups
                User %2$s
                Group %3$s
                SystemGroup %4$s
                Sandboxing Relaxed
                FileDevice No
                """.formatted(dir, user, root ? "lp" : group(), root ? "root" : group()));
        cupsd = new ProcessBuilder(CUPSD.toString(), "-f", "-c", conf.resolve("cupsd.conf").toString(),
                "-s", conf.resolve("cups-files.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/cupsd.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).failFast("cupsd ended: " + log(), () -> !cupsd.isAlive())
                .until(() -> accepts(cupsPort));
    }

    private static String group() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-gn").start();
        String g = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return g;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("log/error_log");
            return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("log/cupsd.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (cupsd != null) {
            cupsd.destroy();
            if (!cupsd.waitFor(10, TimeUnit.SECONDS)) {
                cupsd.destroyForcibly();
            }
        }
        if (site != null) {
            site.close();
        }
        if (printer != null) {
            printer.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private record Run(int exit, String output) { }

    private Run run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CUPS_SERVER", "127.0.0.1:" + cupsPort);
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void cups_adds_the_queue_as_an_ipp_everywhere_printer_and_lp_prints_to_it_held_until_the_tap() throws Exception {
        int port = site.gateway().http().urls().getFirst().getPort();
        String uri = "ipp://demo:1234@127.0.0.1:" + port + "/ipp/print";

        Run add = run("lpadmin", "-p", "kontor", "-E", "-v", uri, "-m", "everywhere");
        assertThat(add.exit()).as(add.output() + log()).isZero();
        // cupsd asks the queue for its attributes and writes the PPD in the background.
        Path ppd = dir.resolve("conf/ppd/kontor.ppd");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ppd) && Files.readString(ppd).contains("*CloseUI: *PageSize"));
        assertThat(Files.readString(ppd)).as("the PPD CUPS made from the queue's attributes").contains("*cupsFilter2: \"application/vnd.cups-pdf application/pdf");

        Run lp = run("lp", "-d", "kontor", "-t", "report", PrintSites.pdf(dir, 2).toString());
        assertThat(lp.exit()).as(lp.output()).isZero();
        assertThat(lp.output()).contains("request id is kontor-");

        JsonNode held;
        try {
            held = await().atMost(Duration.ofSeconds(90)).failFast("cupsd ended", () -> !cupsd.isAlive())
                    .until(() -> site.events("print.job_held"), l -> !l.isEmpty()).getFirst();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no job held at Kontor; CUPS says: " + run("lpstat", "-l", "-o").output() + log(), e);
        }
        assertThat(held.path("pages").asInt()).isEqualTo(2);
        assertThat(site.command("print.jobs", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result").path("jobs"))
                .singleElement().satisfies(j -> assertThat(j.path("status").asText()).isEqualTo("held"));

        assertThat(site.tap(PrintSites.READER, DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");
        JsonNode completed = await().atMost(Duration.ofSeconds(60))
                .until(() -> site.events("print.job_completed"), l -> !l.isEmpty()).getFirst();
        assertThat(completed.path("amount").asLong()).isEqualTo(400);
        assertThat(PrintSites.files(printer.spool())).as("the real printer has the document").isNotEmpty();
    }
}
