package kontor.sim.printing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.store.Database;
import kontor.testing.IppEvePrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a release: a child JVM ({@link PrintCrashWorker}) holds a job, releases it with a tap and
 * is killed without a clean close at a chosen point; a new gateway on the same data then settles the job. Whatever
 * the point, the job is charged at most once and sent to the printer at most once: settled from the printer's own
 * job state when the printer has it (its id stored, or found again by the job's name, asking again while the printer
 * does not answer), refunded in full when the printer answers without it, has not answered for minutes, or restarted
 * too and gave the stored id to another job.
 */
class PrintCrashTest {
    @TempDir
    Path dir;

    @Test
    void killed_once_the_printer_has_the_job_the_next_gateway_settles_it_from_the_printers_job_state_charged_and_printed_once()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (IppEvePrinter printer = IppEvePrinter.start()) {
            List<String> output = runAndKill(data, printer.uri(), out -> out.stream().anyMatch(l -> l.startsWith("TAKEN ")));
            int job = Integer.parseInt(output.stream().filter(l -> l.startsWith("TAKEN ")).findFirst().orElseThrow().split(" ")[1]);
            // ippeveprinter takes 5 to 15 s over a job: the gateway died while the printer was still at it.

            try (SiteHarness site = SiteHarness.withHttp(PrintSites.demo(printer.uri()), data, PrintSites.TUESDAY_9.plusMinutes(1))) {
                JsonNode completed = await().atMost(Duration.ofSeconds(40))
                        .until(() -> site.events("print.job_completed"), l -> !l.isEmpty()).getFirst();
                assertThat(completed.path("job").asInt()).isEqualTo(job);
                assertThat(completed.path("pages").asInt()).isEqualTo(3);
                assertThat(completed.path("amount").asLong()).isEqualTo(600);
                assertThat(site.events("print.job_failed")).isEmpty();
                assertThat(site.tap(PrintSites.READER, DemoCards.VISITOR).path("reason").asText())
                        .as("nothing left to release").isEqualTo("no_print_jobs");
                assertThat(PrintSites.files(data.resolve("print-spool"))).isEmpty();
            }
            assertThat(PrintSites.files(printer.spool())).as("the printer got the document once").hasSize(1);
        }
        assertThat(ledger(data)).as("charged once, nothing refunded").containsExactly(Map.entry("print:1", -600L));
        assertThat(eventCounts(data)).containsEntry("print.job_released", 1L).containsEntry("print.job_completed", 1L)
                .doesNotContainKey("print.job_failed");
    }

    @Test
    void killed_once_the_printer_has_the_job_and_the_printer_restarts_giving_its_id_to_another_job_the_next_gateway_refunds_it_in_full()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        int job;
        int printerJob;
        try (IppEvePrinter printer = IppEvePrinter.start()) {
            List<String> output = runAndKill(data, printer.uri(), out -> out.stream().anyMatch(l -> l.startsWith("TAKEN ")));
            String[] taken = output.stream().filter(l -> l.startsWith("TAKEN ")).findFirst().orElseThrow().split(" ");
            job = Integer.parseInt(taken[1]);
            printerJob = Integer.parseInt(taken[2]);
        }
        // The printer restarted (a new ippeveprinter numbers its jobs from 1 again), lost ours, and gave its id to
        // someone else's job, which it prints to completion: that job's state must not settle ours.
        try (IppEvePrinter restarted = IppEvePrinter.start();
                kontor.device.ipp.IppPrintEngine other = new kontor.device.ipp.IppPrintEngine(restarted.uri(), Duration.ofSeconds(10))) {
            Path document = PrintSites.pdf(dir, 1);
            int id = 0;
            while (id < printerJob) {
                id = other.submit(document, "application/pdf", "someone-else", "someone");
            }
            assertThat(id).as("the stored printer job id now names the other job").isEqualTo(printerJob);

            try (SiteHarness site = SiteHarness.withHttp(PrintSites.demo(restarted.uri()), data, PrintSites.TUESDAY_9.plusMinutes(1))) {
                // Without the name check, the other job's state (completed within 5 to 15 s) would settle ours.
                await("our job settled").atMost(Duration.ofSeconds(40))
                        .until(() -> !site.events("print.job_failed").isEmpty() || !site.events("print.job_completed").isEmpty());
                assertThat(site.events("print.job_completed")).as("not settled from the other job's state").isEmpty();
                JsonNode failed = site.events("print.job_failed").getFirst();
                assertThat(failed.path("job").asInt()).isEqualTo(job);
                assertThat(failed.path("reason").asText()).isEqualTo("printer_lost");
                assertThat(failed.path("pages").asInt()).isZero();
                assertThat(failed.path("amount").asLong()).isZero();
                assertThat(failed.path("refund").asLong()).isEqualTo(600);
                assertThat(site.command("member.show", "{\"card\":\"" + DemoCards.VISITOR + "\"}").path("result")
                        .path("balance").asLong()).as("the demo visitor's balance as before the release").isEqualTo(10_000);
                assertThat(site.tap(PrintSites.READER, DemoCards.VISITOR).path("reason").asText())
                        .as("the job is over: a tap sends nothing").isEqualTo("no_print_jobs");
            }
        }
        assertThat(ledger(data)).containsExactly(Map.entry("print-refund:" + job, 600L), Map.entry("print:" + job, -600L));
        assertThat(eventCounts(data)).containsEntry("print.job_released", 1L).containsEntry("print.job_failed", 1L)
                .doesNotContainKey("print.job_completed");
    }

    @Test
    void killed_after_the_printer_took_the_job_but_before_its_id_was_stored_the_next_gateway_finds_it_by_name()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (IppEvePrinter printer = IppEvePrinter.start(); Withholding proxy = new Withholding(printer.port())) {
            // The printer takes the job; its answer (with the job's id) never reaches the gateway, which then dies.
            runAndKill(data, proxy.uri(), out -> out.contains("RELEASED 1") && proxy.withheld() == 1);
            assertThat(PrintSites.files(printer.spool())).as("the printer has the document").hasSize(1);

            try (SiteHarness site = SiteHarness.withHttp(PrintSites.demo(proxy.uri()), data, PrintSites.TUESDAY_9.plusMinutes(1))) {
                JsonNode completed = await().atMost(Duration.ofSeconds(60))
                        .until(() -> site.events("print.job_completed"), l -> !l.isEmpty()).getFirst();
                assertThat(completed.path("job").asInt()).isEqualTo(1);
                assertThat(completed.path("amount").asLong()).isEqualTo(600);
                assertThat(site.events("print.job_failed")).isEmpty();
                assertThat(PrintSites.files(data.resolve("print-spool"))).isEmpty();
            }
            assertThat(PrintSites.files(printer.spool())).as("printed once").hasSize(1);
        }
        assertThat(ledger(data)).as("charged once, nothing refunded").containsExactly(Map.entry("print:1", -600L));
        assertThat(eventCounts(data)).containsEntry("print.job_released", 1L).containsEntry("print.job_completed", 1L)
                .doesNotContainKey("print.job_failed");
    }

    @Test
    void killed_before_the_id_was_stored_with_the_printer_still_starting_the_next_gateway_asks_again_until_it_answers()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (IppEvePrinter printer = IppEvePrinter.start(); Withholding proxy = new Withholding(printer.port())) {
            runAndKill(data, proxy.uri(), out -> out.contains("RELEASED 1") && proxy.withheld() == 1);
            // The power cut that stopped the gateway stopped the printer too: it is still starting, and drops every
            // connection.
            proxy.down(true);

            try (SiteHarness site = SiteHarness.withHttp(PrintSites.demo(proxy.uri()), data, PrintSites.TUESDAY_9.plusMinutes(1))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.dropped() >= 1);
                // Two minutes of site time, 5 s a step (short of the bound): the gateway asks again and again, and
                // refunds nothing.
                Duration[] advanced = {Duration.ZERO};
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (advanced[0].compareTo(Duration.ofMinutes(2)) < 0) {
                        site.advance(Duration.ofSeconds(5));
                        advanced[0] = advanced[0].plusSeconds(5);
                    }
                    return advanced[0].compareTo(Duration.ofMinutes(2)) >= 0 && proxy.dropped() >= 3;
                });
                assertThat(site.events("print.job_failed")).as("not refunded while the printer is starting").isEmpty();
                assertThat(site.command("print.jobs", "").path("result").path("jobs").path(0).path("status").asText())
                        .isEqualTo("releasing");

                // The printer is up: the next ask (at most a minute of site time away) finds the job.
                proxy.down(false);
                Duration[] more = {Duration.ZERO};
                JsonNode completed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (more[0].compareTo(Duration.ofMinutes(2)) < 0) {
                        site.advance(Duration.ofSeconds(5));
                        more[0] = more[0].plusSeconds(5);
                    }
                    return site.events("print.job_completed");
                }, l -> !l.isEmpty()).getFirst();
                assertThat(completed.path("job").asInt()).isEqualTo(1);
                assertThat(completed.path("amount").asLong()).isEqualTo(600);
                assertThat(site.events("print.job_failed")).isEmpty();
            }
            assertThat(PrintSites.files(printer.spool())).as("printed once").hasSize(1);
        }
        assertThat(ledger(data)).as("charged once, nothing refunded").containsExactly(Map.entry("print:1", -600L));
        assertThat(eventCounts(data)).containsEntry("print.job_released", 1L).containsEntry("print.job_completed", 1L)
                .doesNotContainKey("print.job_failed");
    }

    @Test
    void killed_while_the_document_is_on_its_way_the_next_gateway_refunds_it_in_full_and_never_sends_it_again()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (BlackHole printer = new BlackHole()) {
            // The printer takes the request and never answers: the gateway dies before it learns a job id.
            runAndKill(data, printer.uri(), out -> out.contains("RELEASED 1") && printer.printJobs() == 1);

            try (SiteHarness site = SiteHarness.withHttp(PrintSites.demo(printer.uri()), data, PrintSites.TUESDAY_9.plusMinutes(1))) {
                // The new gateway asks the printer for the job by its name; this one never answers. Once the bound
                // of site time has passed without an answer, the job is refunded.
                site.advance(Duration.ofMinutes(6));
                JsonNode failed = await().atMost(Duration.ofSeconds(90))
                        .until(() -> site.events("print.job_failed"), l -> !l.isEmpty()).getFirst();
                assertThat(failed.path("job").asInt()).isEqualTo(1);
                assertThat(failed.path("reason").asText()).isEqualTo("restart");
                assertThat(failed.path("pages").asInt()).isZero();
                assertThat(failed.path("refund").asLong()).isEqualTo(600);
                assertThat(site.tap(PrintSites.READER, DemoCards.VISITOR).path("reason").asText())
                        .as("the job is over: a tap sends nothing").isEqualTo("no_print_jobs");
                assertThat(PrintSites.files(data.resolve("print-spool"))).as("its document is gone").isEmpty();
            }
            assertThat(printer.printJobs()).as("sent once only").isEqualTo(1);
        }
        assertThat(ledger(data)).containsExactly(Map.entry("print-refund:1", 600L), Map.entry("print:1", -600L));
        assertThat(eventCounts(data)).containsEntry("print.job_released", 1L).containsEntry("print.job_failed", 1L)
                .doesNotContainKey("print.job_completed");
    }

    /** Starts the worker and kills it (SIGKILL, no shutdown hook runs) as soon as {@code when} holds. */
    private static List<String> runAndKill(Path data, URI printer, java.util.function.Predicate<List<String>> when)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PrintCrashWorker.class.getName(), data.toString(), printer.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                // killed
            }
        });
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
                    .failFast("the worker died: " + output, () -> !child.isAlive())
                    .until(() -> when.test(output));
        } finally {
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(5));
        }
        return output;
    }

    /** The print ledger: idempotency key to amount. */
    private static Map<String, Long> ledger(Path data) {
        return query(data, "SELECT idem_key, amount FROM ledger WHERE kind IN ('print', 'print_refund')");
    }

    private static Map<String, Long> eventCounts(Path data) {
        return query(data, "SELECT type, COUNT(*) FROM events WHERE type LIKE 'print.job%' GROUP BY type");
    }

    private static Map<String, Long> query(Path data, String sql) {
        try (Database db = Database.open(data)) {
            return db.read(tx -> {
                Map<String, Long> rows = new TreeMap<>();
                try (PreparedStatement p = tx.connection().prepareStatement(sql); ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return rows;
            });
        }
    }

    /**
     * A TCP proxy in front of a printer that forwards everything, except the printer's answers on a connection that
     * carried a Print-Job of the queue (its job name {@code kontor-N}): the printer has the job, the gateway never
     * learns its id. Counts the answers it withheld.
     */
    private static final class Withholding implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicInteger withheld = new AtomicInteger();
        private final AtomicInteger dropped = new AtomicInteger();
        private volatile boolean down;

        Withholding(int printerPort) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        if (down) {
                            dropped.incrementAndGet();
                            client.close();
                            continue;
                        }
                        Socket printer = new Socket(InetAddress.getLoopbackAddress(), printerPort);
                        sockets.add(client);
                        sockets.add(printer);
                        java.util.concurrent.atomic.AtomicBoolean printJob = new java.util.concurrent.atomic.AtomicBoolean();
                        Thread.ofVirtual().start(() -> pump(client, printer, printJob, true));
                        Thread.ofVirtual().start(() -> pump(printer, client, printJob, false));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicBoolean printJob, boolean request) {
            byte[] buffer = new byte[8192];
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            boolean counted = false;
            try {
                InputStream in = from.getInputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (request && !printJob.get()) {
                        if (seen.size() < 64 * 1024) {
                            seen.write(buffer, 0, n);
                        }
                        printJob.set(seen.toString(StandardCharsets.ISO_8859_1).contains("kontor-"));
                    }
                    if (!request && printJob.get()) {
                        if (!counted) {
                            counted = true;
                            withheld.incrementAndGet();
                        }
                        continue;
                    }
                    to.getOutputStream().write(buffer, 0, n);
                }
            } catch (IOException e) {
                // closed
            }
        }

        URI uri() {
            return URI.create("ipp://127.0.0.1:" + server.getLocalPort() + "/ipp/print");
        }

        int withheld() {
            return withheld.get();
        }

        /** Down, the printer drops every new connection at once, as one still starting does. */
        void down(boolean down) {
            this.down = down;
        }

        /** Connections dropped while down. */
        int dropped() {
            return dropped.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * A printer that accepts connections and reads what it is sent but never answers: the gateway's Print-Job hangs
     * until it gives up. Counts the Print-Job requests of the queue (they carry the job name {@code kontor-N}).
     */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicInteger printJobs = new AtomicInteger();

        BlackHole() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        sockets.add(s);
                        Thread.ofVirtual().start(() -> read(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void read(Socket s) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean counted = false;
            try (InputStream in = s.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (seen.size() < 64 * 1024) {
                        seen.write(buffer, 0, n);
                    }
                    if (!counted && seen.toString(StandardCharsets.ISO_8859_1).contains("kontor-")) {
                        counted = true;
                        printJobs.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        URI uri() {
            return URI.create("ipp://127.0.0.1:" + server.getLocalPort() + "/ipp/print");
        }

        int printJobs() {
            return printJobs.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
