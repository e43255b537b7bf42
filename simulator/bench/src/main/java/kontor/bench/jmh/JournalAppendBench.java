package kontor.bench.jmh;

import static kontor.core.Events.fields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Journal appends: one event waited for on its own (a commit per event), ten in the caller's
 * transaction, and a hundred handed in one after another and waited for once (the site thread's
 * way: the group commit writes them in as few transactions as it can).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalAppendBench {
    private final Map<String, Object> fields = fields("card", "…C001", "member", "m-3f9a2c71", "role", "visitor");
    private Path dir;
    private Database db;
    private Journal journal;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kontor-jmh-journal-");
        db = Database.open(dir);
        journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
    }

    /** One event, waited for until committed (WRITE_DELAY=0: in the OS when it returns); nobody to share the commit with. */
    @Benchmark
    public Event append() {
        return journal.append("card.granted", "reader-bank-a", fields, Instant.now());
    }

    /** Ten events in one transaction; the time is per transaction. */
    @Benchmark
    public Event appendTenInOneTransaction() {
        return db.inTransaction(tx -> {
            Event last = null;
            for (int i = 0; i < 10; i++) {
                last = journal.append(tx, "card.granted", "reader-bank-a", fields, Instant.now());
            }
            return last;
        });
    }

    /** A hundred events handed in, then one wait; the time is per hundred. */
    @Benchmark
    public void handInHundredThenAwait() {
        for (int i = 0; i < 100; i++) {
            journal.handIn("card.granted", "reader-bank-a", fields, Instant.now(), null);
        }
        journal.awaitWritten();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        journal.close();
        db.close();
        JmhFiles.delete(dir);
    }
}
