package kontor.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import kontor.members.AccessCheck;
import kontor.members.CardHasher;
import kontor.members.Members;
import kontor.members.Role;
import kontor.members.SiteSecret;
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

/** A tap's decision: the card's HMAC, and the whole check against 1,000 enrolled members. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CardCheckBench {
    static final int MEMBERS = 1_000;

    private Path dir;
    private Database db;
    private CardHasher hasher;
    private Members members;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kontor-jmh-cards-");
        db = Database.open(dir);
        hasher = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("site.secret")));
        members = new Members(db, hasher, Instant::now);
        for (int i = 0; i < MEMBERS; i++) {
            members.enroll(card(i), Role.VISITOR, false, null);
        }
    }

    static String card(int i) {
        return String.format("04A1B2%08X", i);
    }

    /** HMAC-SHA256 of a card under the site secret, as stored. */
    @Benchmark
    public String hash() {
        next = (next + 1) % MEMBERS;
        return hasher.hash(card(next));
    }

    /** Hash, look-up in H2, revoked/expired: what CardAccess asks for every tap. */
    @Benchmark
    public AccessCheck check() {
        next = (next + 1) % MEMBERS;
        return members.check(card(next), Instant.now());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        JmhFiles.delete(dir);
    }
}
