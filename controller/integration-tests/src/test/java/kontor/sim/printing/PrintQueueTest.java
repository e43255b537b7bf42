package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.site.SiteFiles;
import kontor.testing.IppEvePrinter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The held print queue end to end with real third-party IPP software on both sides: CUPS' {@code ipptool} (Debian
 * {@code cups-ipp-utils}) prints to Kontor's queue with the stock test files it ships, and {@code ippeveprinter}
 * is printer-1, the real printer a tap at {@code reader-printer-1} releases the jobs to. Prices are the demo's:
 * 200 öre a mono page; the demo visitor has 10,000 öre, print name {@code demo} and PIN {@code 1234}.
 */
class PrintQueueTest {
    private static final Path IPPTOOL = Path.of("/usr/bin/ipptool");
    private static final Path STOCK_TESTS = Path.of("/usr/share/cups/ipptool");
    private static final String READER = "reader-printer-1";

    @TempDir
    Path data;
    @TempDir
    Path docs;
    private IppEvePrinter printer;
    private SiteHarness site;
    private Path pdf;

    @BeforeEach
    void start() throws Exception {
        assertThat(IPPTOOL).as("ipptool (apt-get install cups-ipp-utils)").exists();
        printer = IppEvePrinter.start();
        String demo = new String(SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE).readAllBytes(),
                StandardCharsets.UTF_8);
        String yaml = demo.replace("- {id: printer-1, kind: printer,", "- {id: printer-1, kind: printer, ipp: " + printer.uri() + ",")
                .replace("# No policy section: the demo runs with every default rule (see site-skeleton.yaml for the list).",
                        "policy:\n  print_hold: 30m");
        assertThat(yaml).as("the demo site still reads as this test expects").doesNotContain("# No policy section")
                .contains("ipp: " + printer.uri());
        site = SiteHarness.withHttp(SiteFiles.parse("demo-print.yaml", yaml), data, LocalDateTime.parse("2026-12-01T09:00:00"));
        pdf = pdf(3);
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
        printer.close();
    }

    private Path pdf(int pages) throws IOException {
        Path file = docs.resolve("doc-" + pages + ".pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                doc.addPage(new PDPage());
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private URI queue() {
        URI http = site.gateway().http().urls().getFirst();
        return URI.create("ipp://127.0.0.1:" + http.getPort() + "/ipp/print");
    }

    private URI queue(String user, String pin) {
        return URI.create("ipp://" + user + ":" + pin + "@127.0.0.1:" + queue().getPort() + "/ipp/print");
    }

    /** Runs ipptool with one of its stock test files; returns its exit code and output. */
    private record Run(int exit, String output) { }

    private Run ipptool(URI uri, String test, Path file) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(IPPTOOL.toString(), "-tv", "-T", "20"));
        if (file != null) {
            cmd.addAll(List.of("-f", file.toString()));
        }
        cmd.addAll(List.of(uri.toString(), STOCK_TESTS.resolve(test).toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ipptool ends").isTrue();
        return new Run(p.exitValue(), out);
    }

    private long balance(String card) {
        return site.command("member.show", "{\"card\":\"" + card + "\"}").path("result").path("balance").asLong();
    }

    private JsonNode jobs(String card) {
        return site.command("print.jobs", "{\"card\":\"" + card + "\"}").path("result").path("jobs");
    }

    private Path spool() {
        return data.resolve("print-spool");
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool())) {
            return files.toList();
        }
    }

    @Test
    void ipptools_stock_get_printer_attributes_test_passes_against_the_queue() throws Exception {
        Run run = ipptool(queue(), "get-printer-attributes.test", null);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("printer-uri-supported", "document-format-supported", "application/pdf",
                "media-col-database", "ipp-everywhere");
    }

    @Test
    void a_job_is_held_until_the_card_is_tapped_then_printed_by_the_real_printer_and_charged_per_page() throws Exception {
        long before = balance(DemoCards.VISITOR);

        Run run = ipptool(queue("demo", "1234"), "print-job.test", pdf);

        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode held = site.awaitEvent("print.job_held", e -> true);
        assertThat(held.path("pages").asInt()).isEqualTo(3);
        assertThat(held.toString()).as("no document name leaves the gateway").doesNotContain("doc-3");
        assertThat(balance(DemoCards.VISITOR)).as("nothing charged while held").isEqualTo(before);
        assertThat(site.retained("devices/printer-1/state").path("held").asInt()).isEqualTo(1);
        assertThat(jobs(DemoCards.VISITOR)).hasSize(1);
        assertThat(jobs(DemoCards.VISITOR).get(0).path("status").asText()).isEqualTo("held");
        Path spooled = spoolFiles().getFirst();
        assertThat(Files.getPosixFilePermissions(spooled))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (Stream<Path> printed = Files.list(printer.spool())) {
            assertThat(printed.toList()).as("nothing printed yet").isEmpty();
        }

        JsonNode tap = site.tap(READER, DemoCards.VISITOR);

        assertThat(tap.path("type").asText()).isEqualTo("card.granted");
        JsonNode released = site.awaitEvent("print.job_released", e -> true);
        assertThat(released.path("amount").asLong()).isEqualTo(600);
        JsonNode completed = await().atMost(Duration.ofSeconds(30)).until(
                () -> site.events("print.job_completed"), l -> !l.isEmpty()).getFirst();
        assertThat(completed.path("pages").asInt()).isEqualTo(3);
        assertThat(completed.path("amount").asLong()).isEqualTo(600);
        assertThat(balance(DemoCards.VISITOR)).isEqualTo(before - 600);
        try (Stream<Path> printed = Files.list(printer.spool())) {
            assertThat(printed.toList()).as("the real printer has the document").isNotEmpty();
        }
        assertThat(spoolFiles()).as("the spool file goes once the printer has it").isEmpty();
        assertThat(site.retained("devices/printer-1/state").path("held").asInt()).isZero();

        JsonNode again = site.tap(READER, DemoCards.VISITOR);
        assertThat(again.path("reason").asText()).as("released once only").isEqualTo("no_print_jobs");
        assertThat(balance(DemoCards.VISITOR)).isEqualTo(before - 600);
    }

    @Test
    void a_job_the_balance_cannot_pay_stays_held_and_the_reader_refuses_with_insufficient_funds() throws Exception {
        // Not remembered by request id, so that no stored reply holds a PIN: the same request again sets another.
        String twice = "{\"id\":\"pin-1\",\"card\":\"" + DemoCards.ACCESSIBLE_VISITOR + "\",\"name\":\"poor\"}";
        assertThat(site.commandRaw("member.print_pin", twice).path("result").path("pin").asText())
                .isNotEqualTo(site.commandRaw("member.print_pin", twice).path("result").path("pin").asText());
        // The accessible demo visitor has no money; a host gives them a print log-in, its PIN shown once.
        JsonNode reply = site.command("member.print_pin", "{\"card\":\"" + DemoCards.ACCESSIBLE_VISITOR + "\",\"name\":\"poor\"}");
        String pin = reply.path("result").path("pin").asText();
        assertThat(pin).matches("\\d{6}");
        assertThat(site.events("member.print_pin_set").toString()).doesNotContain(pin);

        Run run = ipptool(queue("poor", pin), "print-job.test", pdf);
        assertThat(run.exit()).as(run.output()).isZero();
        site.awaitEvent("print.job_held", e -> true);

        JsonNode tap = site.tap(READER, DemoCards.ACCESSIBLE_VISITOR);

        assertThat(tap.path("type").asText()).isEqualTo("card.denied");
        assertThat(tap.path("reason").asText()).isEqualTo("insufficient_funds");
        assertThat(jobs(DemoCards.ACCESSIBLE_VISITOR).get(0).path("status").asText()).isEqualTo("held");
        assertThat(site.events("print.job_released")).isEmpty();
        // The host's view of the whole queue: each job with its member, never a document name.
        JsonNode queue = site.command("print.jobs", "").path("result");
        assertThat(queue.path("more").asBoolean()).isFalse();
        assertThat(queue.path("jobs")).singleElement().satisfies(j -> {
            assertThat(j.path("member").asText()).isEqualTo(site.command("print.jobs",
                    "{\"card\":\"" + DemoCards.ACCESSIBLE_VISITOR + "\"}").path("result").path("member").asText());
            assertThat(j.path("status").asText()).isEqualTo("held");
            assertThat(j.toString()).doesNotContain("doc-3");
        });
        assertThat(balance(DemoCards.ACCESSIBLE_VISITOR)).isZero();

        // Topped up, the same job goes at the next tap.
        site.command("member.credit", "{\"card\":\"" + DemoCards.ACCESSIBLE_VISITOR + "\",\"amount\":600}");
        assertThat(site.tap(READER, DemoCards.ACCESSIBLE_VISITOR).path("type").asText()).isEqualTo("card.granted");
        await().atMost(Duration.ofSeconds(30)).until(() -> site.events("print.job_completed"), l -> !l.isEmpty());
        assertThat(balance(DemoCards.ACCESSIBLE_VISITOR)).isZero();
    }

    @Test
    void a_wrong_pin_is_not_authorized_and_holds_nothing() throws Exception {
        Run run = ipptool(queue("demo", "9999"), "print-job.test", pdf);

        assertThat(run.exit()).as(run.output()).isNotZero();
        HttpResponse<byte[]> answer = post(printJob("demo", "9999", Files.readAllBytes(pdf), "application/pdf"));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(IppPacket.parse(new ByteArrayInputStream(answer.body())).getStatus()).isEqualTo(Status.clientErrorNotAuthorized);
        assertThat(site.events("print.job_held")).isEmpty();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void wrong_pins_lock_the_print_name_out_with_an_alarm() throws Exception {
        int limit = site.site().policy().deniedTapsBeforeLockout();
        for (int i = 0; i < limit; i++) {
            assertThat(post(printJob("demo", "0000", Files.readAllBytes(pdf), "application/pdf")).statusCode()).isEqualTo(401);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> site.retained("alarms/print.locked_out:print-queue") != null);
        assertThat(post(printJob("demo", "1234", Files.readAllBytes(pdf), "application/pdf")).statusCode())
                .as("even the right PIN waits out the lock-out").isEqualTo(401);

        site.advance(site.site().policy().lockout().plusSeconds(2));
        assertThat(post(printJob("demo", "1234", Files.readAllBytes(pdf), "application/pdf")).statusCode()).isEqualTo(200);
        assertThat(site.retained("alarms/print.locked_out:print-queue")).isNull();
    }

    @Test
    void an_unreleased_job_expires_after_the_print_hold_deleted_and_not_charged() throws Exception {
        long before = balance(DemoCards.VISITOR);
        assertThat(ipptool(queue("demo", "1234"), "print-job.test", pdf).exit()).isZero();
        site.awaitEvent("print.job_held", e -> true);
        assertThat(spoolFiles()).hasSize(1);

        site.advance(Duration.ofMinutes(31));

        JsonNode expired = site.awaitEvent("print.job_expired", e -> true);
        assertThat(expired.path("reason").asText()).isEqualTo("hold");
        assertThat(spoolFiles()).isEmpty();
        assertThat(jobs(DemoCards.VISITOR)).isEmpty();
        assertThat(balance(DemoCards.VISITOR)).isEqualTo(before);
        assertThat(site.tap(READER, DemoCards.VISITOR).path("reason").asText()).isEqualTo("no_print_jobs");
    }

    @Test
    void malformed_and_unprintable_requests_get_their_ipp_status_and_change_nothing() throws Exception {
        long mark = site.lastSeq();

        // Cut off inside its first attribute: not IPP at all.
        HttpResponse<byte[]> truncated = post(HttpRequest.newBuilder(httpQueue()).header("Content-Type", "application/ipp")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {2, 0, 0, 2, 0, 0, 0, 1, 1, 0x47, 0})).build());
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(parse(truncated).getStatus()).isEqualTo(Status.clientErrorBadRequest);
        // Framed like IPP, but without the attributes every request must have.
        HttpResponse<byte[]> bare = post(HttpRequest.newBuilder(httpQueue()).header("Content-Type", "application/ipp")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {2, 0, 0, 2, 0, 0, 0, 1, 1, 3})).build());
        assertThat(parse(bare).getStatus()).isEqualTo(Status.clientErrorBadRequest);

        HttpResponse<byte[]> text = post(printJob("demo", "1234", "hello".getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertThat(IppPacket.parse(new ByteArrayInputStream(text.body())).getStatus())
                .isEqualTo(Status.clientErrorDocumentFormatNotSupported);

        HttpResponse<byte[]> notPdf = post(printJob("demo", "1234", "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8),
                "application/pdf"));
        assertThat(IppPacket.parse(new ByteArrayInputStream(notPdf.body())).getStatus())
                .isEqualTo(Status.clientErrorDocumentFormatError);

        HttpResponse<byte[]> empty = post(printJob("demo", "1234", Files.readAllBytes(pdf(0)), "application/pdf"));
        assertThat(IppPacket.parse(new ByteArrayInputStream(empty.body())).getStatus())
                .isEqualTo(Status.clientErrorDocumentFormatError);

        site.settle();
        assertThat(site.events().stream().filter(e -> e.path("seq").asLong() > mark)
                .map(e -> e.path("type").asText()).filter(t -> t.startsWith("print.") || t.startsWith("payment."))).isEmpty();
        assertThat(spoolFiles()).isEmpty();
        assertThat(site.command("gateway.info", "").path("result").path("site").asText()).as("the gateway still answers").isEqualTo("demo");
    }

    @Test
    void a_job_the_printer_does_not_take_is_refunded_in_full_and_not_sent_again() throws Exception {
        long before = balance(DemoCards.VISITOR);
        assertThat(ipptool(queue("demo", "1234"), "print-job.test", pdf).exit()).isZero();
        site.awaitEvent("print.job_held", e -> true);
        printer.stop();

        assertThat(site.tap(READER, DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");

        JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(
                () -> site.events("print.job_failed"), l -> !l.isEmpty()).getFirst();
        assertThat(failed.path("reason").asText()).isEqualTo("printer_refused");
        assertThat(failed.path("pages").asInt()).isZero();
        assertThat(failed.path("refund").asLong()).isEqualTo(600);
        assertThat(balance(DemoCards.VISITOR)).as("charged at release, refunded in full").isEqualTo(before);
        assertThat(site.events("payment.credited").stream().filter(e -> e.path("reason").asText().equals("print_refund")))
                .hasSize(1);
        assertThat(spoolFiles()).isEmpty();
        assertThat(site.events("print.job_completed")).isEmpty();
    }

    @Test
    void held_jobs_survive_a_restart_and_print_after_it() throws Exception {
        assertThat(ipptool(queue("demo", "1234"), "print-job.test", pdf).exit()).isZero();
        site.awaitEvent("print.job_held", e -> true);
        var parsed = site.site();
        site.close();

        site = SiteHarness.withHttp(parsed, data, LocalDateTime.parse("2026-12-01T09:10:00"));

        assertThat(jobs(DemoCards.VISITOR).get(0).path("status").asText()).isEqualTo("held");
        assertThat(site.retained("devices/printer-1/state").path("held").asInt()).isEqualTo(1);
        assertThat(site.tap(READER, DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");
        JsonNode completed = await().atMost(Duration.ofSeconds(30)).until(
                () -> site.events("print.job_completed"), l -> !l.isEmpty()).getFirst();
        assertThat(completed.path("amount").asLong()).isEqualTo(600);
    }

    @Test
    void a_member_sees_and_cancels_only_their_own_jobs() throws Exception {
        assertThat(ipptool(queue("demo", "1234"), "print-job.test", pdf).exit()).isZero();
        JsonNode held = site.awaitEvent("print.job_held", e -> true);
        int job = held.path("job").asInt();
        String pin = site.command("member.print_pin", "{\"card\":\"" + DemoCards.ACCESSIBLE_VISITOR + "\",\"name\":\"other\"}")
                .path("result").path("pin").asText();

        IppPacket othersView = parse(post(ipp("other", pin, IppPacket.getJobs(queue()).build(), null)));
        assertThat(othersView.getAttributeGroups().stream().filter(g -> g.getTag().equals(com.hp.jipp.encoding.Tag.jobAttributes)))
                .isEmpty();
        IppPacket othersCancel = parse(post(ipp("other", pin, IppPacket.cancelJob(queue(), job).build(), null)));
        assertThat(othersCancel.getStatus()).isEqualTo(Status.clientErrorNotFound);

        IppPacket own = parse(post(ipp("demo", "1234", IppPacket.getJobAttributes(queue(), job).build(), null)));
        assertThat(own.getValue(com.hp.jipp.encoding.Tag.jobAttributes, Types.jobState))
                .isEqualTo(com.hp.jipp.model.JobState.pendingHeld);
        IppPacket cancel = parse(post(ipp("demo", "1234", IppPacket.cancelJob(queue(), job).build(), null)));
        assertThat(cancel.getStatus()).isEqualTo(Status.successfulOk);
        site.awaitEvent("print.job_cancelled", e -> e.path("job").asInt() == job);
        assertThat(spoolFiles()).isEmpty();
    }

    // ---- raw IPP over HTTP, for what ipptool's stock files do not send

    private URI httpQueue() {
        return URI.create("http://127.0.0.1:" + queue().getPort() + "/ipp/print");
    }

    private HttpRequest printJob(String user, String pin, byte[] document, String format) {
        return ipp(user, pin, IppPacket.printJob(queue()).putOperationAttributes(Types.requestingUserName.of(user),
                Types.documentFormat.of(format)).build(), document);
    }

    private HttpRequest ipp(String user, String pin, IppPacket packet, byte[] document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            IppPacket numbered = new IppPacket(packet.getVersionNumber(), packet.getCode(), 7, packet.getAttributeGroups());
            numbered.write(out);
            if (document != null) {
                out.write(document);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return HttpRequest.newBuilder(httpQueue()).header("Content-Type", "application/ipp")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + pin).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
    }

    private static HttpResponse<byte[]> post(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static IppPacket parse(HttpResponse<byte[]> answer) throws IOException {
        return IppPacket.parse(new ByteArrayInputStream(answer.body()));
    }
}
