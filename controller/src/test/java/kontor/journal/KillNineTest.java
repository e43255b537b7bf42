package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kontor.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts, approximated by kill -9: a child JVM appends events from two threads and reports
 * each seq once {@code append} has returned, and hands events in from a third, reported by the
 * group commit once stored; it is killed at a random point, again and again.
 * Every time the journal must open, its seq must be gap-free, and no event the child reported as
 * journaled may be missing.
 */
class KillNineTest {
    private static final int ROUNDS = 20;

    @Test
    void the_journal_survives_kill_minus_nine_at_random_instants_without_losing_an_event(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        Set<Long> reported = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process child = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    Appender.class.getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int killAfter = 20 + random.nextInt(400);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int seen = 0;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    reported.add(Long.parseLong(line.strip()));
                    if (++seen == killAfter) {
                        child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves the pipe readable
                    }
                }
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (Database db = Database.open(dir)) {
                Journal journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
                long last = journal.lastSeq();
                List<Long> seqs = new ArrayList<>();
                for (long from = 1; from <= last; from += 1000) {
                    journal.read(from, 1000).forEach(e -> seqs.add(e.seq()));
                }
                assertThat(seqs).as("round %d: gap-free 1..%d", round, last).hasSize((int) last);
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).isEqualTo(i + 1L);
                }
                assertThat(new HashSet<>(seqs)).as("round %d: every reported event is there", round).containsAll(reported);
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The child: appends until killed, printing each seq after its append returned. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(Path.of(args[0]));
            Journal journal = new Journal(db, ZoneId.of("Europe/Stockholm"));
            Runnable load = () -> {
                for (int i = 0; ; i++) {
                    Event e = journal.append("card.granted", "reader-room-1", Map.of("card", "…E501", "n", i), Instant.now());
                    synchronized (System.out) {
                        System.out.println(e.seq());
                        System.out.flush();
                    }
                }
            };
            Thread other = new Thread(load);
            other.start();
            // The site thread's way: handed in without waiting, reported by the writer once stored.
            Thread handedIn = new Thread(() -> {
                for (int i = 0; ; i++) {
                    journal.handIn("door.opened", "door-room-1", Map.of("n", i), Instant.now(), seq -> {
                        synchronized (System.out) {
                            System.out.println(seq);
                            System.out.flush();
                        }
                    });
                }
            });
            handedIn.start();
            load.run();
        }
    }
}
