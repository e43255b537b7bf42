package kontor.bench;

import static kontor.core.Events.fields;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.Database;

/**
 * The power-cut figure's child JVM: journals events as fast as it can until it is killed, and prints
 * each seq once its transaction has committed: one thread appends single events and waits for each,
 * one appends ten per transaction, one hands events to the group commit without waiting (as the
 * site thread does) and asks for the disk now and then, one forces the file to disk again and again,
 * so the kill lands in any of them.
 */
public final class PowerCutChild {
    private PowerCutChild() { }

    /** {@code DIR}: journal until killed; {@code DIR --once}: journal a little and exit (to record a class-data archive). */
    public static void main(String[] args) {
        QuietLogging.apply();
        Database db = Database.open(Path.of(args[0]));
        Journal journal = new Journal(db, EventPipeline.ZONE);
        if (args.length > 1 && args[1].equals("--once")) {
            for (int i = 0; i < 100; i++) {
                journal.append("card.granted", "reader-bank-a", fields("card", "…C001", "n", i), Instant.now());
                db.inTransaction(tx -> journal.append(tx, "copier.page", "copier-1", fields("mono", 1), Instant.now()));
            }
            db.sync();
            db.close();
            System.exit(0);
        }
        PrintStream out = System.out;
        Thread single = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                Event e = journal.append("card.granted", "reader-bank-a", fields("card", "…C001", "n", i), Instant.now());
                report(out, List.of(e.seq()));
            }
        });
        Thread batches = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                long n = i;
                List<Long> seqs = db.inTransaction(tx -> {
                    List<Long> s = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        s.add(journal.append(tx, "copier.page", "copier-1", fields("mono", 1, "n", n), Instant.now()).seq());
                    }
                    return s;
                });
                report(out, seqs);
            }
        });
        // The site thread's way: events handed in without waiting, each reported once the group commit stored it.
        Thread handedIn = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                journal.handIn("door.opened", "door-entrance", fields("n", i), Instant.now(), seq -> report(out, List.of(seq)));
                if (i % 200 == 199) {
                    journal.awaitDurable(); // as a grant does now and then
                }
            }
        });
        Thread.ofPlatform().start(() -> {
            while (true) {
                db.sync();
                Pause.millis(5);
            }
        });
        try {
            single.join();
            batches.join();
            handedIn.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void report(PrintStream out, List<Long> seqs) {
        synchronized (out) {
            for (long seq : seqs) {
                out.println(seq);
            }
            out.flush();
        }
    }
}
