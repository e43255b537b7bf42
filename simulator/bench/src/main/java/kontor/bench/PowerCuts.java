package kontor.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.store.Database;

/**
 * Power cuts, as near as a process can come: a child JVM runs the demo site's gateway, journals under load,
 * holds, releases and charges print jobs and syncs a linked calendar ({@link PowerCutChild}), and is killed with
 * SIGKILL at a random instant, again and again on the same database. After each kill the journal must open, its
 * seqs must run 1..last without a gap, and every event the child reported as committed must be there; the print
 * queue and the calendar must be as whole transactions leave them, with every release and sync the child was told
 * of ({@link PowerCutChecks}). (A kill -9 loses what is in the JVM, not what is in the operating system's cache:
 * the power cut of the disk itself is what the group commit's CHECKPOINT SYNC is for, and is not simulated here.)
 */
final class PowerCuts implements Figure {
    /** Options that make the child JVM start sooner; the kill, not the JIT, is what is tested. */
    static final List<String> CHILD_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m");
    private static final long FIRST_EVENT_MS = 60_000;
    /** The kill comes at a random moment this long after the child's first commit of each kind. */
    static final int KILL_WITHIN_MS = 400;

    @Override
    public String name() {
        return "powercut";
    }

    @Override
    public String description() {
        return "kill -9 at random instants while journaling, printing and syncing a calendar; the journal must open and keep"
                + " every committed event, the print queue and the calendar every committed transaction, whole";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int rounds = context.settings().kills();
        Path dir = context.directory("powercut-db");
        Random random = new Random();
        int opened = 0;
        long reportedTotal = 0;
        long lost = 0;
        long gaps = 0;
        long lastSeq = 0;
        int counterBehind = 0;
        List<String> failures = new ArrayList<>();
        List<String> options = new ArrayList<>(CHILD_OPTIONS);
        options.addAll(context.settings().childJvmOptions());
        archiveClasses(context, options);
        context.say("powercut: %d kills", rounds);
        Set<Long> everReported = new HashSet<>();
        Set<Long> knownMissing = new HashSet<>();
        Instant anchor = PowerCutCalendar.anchor(Instant.now());
        PowerCutChecks checks = new PowerCutChecks(anchor);
        long served = 0;
        long jobsReported = 0;
        long syncsReported = 0;
        List<Long> readyMillis = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Reports reports = killOnce(options, dir, random, round, anchor, served);
            Set<Long> reported = reports.seqs();
            served = Math.max(served, reports.served());
            jobsReported += reports.released().size();
            syncsReported += reports.syncs();
            readyMillis.add(reports.readyMillis());
            reportedTotal += reported.size();
            everReported.addAll(reported);
            try (Database db = Database.open(dir)) {
                opened++;
                // The H2 anomaly (docs/security-doors.md): committed events beyond the counter, before the journal
                // raises the counter at open.
                boolean behind = db.read(tx -> {
                    try (Statement s = tx.connection().createStatement();
                         ResultSet rs = s.executeQuery("SELECT (SELECT last_seq FROM journal_seq WHERE id = 1)"
                                 + " < (SELECT COALESCE(MAX(seq), 0) FROM events)")) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                });
                if (behind) {
                    counterBehind++;
                    context.say("powercut: round %d: the seq counter was behind the newest event (the H2 anomaly)", round);
                }
                Journal journal = new Journal(db, EventPipeline.ZONE);
                long last = journal.lastSeq();
                long[] rows = db.read(tx -> {
                    try (Statement s = tx.connection().createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM events")) {
                        rs.next();
                        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                    }
                });
                boolean whole = rows[0] == last && rows[2] == last && (last == 0 || rows[1] == 1);
                if (!whole) {
                    // Something is off: look at every seq to say exactly what.
                    Set<Long> present = new HashSet<>();
                    for (long from = 1; from <= Math.max(last, rows[2]); ) {
                        List<Event> batch = journal.read(from, 5_000);
                        if (batch.isEmpty()) {
                            break;
                        }
                        batch.forEach(e -> present.add(e.seq()));
                        from = batch.getLast().seq() + 1;
                    }
                    List<Long> missing = new ArrayList<>();
                    for (long seq = 1; seq <= last; seq++) {
                        if (!present.contains(seq)) {
                            missing.add(seq);
                        }
                    }
                    long lostNow = everReported.stream().filter(seq -> !present.contains(seq)).count();
                    // A gap stays in the table: counted once, in the round that made it.
                    gaps += missing.stream().filter(knownMissing::add).count();
                    lost += lostNow;
                    failures.add("round " + round + ": journal_seq says " + last + ", the events table has " + rows[0]
                            + " rows from " + rows[1] + " to " + rows[2] + "; missing " + missing.subList(0, Math.min(5, missing.size()))
                            + "; reported as committed and not there: " + lostNow);
                    context.say("powercut: round %d: %s", round, failures.getLast());
                    everReported.removeIf(seq -> !present.contains(seq)); // counted once
                } else {
                    long lostNow = everReported.stream().filter(seq -> seq > last).count();
                    if (lostNow > 0) {
                        lost += lostNow;
                        failures.add("round " + round + ": " + lostNow + " events reported as committed are beyond seq " + last);
                        everReported.removeIf(seq -> seq > last);
                    }
                }
                // Older rounds are covered by the whole-table check above; only the newest few stay to be re-checked.
                everReported.removeIf(seq -> seq <= last - 10_000);
                lastSeq = last;
                for (String v : checks.check(db, round, reports.released(), reports.applied(), served)) {
                    context.say("powercut: round %d: %s", round, v);
                }
            } catch (RuntimeException e) {
                failures.add("round " + round + ": the journal did not open: " + e.getMessage());
                context.say("powercut: round %d: the journal did not open: %s", round, e.getMessage());
                break;
            }
            if (round % 10 == 0) {
                context.say("powercut: %d of %d kills, %,d events journaled", round, rounds, lastSeq);
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kills", rounds);
        d.put("journal_opened", opened);
        d.put("events_reported", reportedTotal);
        d.put("events_in_journal", lastSeq);
        d.put("lost", lost);
        d.put("gaps", gaps);
        d.put("counter_behind", counterBehind);
        d.put("child_ready_ms_p50", readyMillis.stream().sorted().skip(readyMillis.size() / 2).findFirst().orElse(0L));
        if (!failures.isEmpty()) {
            d.put("failures", failures.subList(0, Math.min(5, failures.size())));
        }
        d.put("measured", "SIGKILL of a child running the demo gateway, journaling from three threads (appends waited for"
                + " one by one, ten per transaction, handed in to the group commit) with a disk sync every 5 ms, while it"
                + " holds, releases and charges print jobs and syncs a linked calendar, at a random instant 0-"
                + KILL_WITHIN_MS + " ms after it reported a commit of each; then open the journal and compare");
        Map<String, Object> opens = new LinkedHashMap<>(d);
        opens.remove("measured");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kills", rounds);
        p.put("jobs_reported", jobsReported);
        p.put("lost", checks.printLost());
        p.put("violations", checks.printViolations());
        p.putAll(checks.printState());
        if (!checks.printFailures().isEmpty()) {
            p.put("failures", checks.printFailures().subList(0, Math.min(5, checks.printFailures().size())));
        }
        p.put("measured", "after each kill: every job the child was told released is charged; each job's state, its"
                + " ledger postings (charge, refund) and its events agree; each balance is the sum of its postings");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kills", rounds);
        c.put("syncs_reported", syncsReported);
        c.put("generations_served", served);
        c.put("lost", checks.calendarLost());
        c.put("violations", checks.calendarViolations());
        c.putAll(checks.calendarState());
        if (!checks.calendarFailures().isEmpty()) {
            c.put("failures", checks.calendarFailures().subList(0, Math.min(5, checks.calendarFailures().size())));
        }
        c.put("measured", "after each kill: " + PowerCutCalendar.ROOM + "'s calendar slots are one whole generation of"
                + " its feed, not older than the last sync the child was told of; each slot's booking is live at its"
                + " time; each booking has its booking.created (and booking.released) event and each event its booking");
        return List.of(
                new Result("powercut.lost", lost, "events", Target.atMost(0), d),
                new Result("powercut.opened", opened, "of " + rounds, Target.atLeast(rounds), opens),
                new Result("powercut.print", checks.printViolations(), "violations", Target.atMost(0), p),
                new Result("powercut.calendar", checks.calendarViolations(), "violations", Target.atMost(0), c));
    }

    /**
     * Records the classes a child loads in an archive that every later child maps instead of loading
     * them again: a third of the start-up time. Only possible when the class path is all jars (the
     * launcher's), so skipped otherwise.
     */
    private static void archiveClasses(BenchContext context, List<String> options) throws InterruptedException {
        boolean allJars = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .allMatch(p -> p.endsWith(".jar"));
        if (!allJars) {
            return;
        }
        Path archive = context.directory("powercut-cds").resolve("child.jsa");
        List<String> recording = new ArrayList<>(options);
        recording.add("-XX:ArchiveClassesAtExit=" + archive);
        Process p = ChildJvm.start(ChildJvm.of(recording, PowerCutChild.class, archive.resolveSibling("db").toString(), "--once")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && java.nio.file.Files.exists(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        } else {
            p.destroyForcibly();
            context.say("powercut: no class-data archive for the children; they start slower");
        }
    }

    /**
     * What a child reported: the seqs it was told were committed, the print jobs it was told were released and
     * charged, how many syncs replied, the newest generation synced (-1: none) and the newest it served.
     */
    record Reports(Set<Long> seqs, List<Integer> released, int syncs, long applied, long served, long readyMillis) { }

    /** Where the latest child's standard error goes (a failing child's stack trace). */
    private static Path childErrors(Path dir) {
        return dir.resolveSibling("powercut-child.err");
    }

    /** One child, killed at a random moment once it has reported a commit of each kind; returns what it reported. */
    private static Reports killOnce(List<String> options, Path dir, Random random, int round, Instant anchor, long served)
            throws Exception {
        Process child = ChildJvm.start(ChildJvm.of(options, PowerCutChild.class, dir.toString(),
                        "--anchor", Long.toString(anchor.getEpochSecond()), "--calendar-from", Long.toString(served))
                .redirectError(ProcessBuilder.Redirect.to(childErrors(dir).toFile())));
        Set<Long> reported = new HashSet<>();
        List<Integer> released = new ArrayList<>();
        long[] calendar = {0, -1, served}; // syncs, applied, served
        CountDownLatch journaled = new CountDownLatch(1);
        CountDownLatch printed = new CountDownLatch(1);
        CountDownLatch synced = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    String[] words = line.strip().split(" ");
                    synchronized (reported) {
                        if (words.length == 1 && !words[0].isEmpty() && words[0].chars().allMatch(Character::isDigit)) {
                            reported.add(Long.parseLong(words[0]));
                            journaled.countDown();
                        } else if (words.length == 2 && words[0].equals("print")) {
                            released.add(Integer.parseInt(words[1]));
                            printed.countDown();
                        } else if (words.length == 2 && words[0].equals("calendar")) {
                            calendar[0]++;
                            calendar[1] = Math.max(calendar[1], Long.parseLong(words[1]));
                            synced.countDown();
                        } else if (words.length == 2 && words[0].equals("serving")) {
                            calendar[2] = Math.max(calendar[2], Long.parseLong(words[1]));
                        } // anything else is a library's chatter
                    }
                }
            } catch (Exception e) {
                // the pipe ends with the child
            }
        });
        long started = System.nanoTime();
        long ready;
        try {
            long deadline = started + TimeUnit.MILLISECONDS.toNanos(FIRST_EVENT_MS);
            for (CountDownLatch first : List.of(journaled, printed, synced)) {
                if (!first.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    String what = child.isAlive() ? "within " + FIRST_EVENT_MS / 1000 + " s" : "before it ended by itself (exit "
                            + child.exitValue() + ")";
                    throw new BenchException("round " + round + ": the child did not journal, release a print job and sync"
                            + " its calendar " + what + "; its errors are in " + childErrors(dir));
                }
            }
            ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Pause.millis(random.nextInt(KILL_WITHIN_MS));
            if (!child.isAlive()) {
                throw new BenchException("round " + round + ": the child ended by itself (exit " + child.exitValue()
                        + "); its errors are in " + childErrors(dir));
            }
            child.toHandle().destroyForcibly(); // SIGKILL
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                throw new BenchException("round " + round + ": the killed child did not end");
            }
            reader.join(10_000);
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        synchronized (reported) {
            return new Reports(new HashSet<>(reported), List.copyOf(released), (int) calendar[0], calendar[1], calendar[2],
                    ready);
        }
    }
}
