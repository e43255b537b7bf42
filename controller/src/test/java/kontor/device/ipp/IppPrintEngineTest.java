package kontor.device.ipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kontor.device.PrintEngine;
import kontor.testing.IppEvePrinter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The print queue's engine against a real IPP Everywhere printer: CUPS' ippeveprinter. */
class IppPrintEngineTest {
    private static IppEvePrinter printer;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrinter() {
        printer = IppEvePrinter.start();
    }

    @AfterAll
    static void stopPrinter() {
        printer.close();
    }

    @Test
    void submits_a_pdf_and_follows_the_job_to_completed() throws IOException {
        Path pdf = dir.resolve("two.pdf");
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.addPage(new PDPage());
            doc.save(pdf.toFile());
        }
        try (IppPrintEngine engine = new IppPrintEngine(printer.uri(), Duration.ofSeconds(10))) {
            int job = engine.submit(pdf, "application/pdf", "kontor-job-1", "kontor");
            assertThat(job).isPositive();
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.job(job, "kontor-job-1").terminal());
            PrintEngine.JobState done = engine.job(job, "kontor-job-1");
            assertThat(done.state()).isEqualTo("completed");
        }
    }

    @Test
    void finds_a_job_again_by_its_name_as_a_gateway_that_stopped_before_storing_its_id_would() throws IOException {
        Path pdf = dir.resolve("one.pdf");
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(pdf.toFile());
        }
        try (IppPrintEngine engine = new IppPrintEngine(printer.uri(), Duration.ofSeconds(10))) {
            int job = engine.submit(pdf, "application/pdf", "kontor-7", "kontor");

            assertThat(engine.find("kontor-7")).hasValue(job);
            assertThat(engine.find("kontor-70")).isEmpty();
            // ippeveprinter prints one job at a time: let it finish before the next test sends one.
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.job(job, "kontor-7").terminal());
            assertThat(engine.find("kontor-7")).as("a finished job is still listed").hasValue(job);
            // A printer that restarted gives the id to another job: its state is not ours.
            assertThatThrownBy(() -> engine.job(job, "kontor-8")).isInstanceOf(PrintEngine.JobGone.class);

            // Another job of the same name (an older database's, another sender's): which one is ours is unknown.
            int other = engine.submit(pdf, "application/pdf", "kontor-7", "someone");
            assertThat(engine.find("kontor-7")).as("two of that name is none").isEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.job(other, "kontor-7").terminal());
        }
    }

    @Test
    void a_refused_or_unknown_job_is_an_io_exception() throws IOException {
        Path text = Files.writeString(dir.resolve("x.txt"), "hello");
        try (IppPrintEngine engine = new IppPrintEngine(printer.uri(), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> engine.submit(text, "text/x-unsupported", "j", "kontor")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> engine.job(999_999, "j")).isInstanceOf(IOException.class)
                    .isNotInstanceOf(PrintEngine.JobGone.class);
        }
    }
}
