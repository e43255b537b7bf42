package kontor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kontor.gateway.Gateway;
import kontor.sim.demo.SimulatedSite;
import kontor.store.Database;
import kontor.time.SystemScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-cut figure's checks of the print queue and the calendar: nothing to say of a database the child's own
 * code left whole (no kill), and each kind of half transaction found, once, when the database is broken by hand.
 */
class PowerCutChecksTest {
    @TempDir
    Path dir;
    private final Instant anchor = PowerCutCalendar.anchor(Instant.now());
    private final List<Integer> released = new ArrayList<>();
    private long synced;

    /** What one child does before it is killed: jobs held and released, two generations synced; then a clean stop. */
    @BeforeEach
    void work() throws Exception {
        PowerCutChild.Feed feed = PowerCutChild.Feed.start(anchor, 0);
        SystemScheduler scheduler = new SystemScheduler("site");
        try (SimulatedSite world = SimulatedSite.start(PowerCutChild.site(feed.url()), dir, scheduler, null,
                will -> new PowerCutChild.Offline())) {
            Gateway gateway = world.gateway();
            PowerCutChild.Printing printing = new PowerCutChild.Printing(gateway, dir.resolve("documents"));
            printing.topUp();
            for (int i = 0; i < 2; i++) {
                printing.round(line -> released.add(Integer.parseInt(line.substring("print ".length()))));
                synced = feed.next(line -> { });
                assertThat(PowerCutChild.sync(gateway)).as("the sync read the feed").isTrue();
            }
        } finally {
            scheduler.close();
            feed.close();
        }
        assertThat(released).as("three jobs held and released per round").hasSize(6);
    }

    private List<String> check(Database db, List<Integer> jobs, long applied) {
        return new PowerCutChecks(anchor).check(db, 1, jobs, applied, synced);
    }

    @Test
    void what_the_child_left_whole_has_no_violation() {
        try (Database db = Database.open(dir)) {
            PowerCutChecks checks = new PowerCutChecks(anchor);

            assertThat(checks.check(db, 1, released, synced, synced)).isEmpty();
            assertThat(checks.printViolations() + checks.calendarViolations()).isZero();
            assertThat(checks.printState()).containsEntry("charged", 6L * 2 * 200); // 1+2+3 pages twice, 200 öre a page
            assertThat(checks.calendarState()).containsEntry("generation", synced).containsEntry("bookings_live", 4);
            assertThat(checks.check(db, 2, released, synced, synced)).as("a second look finds nothing new").isEmpty();
        }
    }

    @Test
    void a_release_without_its_charge_event_is_a_violation() throws Exception {
        try (Database db = Database.open(dir)) {
            int job = released.getFirst();
            sql(db, "DELETE FROM events WHERE type = 'payment.charged' AND fields LIKE '%\"job\":" + job + ",%'");

            assertThat(check(db, released, synced)).containsExactly(
                    "job " + job + " (" + status(db, job) + "): 1 print.job_released and 0 payment.charged events");
        }
    }

    @Test
    void a_job_reported_charged_and_not_charged_is_lost() throws Exception {
        try (Database db = Database.open(dir)) {
            int job = released.getLast();
            sql(db, "DELETE FROM ledger WHERE idem_key = 'print:" + job + "'");
            PowerCutChecks checks = new PowerCutChecks(anchor);

            List<String> found = checks.check(db, 1, released, synced, synced);

            assertThat(checks.printLost()).isEqualTo(1);
            assertThat(found).anyMatch(v -> v.startsWith("job " + job + " was reported released and charged"))
                    .anyMatch(v -> v.startsWith("member ") && v.contains("differs from the ledger's sum"));
        }
    }

    @Test
    void a_sync_half_applied_and_an_older_generation_are_violations() throws Exception {
        try (Database db = Database.open(dir)) {
            sql(db, "DELETE FROM calendar_slots WHERE slot = '" + PowerCutCalendar.slot(synced) + "'");

            assertThat(check(db, List.of(), synced)).anyMatch(v -> v.contains("are no one generation: a sync half applied"))
                    .anyMatch(v -> v.endsWith("is live and no calendar slot's"));
        }
        try (Database db = Database.open(dir)) {
            PowerCutChecks checks = new PowerCutChecks(anchor);
            sql(db, "DELETE FROM calendar_slots");

            assertThat(checks.check(db, 1, List.of(), synced, synced))
                    .contains("no calendar slots, though generation " + synced + " was synced");
            assertThat(checks.calendarLost()).isEqualTo(1);
        }
    }

    private static String status(Database db, int job) {
        return db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT status FROM print_jobs WHERE job_id = ?")) {
                p.setInt(1, job);
                try (var rs = p.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static void sql(Database db, String statement) {
        int changed = db.inTransaction(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                return s.executeUpdate(statement);
            }
        });
        assertThat(changed).as(statement).isPositive();
    }
}
