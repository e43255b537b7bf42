package kontor.sim.printing;

import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

/**
 * What the print queue's tests share: the demo site with printer-1 at a given IPP printer and a policy of the
 * test's own, and a raw IPP client (jipp over the JDK's HTTP client) for what ipptool's stock files do not send.
 * The demo visitor has print name {@code demo}, PIN {@code 1234} and 10,000 öre; a mono page costs 200.
 */
final class PrintSites {
    static final String READER = "reader-printer-1";
    static final LocalDateTime TUESDAY_9 = LocalDateTime.parse("2026-12-01T09:00:00");

    private PrintSites() { }

    /** The demo site with printer-1 at {@code printer} and {@code policy} (YAML lines under {@code policy:}). */
    static Site demo(URI printer, String... policy) {
        String demo;
        try {
            demo = new String(SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String marker = "# No policy section: the demo runs with every default rule (see site-skeleton.yaml for the list).";
        String printerLine = "- {id: printer-1, kind: printer,";
        if (!demo.contains(marker) || !demo.contains(printerLine)) {
            throw new IllegalStateException("the demo site no longer reads as the print tests expect");
        }
        StringBuilder section = new StringBuilder("policy:\n  print_hold: 30m\n");
        for (String line : policy) {
            section.append("  ").append(line).append('\n');
        }
        try {
            return SiteFiles.parse("demo-print.yaml", demo.replace(printerLine, printerLine + " ipp: " + printer + ",")
                    .replace(marker, section.toString()));
        } catch (kontor.site.SiteFileException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path pdf(Path dir, int pages) throws IOException {
        Path file = dir.resolve("doc-" + pages + ".pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                doc.addPage(new PDPage());
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static URI ippQueue(int port) {
        return URI.create("ipp://127.0.0.1:" + port + "/ipp/print");
    }

    static URI httpQueue(int port) {
        return URI.create("http://127.0.0.1:" + port + "/ipp/print");
    }

    /** The IPP header of a Print-Job as the demo visitor (request id 7), the document to follow it. */
    static byte[] printJobHeader(int port, String format) {
        IppPacket packet = IppPacket.printJob(ippQueue(port)).putOperationAttributes(Types.requestingUserName.of("demo"),
                Types.documentFormat.of(format)).build();
        return encode(new IppPacket(packet.getVersionNumber(), packet.getCode(), 7, packet.getAttributeGroups()));
    }

    static byte[] encode(IppPacket packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            packet.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String basic(String user, String pin) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pin).getBytes(StandardCharsets.UTF_8));
    }

    /** Print-Job of {@code document} as the demo visitor. */
    static HttpResponse<byte[]> printJob(int port, byte[] document, String format) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(printJobHeader(port, format));
        body.write(document);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(httpQueue(port)).header("Content-Type", "application/ipp")
                    .header("Authorization", basic("demo", "1234"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    static IppPacket parse(byte[] answer) throws IOException {
        return IppPacket.parse(new ByteArrayInputStream(answer));
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
