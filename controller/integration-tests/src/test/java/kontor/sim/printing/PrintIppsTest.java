package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kontor.cli.Main;
import kontor.cli.RunCommand;
import kontor.http.HttpFront;
import kontor.sim.demo.SimulatedSite;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;
import kontor.time.SimulatedTime;
import kontor.tls.PemTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The print queue as {@code kontor run} serves it in production: IPPS on the site file's {@code http} listener
 * ({@link RunCommand#listener}), with the site certificate that {@code kontor provision credentials} made. CUPS'
 * {@code ipptool} prints to {@code ipps://…} with its stock test file; a client that trusts only the site CA
 * verifies the certificate and the name; plain IPP on that port gets nowhere.
 */
class PrintIppsTest {
    private static final Path IPPTOOL = Path.of("/usr/bin/ipptool");

    @TempDir
    Path dir;
    private SimulatedSite world;
    private SimulatedTime time;
    private Path ca;
    private int port;

    @BeforeEach
    void start() throws Exception {
        String demo = new String(SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE).readAllBytes(),
                StandardCharsets.UTF_8);
        Path siteFile = Files.writeString(dir.resolve("site.yaml"), demo);
        Path creds = dir.resolve("creds");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(out));
        assertThat(cli.execute("provision", "credentials", "--site", siteFile.toString(), "--out", creds.toString(),
                "--broker-host", "127.0.0.1,localhost")).as(out.toString()).isZero();
        ca = creds.resolve("ca/ca.pem");
        // The installer's http section, as docs/installer.md has it (port 0 here: a free one).
        Site site = SiteFiles.parse(siteFile.toString(), demo + "\nhttp:\n  cert_file: " + creds.resolve("mosquitto/server.pem")
                + "\n  key_file: " + creds.resolve("mosquitto/server.key") + "\n  bind: 127.0.0.1\n");
        HttpFront.Listener production = RunCommand.listener(site.http());
        assertThat(production.tls()).as("the http section is HTTPS").isNotNull();
        time = SimulatedTime.frozen(PrintSites.TUESDAY_9.atZone(site.zone()).toInstant());
        InMemoryMqtt mqtt = new InMemoryMqtt();
        world = SimulatedSite.start(site, dir.resolve("data"), time, time, will -> mqtt, null, true,
                kontor.time.ClockSync.ALWAYS, List.of(new HttpFront.Listener(production.host(), 0, production.tls())), null);
        port = world.gateway().http().urls().getFirst().getPort();
        assertThat(world.gateway().http().urls().getFirst().getScheme()).isEqualTo("https");
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
        if (time != null) {
            time.close();
        }
    }

    private record Run(int exit, String output) { }

    /** ipptool with a fresh home: CUPS keeps the certificates it has seen (trust on first use) under ~/.cups. */
    private Run ipptool(URI uri, String test, Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(IPPTOOL.toString(), "-tv", "-T", "20"));
        if (file != null) {
            cmd.addAll(List.of("-f", file.toString()));
        }
        cmd.addAll(List.of(uri.toString(), "/usr/share/cups/ipptool/" + test));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void ipptool_prints_to_the_queue_over_ipps_and_the_job_is_held() throws Exception {
        assertThat(IPPTOOL).as("ipptool (apt-get install cups-ipp-utils)").exists();
        URI queue = URI.create("ipps://demo:1234@127.0.0.1:" + port + "/ipp/print");

        Run attributes = ipptool(URI.create("ipps://127.0.0.1:" + port + "/ipp/print"), "get-printer-attributes.test", null);
        assertThat(attributes.exit()).as(attributes.output()).isZero();
        assertThat(attributes.output()).contains("ipps://127.0.0.1:" + port + "/ipp/print", "uri-security-supported (keyword) = tls");

        Run print = ipptool(queue, "print-job.test", PrintSites.pdf(dir, 2));
        assertThat(print.exit()).as(print.output()).isZero();
        assertThat(print.output()).contains("job-state (enum) = pending-held");
        org.awaitility.Awaitility.await().until(() -> world.gateway().journal()
                .readBack(Long.MAX_VALUE, 10, "print.job_held", null, null, null).size() == 1);
    }

    @Test
    void a_client_that_trusts_only_the_site_ca_verifies_the_queue_and_plain_ipp_gets_nowhere() throws Exception {
        byte[] request = PrintSites.encode(new IppPacket(0x0200, IppPacket.getPrinterAttributes(
                URI.create("ipps://127.0.0.1:" + port + "/ipp/print")).build().getCode(), 1,
                IppPacket.getPrinterAttributes(URI.create("ipps://127.0.0.1:" + port + "/ipp/print")).build().getAttributeGroups()));
        HttpResponse<byte[]> answer;
        try (HttpClient https = HttpClient.newBuilder().sslContext(PemTls.sslContext(ca, null, null)).build()) {
            answer = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/ipp/print"))
                    .header("Content-Type", "application/ipp").POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        IppPacket printer = PrintSites.parse(answer.body());
        assertThat(printer.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(printer.getValues(Tag.printerAttributes, Types.printerUriSupported))
                .containsExactly(URI.create("ipps://127.0.0.1:" + port + "/ipp/print"));
        assertThat(printer.getValues(Tag.printerAttributes, Types.uriSecuritySupported)).containsExactly("tls");

        try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipp/print"))
                    .timeout(java.time.Duration.ofSeconds(10)).header("Content-Type", "application/ipp")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
        }
    }
}
