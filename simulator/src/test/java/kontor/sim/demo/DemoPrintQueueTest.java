package kontor.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.JobState;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kontor demo} serves the held print queue on its second HTTP listener and says where, with the demo log-in. */
class DemoPrintQueueTest {
    @TempDir
    Path data;

    @Test
    void the_demo_prints_the_queues_url_and_its_visitor_can_print_to_it() throws Exception {
        try (DemoCommand.Demo demo = DemoFixture.embedded(data, "2026-12-01T09:00:00")) {
            int port = demo.gateway().http().urls().get(1).getPort();
            URI queue = URI.create("ipp://127.0.0.1:" + port + "/ipp/print");

            assertThat(demo.banner()).contains("  print     " + queue, "print name demo, PIN 1234", "printer-1: simulated",
                    "ipptool -tv -f some.pdf ipp://demo:1234@127.0.0.1:" + port + "/ipp/print print-job.test",
                    "reader-printer-1");

            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new IppPacket(0x0200, IppPacket.printJob(queue).build().getCode(), 1,
                    IppPacket.printJob(queue).putOperationAttributes(Types.documentFormat.of("application/pdf"))
                            .build().getAttributeGroups()).write(body);
            try (PDDocument doc = new PDDocument()) {
                doc.addPage(new PDPage());
                doc.save(body);
            }
            HttpResponse<byte[]> answer;
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipp/print"))
                        .header("Content-Type", "application/ipp")
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                "demo:1234".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            }
            IppPacket reply = IppPacket.parse(new ByteArrayInputStream(answer.body()));
            assertThat(reply.getStatus()).isEqualTo(Status.successfulOk);
            assertThat(reply.getValue(Tag.jobAttributes, Types.jobState)).isEqualTo(JobState.pendingHeld);
        }
    }
}
