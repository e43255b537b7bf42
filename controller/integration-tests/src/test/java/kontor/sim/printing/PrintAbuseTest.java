package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.model.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import kontor.http.HttpFront;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.testing.IppEvePrinter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken client can send the print queue, over raw sockets where the JDK's HTTP client would
 * hide it: a spool that is full, a document larger than the limit (refused while it streams in), a client that
 * stalls mid-upload, PDF bombs and garbage. Each gets its status, nothing is held or charged, no spool file stays,
 * and the gateway goes on opening doors. The spool limit is the smallest a site may set, 16 MB.
 */
class PrintAbuseTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path data;
    @TempDir
    Path docs;
    private IppEvePrinter printer;
    private SiteHarness site;
    private int port;

    @BeforeEach
    void start() {
        printer = IppEvePrinter.start();
        site = SiteHarness.withHttp(PrintSites.demo(printer.uri(), "print_spool_max: 16"), data, PrintSites.TUESDAY_9);
        port = site.gateway().http().urls().getFirst().getPort();
    }

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
        printer.close();
    }

    private Path spool() {
        return data.resolve("print-spool");
    }

    /** A one-page PDF of about {@code size} bytes (a page content stream of random bytes, which nothing compresses). */
    private byte[] bigPdf(long size) throws IOException {
        byte[] noise = new byte[(int) size];
        new Random(1).nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            PDStream content = new PDStream(doc);
            try (OutputStream s = content.createOutputStream()) {
                s.write(noise);
            }
            page.setContents(content);
            doc.addPage(page);
            doc.save(out);
        }
        return out.toByteArray();
    }

    @Test
    void a_full_spool_refuses_a_new_job_with_server_error_busy_and_an_alarm_and_changes_nothing() throws Exception {
        IppPacket first = PrintSites.parse(PrintSites.printJob(port, bigPdf(10 * MB), "application/pdf").body());
        assertThat(first.getStatus()).isEqualTo(Status.successfulOk);
        site.awaitEvent("print.job_held", e -> true);
        assertThat(PrintSites.files(spool())).hasSize(1);
        long mark = site.lastSeq();

        Raw second = Raw.upload(port, PrintSites.printJobHeader(port, "application/pdf"), new java.io.ByteArrayInputStream(bigPdf(10 * MB)),
                10 * MB + 4096);

        assertThat(second.ipp().getStatus()).isEqualTo(Status.serverErrorBusy);
        assertThat(message(second.ipp())).contains("full");
        await().atMost(Duration.ofSeconds(10)).until(() -> site.retained("alarms/print.spool_full:print-queue") != null);
        site.settle();
        assertThat(site.events().stream().filter(e -> e.path("seq").asLong() > mark)
                .map(e -> e.path("type").asText()).filter(t -> !t.startsWith("alarm."))).as("nothing but the alarm").isEmpty();
        assertThat(PrintSites.files(spool())).as("the held job's document only").singleElement()
                .satisfies(f -> assertThat(f.getFileName().toString()).isEqualTo("job-1"));
        assertThat(site.command("print.jobs", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result").path("jobs"))
                .hasSize(1);

        // Once the held job goes (cancelled here), there is room again and the alarm clears.
        site.command("print.cancel", "{\"job\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> site.retained("alarms/print.spool_full:print-queue") == null);
        assertThat(PrintSites.parse(PrintSites.printJob(port, bigPdf(10 * MB), "application/pdf").body()).getStatus())
                .isEqualTo(Status.successfulOk);
    }

    @Test
    void a_document_over_the_limit_is_refused_while_it_streams_in_not_after() throws Exception {
        long declared = 200 * MB;
        // An endless document: a client that would send 200 MB. The answer must come long before.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return '%';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) '%');
                return len;
            }
        };

        Raw answer = Raw.upload(port, PrintSites.printJobHeader(port, "application/pdf"), endless, declared);

        assertThat(answer.http()).isEqualTo(413);
        assertThat(answer.ipp().getStatus()).isEqualTo(Status.clientErrorRequestEntityTooLarge);
        assertThat(answer.sentWhenAnswered()).as("answered after the limit (16 MB), not after all 200 MB")
                .isGreaterThan(16 * MB).isLessThan(40 * MB);
        assertThat(PrintSites.files(spool())).as("the partial upload is deleted").isEmpty();
        assertThat(site.events("print.job_held")).isEmpty();
    }

    @Test
    void a_client_that_stalls_mid_upload_is_dropped_by_the_idle_timeout_leaving_no_job_and_no_file() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(Raw.headers(port, MB));
            out.write(PrintSites.printJobHeader(port, "application/pdf"));
            out.write("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> !PrintSites.files(spool()).isEmpty());

            // Meanwhile the doors open: the print server is not on the site thread.
            assertThat(site.tap("reader-entrance", DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");
            long stalled = System.nanoTime();
            socket.setSoTimeout((int) HttpFront.IDLE_TIMEOUT.plusSeconds(30).toMillis());
            InputStream in = socket.getInputStream();
            byte[] rest = in.readAllBytes();
            Duration after = Duration.ofNanos(System.nanoTime() - stalled);

            assertThat(after).as("cut off by the idle timeout").isBetween(HttpFront.IDLE_TIMEOUT.minusSeconds(2),
                    HttpFront.IDLE_TIMEOUT.plusSeconds(20));
            assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> PrintSites.files(spool()).isEmpty());
        assertThat(site.events("print.job_held")).isEmpty();
    }

    @Test
    void garbage_labelled_as_pdf_and_pdf_bombs_are_refused_with_a_document_status_quickly() throws Exception {
        Random random = new Random(3);
        byte[] garbage = new byte[2 * (int) MB];
        random.nextBytes(garbage);
        byte[] headed = garbage.clone();
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, headed, 0, 9);
        long mark = site.lastSeq();
        for (var c : java.util.List.of(
                new Case("random bytes", garbage, Status.clientErrorDocumentFormatError),
                new Case("random bytes after a PDF header", headed, Status.clientErrorDocumentFormatError),
                new Case("a page tree 100,000 levels deep", kontor.testing.PdfBombs.deepPageTree(100_000), Status.clientErrorDocumentFormatError),
                new Case("a page tree of a million pages", kontor.testing.PdfBombs.wideKids(1_000_000), Status.clientErrorDocumentUnprintableError),
                new Case("a page tree that loops", kontor.testing.PdfBombs.loopingPageTree(), Status.clientErrorDocumentFormatError),
                new Case("an object stream that inflates to 1 GB", kontor.testing.PdfBombs.inflatingObjectStream(1L << 30),
                        Status.clientErrorDocumentFormatError))) {
            long started = System.nanoTime();
            IppPacket answer = PrintSites.parse(PrintSites.printJob(port, c.pdf(), "application/pdf").body());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.getStatus()).as(c.name() + ": " + message(answer)).isEqualTo(c.status());
            assertThat(took).as(c.name()).isLessThan(Duration.ofSeconds(20));
        }
        site.settle();
        assertThat(site.events().stream().filter(e -> e.path("seq").asLong() > mark)
                .map(e -> e.path("type").asText()).filter(t -> t.startsWith("print.") || t.startsWith("payment."))).isEmpty();
        assertThat(PrintSites.files(spool())).isEmpty();
        assertThat(site.tap("reader-entrance", DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");
    }

    private static String message(IppPacket answer) {
        return String.valueOf(answer.getValue(com.hp.jipp.encoding.Tag.operationAttributes, com.hp.jipp.model.Types.statusMessage));
    }

    private record Case(String name, byte[] pdf, Status status) { }

    /** An upload over a raw socket: the answer, and how much of the body had been sent when it began to arrive. */
    private record Raw(int http, IppPacket ipp, long sentWhenAnswered) {
        static byte[] headers(int port, long length) {
            return ("POST /ipp/print HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/ipp\r\n"
                    + "Authorization: " + PrintSites.basic("demo", "1234") + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        /** Sends the headers, the IPP header and {@code document} (up to the declared length) while reading the answer. */
        static Raw upload(int port, byte[] ipp, InputStream document, long declared) throws Exception {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(60_000);
                AtomicLong sent = new AtomicLong();
                AtomicLong atAnswer = new AtomicLong(-1);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write(headers(port, declared));
                        out.write(ipp);
                        long left = declared - ipp.length;
                        byte[] buffer = new byte[64 * 1024];
                        while (left > 0 && atAnswer.get() < 0) {
                            int n = document.read(buffer, 0, (int) Math.min(buffer.length, left));
                            if (n < 0) {
                                break;
                            }
                            out.write(buffer, 0, n);
                            sent.addAndGet(n);
                            left -= n;
                        }
                        out.flush();
                    } catch (IOException e) {
                        // The server stopped reading and closed: expected when it refuses.
                    }
                });
                InputStream in = socket.getInputStream();
                int first = in.read();
                atAnswer.set(sent.get());
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                head.write(first);
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("the answer broke off: " + head);
                    }
                    head.write(b);
                }
                String headText = head.toString(StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(headText.substring(9, 12));
                int length = Integer.parseInt(headText.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
                byte[] body = in.readNBytes(length);
                writer.join(Duration.ofSeconds(30));
                return new Raw(status, PrintSites.parse(body), atAnswer.get());
            }
        }
    }
}
