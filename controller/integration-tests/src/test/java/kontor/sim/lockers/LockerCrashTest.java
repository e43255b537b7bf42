package kontor.sim.lockers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kontor.sim.SiteHarness;
import kontor.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a gateway process (no clean shutdown) in the middle of claims and charges, several times, and
 * shows that what it left is consistent: every held locker has its deposit and every deposit its
 * locker or its settlement, every balance is the sum of its ledger, every posting has its event, the
 * journal has no gap, and commands sent again charge nothing twice.
 */
@ExtendWith(LockerSites.QuickPolling.class)
class LockerCrashTest {

    private static final int ROUNDS = 3;
    private static final int RESENT_PER_ROUND = 5;

    @Test
    void a_killed_gateway_leaves_lockers_and_money_consistent_and_charges_nothing_twice(@TempDir Path data)
            throws Exception {
        Random random = new Random(42);
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<String> sentThisRound = new CopyOnWriteArrayList<>();
            runAndKill(data, "r" + round, 8 + random.nextInt(25), sentThisRound);
            // The last commands before a kill are the ones a crash may have cut short: send them again.
            sent.addAll(sentThisRound.subList(Math.max(0, sentThisRound.size() - RESENT_PER_ROUND), sentThisRound.size()));
        }
        assertThat(sent).as("the worker sent commands").isNotEmpty();
        checkConsistent(data);
        Map<String, Long> before = ledgerKeys(data);

        try (SiteHarness site = SiteHarness.of(LockerSites.withMoney(), data, LockerSites.TUESDAY_9)) {
            for (String line : sent) {
                String[] parts = line.split(" ", 2);
                JsonNode reply = site.commandRaw(parts[0], parts[1]);
                assertThat(reply.has("ok")).as(line).isTrue();
            }
        }
        Map<String, Long> after = ledgerKeys(data);
        before.forEach((key, amount) -> assertThat(after.get(key)).as("posting " + key).isEqualTo(amount));
        for (String line : sent) {
            if (line.startsWith("member.credit ")) {
                String id = line.replaceFirst(".*\"id\":\"([^\"]+)\".*", "$1");
                assertThat(after).as("credit %s posted exactly once", id).containsKey("cmd:member.credit:" + id);
            }
        }
        checkConsistent(data);
    }

    private static void runAndKill(Path data, String seed, int opsBeforeKill, List<String> sent) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWorker.class.getName(), data.toString(), seed)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        AtomicLong ops = new AtomicLong();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    if (line.startsWith("OP ")) {
                        ops.incrementAndGet();
                    } else if (line.startsWith("SENT ")) {
                        sent.add(line.substring(5));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(40))
                    .failFast("the worker died: " + output, () -> !child.isAlive())
                    .until(() -> ops.get() >= opsBeforeKill);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(5));
        }
    }

    private static void checkConsistent(Path data) throws SQLException {
        try (Database db = Database.open(data)) {
            db.read(tx -> {
                Statement s = tx.connection().createStatement();
                assertThat(rows(s, "SELECT a.member_id, a.balance, COALESCE(SUM(l.amount), 0) FROM accounts a "
                        + "LEFT JOIN ledger l ON l.member_id = a.member_id GROUP BY a.member_id, a.balance "
                        + "HAVING a.balance <> COALESCE(SUM(l.amount), 0)"))
                        .as("balances that are not the sum of their ledger").isEmpty();
                assertThat(rows(s, "SELECT DISTINCT member_id FROM ledger WHERE member_id NOT IN (SELECT member_id FROM accounts)"))
                        .as("ledger postings without an account").isEmpty();
                assertThat(rows(s, "SELECT member_id FROM accounts WHERE balance < 0"))
                        .as("balances below the credit limit").isEmpty();
                assertThat(rows(s, "SELECT locker_id FROM lockers k WHERE k.status = 'assigned' AND k.locker_id <= 'locker-12' "
                        + "AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.idem_key = k.deposit_key AND l.kind = 'deposit_hold' "
                        + "AND l.amount = -k.deposit AND k.deposit = 500 AND l.member_id = k.member_id)"))
                        .as("day lockers held without their deposit").isEmpty();
                assertThat(rows(s, "SELECT l.idem_key FROM ledger l WHERE l.kind = 'deposit_hold' AND "
                        + "(SELECT COUNT(*) FROM lockers k WHERE k.deposit_key = l.idem_key) "
                        + "+ (SELECT COUNT(*) FROM ledger r WHERE r.ref = l.idem_key) <> 1"))
                        .as("deposits without exactly one locker or settlement").isEmpty();
                assertThat(rows(s, "SELECT member_id FROM lockers WHERE status = 'assigned' AND locker_id <= 'locker-12' "
                        + "GROUP BY member_id HAVING COUNT(*) > 1"))
                        .as("members holding two day lockers").isEmpty();
                assertThat(rows(s, "SELECT MIN(seq), MAX(seq), COUNT(*), (SELECT last_seq FROM journal_seq) FROM events "
                        + "HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*) OR MAX(seq) <> (SELECT last_seq FROM journal_seq)"))
                        .as("journal gaps").isEmpty();
                assertThat(count(s, "SELECT COUNT(*) FROM events WHERE type IN ('payment.charged', 'payment.credited')"))
                        .as("payment events, one per posting of money")
                        .isEqualTo(count(s, "SELECT COUNT(*) FROM ledger WHERE amount <> 0"));
                assertThat(count(s, "SELECT COUNT(*) FROM events WHERE type = 'payment.deposit_kept'"))
                        .isEqualTo(count(s, "SELECT COUNT(*) FROM ledger WHERE kind = 'deposit_kept'"));
                assertThat(count(s, "SELECT COUNT(*) FROM events WHERE type = 'locker.assigned' AND device <= 'locker-12'"))
                        .as("day locker claims, one deposit each")
                        .isEqualTo(count(s, "SELECT COUNT(*) FROM ledger WHERE kind = 'deposit_hold'"));
                return null;
            });
        }
    }

    private static Map<String, Long> ledgerKeys(Path data) {
        try (Database db = Database.open(data)) {
            return db.read(tx -> {
                Map<String, Long> keys = new HashMap<>();
                try (Statement s = tx.connection().createStatement();
                     ResultSet rs = s.executeQuery("SELECT idem_key, amount FROM ledger")) {
                    while (rs.next()) {
                        keys.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return keys;
            });
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
