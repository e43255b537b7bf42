package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.testing.IppEvePrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job the real printer aborts half-way: {@code ippeveprinter} runs a command on each document that reports one
 * impression completed ({@code ATTR: job-impressions-completed=1}) and fails, as a printer with a paper jam after
 * the first page would. The visitor pays for the one page, and the rest comes back in the ledger.
 */
class PrintAbortTest {
    @TempDir
    Path dir;

    @Test
    void a_job_the_printer_aborts_is_charged_only_for_the_impressions_it_completed_and_the_rest_refunded() throws Exception {
        Path jam = dir.resolve("jam.sh");
        Files.writeString(jam, "#!/bin/sh\necho 'ATTR: job-impressions-completed=1' >&2\nexit 1\n");
        Files.setPosixFilePermissions(jam, PosixFilePermissions.fromString("rwx------"));
        try (IppEvePrinter printer = IppEvePrinter.start(jam);
             SiteHarness site = SiteHarness.withHttp(PrintSites.demo(printer.uri()), Files.createDirectories(dir.resolve("data")),
                     PrintSites.TUESDAY_9)) {
            int port = site.gateway().http().urls().getFirst().getPort();
            long before = balance(site);
            assertThat(PrintSites.printJob(port, Files.readAllBytes(PrintSites.pdf(dir, 3)), "application/pdf").statusCode())
                    .isEqualTo(200);
            int job = site.awaitEvent("print.job_held", e -> true).path("job").asInt();

            assertThat(site.tap(PrintSites.READER, DemoCards.VISITOR).path("type").asText()).isEqualTo("card.granted");

            JsonNode failed = await().atMost(Duration.ofSeconds(30))
                    .until(() -> site.events("print.job_failed"), l -> !l.isEmpty()).getFirst();
            assertThat(failed.path("job").asInt()).isEqualTo(job);
            assertThat(failed.path("reason").asText()).isEqualTo("aborted");
            assertThat(failed.path("pages").asInt()).as("pages printed").isEqualTo(1);
            assertThat(failed.path("amount").asLong()).as("kept: one page").isEqualTo(200);
            assertThat(failed.path("refund").asLong()).as("two pages back").isEqualTo(400);
            assertThat(site.events("payment.charged")).singleElement()
                    .satisfies(e -> assertThat(e.path("amount").asLong()).isEqualTo(600));
            assertThat(site.events("payment.credited").stream().filter(e -> e.path("reason").asText().equals("print_refund")))
                    .singleElement().satisfies(e -> assertThat(e.path("amount").asLong()).isEqualTo(400));
            assertThat(balance(site)).isEqualTo(before - 200);
            assertThat(site.events("print.job_completed")).isEmpty();
            JsonNode shown = site.command("print.jobs", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result").path("jobs");
            assertThat(shown).as("a settled job is no longer the member's business at the desk").isEmpty();
            assertThat(PrintSites.files(site.gateway().context().db().directory().resolve("print-spool"))).isEmpty();
        }
    }

    private static long balance(SiteHarness site) {
        return site.command("member.show", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result").path("balance").asLong();
    }
}
