package kontor.sim.printing;

import java.net.URI;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;

/**
 * The child process of {@link PrintCrashTest}: a gateway of the demo site with printer-1 at the given IPP
 * printer holds one 3-page job of the demo visitor's and releases it with a tap at the printer's reader. It prints
 * {@code RELEASED job} once the job is marked released (and charged), and {@code TAKEN job printer-job} once the
 * printer's job id is stored, then waits to be killed.
 *
 * <p>Usage: {@code PrintCrashWorker DATA_DIR PRINTER_URI}
 */
public final class PrintCrashWorker {
    private PrintCrashWorker() { }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        SiteHarness site = SiteHarness.withHttp(PrintSites.demo(URI.create(args[1])), data, PrintSites.TUESDAY_9);
        int port = site.gateway().http().urls().getFirst().getPort();
        byte[] pdf = java.nio.file.Files.readAllBytes(PrintSites.pdf(data.getParent(), 3));
        if (PrintSites.printJob(port, pdf, "application/pdf").statusCode() != 200) {
            throw new IllegalStateException("the job was not taken");
        }
        int job = site.awaitEvent("print.job_held", e -> true).path("job").asInt();
        if (!site.tap(PrintSites.READER, DemoCards.VISITOR).path("type").asText().equals("card.granted")) {
            throw new IllegalStateException("the tap did not release the job");
        }
        boolean released = false;
        while (true) {
            Object[] row = site.gateway().context().db().read(tx -> {
                try (PreparedStatement p = tx.connection().prepareStatement(
                        "SELECT status, printer_job FROM print_jobs WHERE job_id = ?")) {
                    p.setInt(1, job);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        return new Object[] {rs.getString(1), rs.getObject(2)};
                    }
                }
            });
            if (!released && row[0].equals("releasing")) {
                released = true;
                System.out.println("RELEASED " + job);
                System.out.flush();
            }
            if (row[1] != null) {
                System.out.println("TAKEN " + job + " " + row[1]);
                System.out.flush();
                LockSupport.parkNanos(TimeUnit.DAYS.toNanos(1));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
