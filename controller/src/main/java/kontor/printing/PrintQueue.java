package kontor.printing;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import kontor.members.PasswordHash;
import kontor.core.CommandMembers;
import kontor.core.MemberDetails;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.core.TapDecision;
import kontor.device.PrintEngine;
import kontor.http.HttpRoutes;
import kontor.members.Member;
import kontor.money.InsufficientFundsException;
import kontor.money.Ledger;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.site.PrinterSpec;
import kontor.store.PrivateFiles;
import kontor.store.Tx;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The held print queue: visitors print to the gateway over IPP ({@link IppQueueHandler} at {@code /ipp/print}),
 * each job is held (spooled, nothing charged), and a tap at a printer's release reader sends the member's held
 * jobs there, oldest first, each charged per page in the same transaction that marks it released.
 *
 * <p>Exactly once: a job moves {@code held → releasing} together with its charge (ledger key {@code print:<job>}),
 * so a job is charged and sent at most once. Talking to the printer happens on a thread of its own, never the
 * site thread; what the printer reports settles the job ({@code completed}, or {@code failed} with the
 * unprinted pages refunded under {@code print-refund:<job>}). After a restart, a job the printer had taken is
 * settled from the printer's own job state (found by its name {@code kontor-<job>} when its id was not stored yet);
 * one the printer does not have is refunded in full and never sent again. A printer that does not answer then is
 * asked again for a few minutes before the job is refunded.
 *
 * <p>The spool holds each document as {@code job-<id>} (mode 600) from the moment its row exists until the
 * printer has it, the job expires or is cancelled. Document names stay in the database for their owner's print
 * dialog: no event, state or reply carries them.
 */
public final class PrintQueue implements SiteService, HttpRoutes, MemberDetails {
    private static final Logger log = LoggerFactory.getLogger(PrintQueue.class);

    /** The ledger kinds of a print charge and of the refund of unprinted pages. */
    public static final String PRINT = "print";
    public static final String PRINT_REFUND = "print_refund";
    /** How often a released job's state is asked of the printer, and how many failed asks settle it as printed. */
    static final Duration FOLLOW_EVERY = Duration.ofSeconds(2);
    static final int FOLLOW_GIVE_UP = 150;
    /**
     * After a restart, how long (site time) a printer that does not answer is asked again for a job it may have
     * taken before the job is refunded, and the first and longest wait between the asks.
     */
    static final Duration RECOVER_FOR = Duration.ofMinutes(5);
    static final Duration RECOVER_FIRST_WAIT = Duration.ofSeconds(5);
    static final Duration RECOVER_MOST_WAIT = Duration.ofMinutes(1);
    private static final Pattern PRINT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SiteContext site;
    private final Ledger ledger;
    private final PrintStore store = new PrintStore();
    private final Path spool;
    private final Map<String, PrinterSpec> byId = new LinkedHashMap<>();
    private final Map<String, PrinterSpec> byReader = new HashMap<>();
    private final Map<String, PrintEngine> engines = new HashMap<>();
    /** The printers' side: submitting and following jobs, on one thread of its own, in release order. */
    private final ScheduledThreadPoolExecutor io;
    private final IppQueueHandler ipp;

    public PrintQueue(SiteContext site) {
        this(site, site.devices()::printEngine);
    }

    /** With the engines of the printers (tests may give their own). */
    public PrintQueue(SiteContext site, Function<PrinterSpec, PrintEngine> engineOf) {
        this.site = site;
        this.ledger = Ledger.of(site);
        this.spool = site.db().directory().resolve("print-spool");
        for (PrinterSpec spec : site.site().printers()) {
            if (spec.releases()) {
                byId.put(spec.id(), spec);
                byReader.put(spec.reader(), spec);
                engines.put(spec.id(), engineOf.apply(spec));
            }
        }
        io = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("print-release").unstarted(r));
        io.setRemoveOnCancelPolicy(true);
        ipp = new IppQueueHandler(new IppQueueHandler.Queue() {
            @Override
            public int hold(String member, Path incoming, String name, String format, boolean colour, int pages, long size)
                    throws IOException {
                return PrintQueue.this.hold(member, incoming, name, format, colour, pages, size);
            }

            @Override
            public boolean cancelByOwner(int job, String member) {
                return PrintQueue.this.cancelByOwner(job, member);
            }

            @Override
            public long spoolBytes() {
                return PrintQueue.this.spoolBytes();
            }

            @Override
            public void spoolFull(long bytes) {
                PrintQueue.this.spoolFull(bytes);
            }

            @Override
            public void lockedOut(String member, Instant until) {
                PrintQueue.this.lockedOut(member, until);
            }

            @Override
            public boolean colour() {
                return QueueIdentity.colour(site.site());
            }
        }, site, store, spool);
    }

    /** Whether {@code site} has a printer that releases held jobs, and so serves the queue. */
    public static boolean serves(kontor.site.Site site) {
        return site.printers().stream().anyMatch(PrinterSpec::releases);
    }

    /** Whether the site has a printer that releases held jobs (without one, the queue is not served). */
    public boolean enabled() {
        return !byId.isEmpty();
    }

    @Override
    public Map<String, Handler> httpRoutes() {
        return enabled() ? Map.of("/ipp", ipp) : Map.of();
    }

    @Override
    public void registerCommands(CommandServer server) {
        if (!enabled()) {
            return;
        }
        server.registerAsync("member.print_pin", this::pinCommand, "card", "member", "name");
        server.register("print.jobs", this::jobsCommand, "card", "member");
        server.register("print.cancel", this::cancelCommand, "job", "by");
        server.register("print.release", this::releaseCommand, "card", "member", "printer", "by");
    }

    @Override
    public void start() {
        if (!enabled()) {
            return;
        }
        try {
            PrivateFiles.createDirectory(spool);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the print spool " + spool + ": " + e.getMessage(), e);
        }
        removeOrphans();
        for (PrintJob job : site.db().read(tx -> store.withStatus(tx, PrintJob.RELEASING))) {
            if (job.printerJob() == null) {
                recover(job);
            } else {
                follow(job.id(), job.printer(), job.printerJob(), 0);
            }
        }
        byReader.keySet().forEach(reader -> site.taps().decideAt(reader, this::decide));
        expire(false);
        site.clock().every(Duration.ofMinutes(1), () -> expire(false));
        publishHeld();
    }

    @Override
    public void onClosed() {
        if (enabled()) {
            expire(true);
        }
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        if (!enabled()) {
            return;
        }
        site.db().read(tx -> store.printName(tx, member.id())).ifPresent(name -> result.put("print_name", name));
        result.put("print_jobs", site.db().read(tx -> store.ofMember(tx, member.id(), true)).stream()
                .map(j -> (Object) view(j)).toList());
    }

    /** Stops following printers (the gateway is going down; a job in progress is settled after the restart). */
    public void close() {
        io.shutdownNow();
        engines.values().forEach(e -> {
            if (e instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ex) {
                    log.debug("closing a print engine: {}", ex.toString());
                }
            }
        });
    }

    // ---- holding (called by the IPP handler, from an HTTP thread)

    /**
     * Holds a spooled document for {@code member}: stores the job and moves {@code incoming} to its spool name,
     * on the site thread, and returns its job id. The file is the job's from then on.
     */
    int hold(String member, Path incoming, String name, String format, boolean colour, int pages, long size)
            throws IOException {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        site.clock().execute(() -> {
            try {
                int id = site.db().inTransaction(tx -> {
                    int job = store.insert(tx, member, name, format, colour, pages, size, site.clock().now());
                    try {
                        Files.move(incoming, spoolFile(job));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    site.events().emit(tx, "print.job_held", null, fields("member", member, "job", job, "pages", pages,
                            "size", size, "colour", colour));
                    return job;
                });
                publishHeld();
                done.complete(id);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("the job could not be stored: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the site did not store the job in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Cancels a held job of its owner (Cancel-Job); false when it is not held (any more). */
    boolean cancelByOwner(int job, String member) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        site.clock().execute(() -> {
            try {
                done.complete(cancel(job, member, null));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Could not cancel print job {}: {}", job, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path spoolFile(int job) {
        return spool.resolve("job-" + job);
    }

    /** Bytes the spool holds now (documents held or on their way to a printer, and uploads under way). */
    long spoolBytes() {
        try (var files = Files.list(spool)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Raises {@code print.spool_full} (once) when a job was refused because the spool is full. */
    void spoolFull(long bytes) {
        site.clock().execute(() -> {
            if (!site.alarms().isActive("print.spool_full", "print-queue")) {
                site.alarms().raise("print.spool_full", "print-queue", fields("bytes", bytes,
                        "limit", site.site().policy().printSpoolMaxBytes()));
            }
        });
    }

    /** Raises {@code print.locked_out} when a print name is locked out after too many wrong PINs. */
    void lockedOut(String member, Instant until) {
        site.clock().execute(() -> {
            site.events().emit("print.locked_out", null, fields("member", member, "until", until));
            if (!site.alarms().isActive("print.locked_out", "print-queue")) {
                site.alarms().raise("print.locked_out", "print-queue", fields("member", member, "until", until));
                site.clock().schedule(Duration.between(site.clock().now(), until).plusSeconds(1),
                        () -> site.alarms().clear("print.locked_out", "print-queue"));
            }
        });
    }

    // ---- releasing

    private TapDecision decide(String reader, Member member, String maskedCard) {
        PrinterSpec printer = byReader.get(reader);
        List<PrintJob> held = site.db().read(tx -> store.ofMember(tx, member.id(), true)).stream()
                .filter(PrintJob::held).toList();
        if (held.isEmpty()) {
            return TapDecision.deny("no_print_jobs");
        }
        List<PrintJob> affordable = affordable(printer, member.id(), held);
        if (affordable.isEmpty()) {
            return TapDecision.deny("insufficient_funds");
        }
        return TapDecision.grant(fields("printer", printer.id(), "action", "release", "jobs", affordable.size()),
                () -> release(printer, affordable));
    }

    /** The oldest held jobs the balance pays for, in order, up to the first it does not. */
    private List<PrintJob> affordable(PrinterSpec printer, String member, List<PrintJob> held) {
        long left = ledger.balance(member) + ledger.creditLimit();
        List<PrintJob> out = new ArrayList<>();
        for (PrintJob job : held) {
            long price = price(printer, job);
            if (price > left) {
                break;
            }
            left -= price;
            out.add(job);
        }
        return out;
    }

    private static long price(PrinterSpec printer, PrintJob job) {
        return printer.pagePrice(job.colour()) * job.pages();
    }

    /** Marks each job released with its charge, then hands it to the printer's thread; stops at one it cannot pay. */
    private List<Integer> release(PrinterSpec printer, List<PrintJob> jobs) {
        List<Integer> released = new ArrayList<>();
        for (PrintJob job : jobs) {
            long amount = price(printer, job);
            boolean moved;
            try {
                moved = site.db().inTransaction(tx -> {
                    if (!store.move(tx, job.id(), PrintJob.HELD, PrintJob.RELEASING, printer.id(), amount, null, null)) {
                        return false;
                    }
                    if (amount > 0) {
                        ledger.charge(tx, job.member(), amount, PRINT, "print:" + job.id(), printer.id(),
                                fields("job", job.id(), "pages", job.pages()));
                    }
                    site.events().emit(tx, "print.job_released", printer.id(), fields("member", job.member(),
                            "job", job.id(), "pages", job.pages(), "amount", amount, "colour", job.colour()));
                    return true;
                });
            } catch (InsufficientFundsException e) {
                break;
            }
            if (moved) {
                released.add(job.id());
                submit(job, printer);
            }
        }
        publishHeld();
        return released;
    }

    /** On the printer's thread: sends the document, records the printer's job id, deletes the spool file. */
    private void submit(PrintJob job, PrinterSpec printer) {
        io.execute(() -> {
            PrintEngine engine = engines.get(printer.id());
            int printerJob;
            try {
                printerJob = engine.submit(spoolFile(job.id()), job.format(), jobName(job.id()), "kontor");
            } catch (IOException | RuntimeException e) {
                log.warn("Printer {} did not take print job {}: {}", printer.id(), job.id(), e.getMessage());
                onSite(() -> settle(job.id(), new PrintEngine.JobState("aborted", 0), "printer_refused"));
                return;
            }
            onSite(() -> site.db().inTransaction(tx -> {
                store.printerJob(tx, job.id(), printerJob);
                return null;
            }));
            deleteSpool(job.id());
            follow(job.id(), printer.id(), printerJob, 0);
        });
    }

    /**
     * A job released before a stop that came between sending it and storing the printer's job id: the printer is
     * asked for it by its name ({@code kontor-<id>}). Found, it is followed and settled like any other. When the
     * printer answers without it (or with two of that name), it is refunded in full and never sent again (it may
     * not have reached the printer, and a second copy would be printed twice). A printer that does not answer (it
     * is often still starting after the power cut that stopped the gateway) is asked again, each wait twice the
     * last, for {@link #RECOVER_FOR} of site time; only then is the job refunded.
     */
    private void recover(PrintJob job) {
        recover(job, site.clock().now().plus(RECOVER_FOR), RECOVER_FIRST_WAIT);
    }

    private void recover(PrintJob job, Instant until, Duration wait) {
        try {
            io.execute(() -> {
                java.util.OptionalInt found;
                try {
                    PrintEngine engine = engines.get(job.printer());
                    found = engine == null ? java.util.OptionalInt.empty() : engine.find(jobName(job.id()));
                } catch (IOException | RuntimeException e) {
                    onSite(() -> {
                        if (site.clock().now().isBefore(until)) {
                            log.info("Printer {} does not answer (yet) whether it has print job {}: asking again in {}",
                                    job.printer(), job.id(), wait);
                            Duration next = wait.multipliedBy(2);
                            site.clock().schedule(wait, () -> recover(job, until,
                                    next.compareTo(RECOVER_MOST_WAIT) > 0 ? RECOVER_MOST_WAIT : next));
                        } else {
                            log.warn("Printer {} did not say within {} whether it has print job {}: refunded",
                                    job.printer(), RECOVER_FOR, job.id());
                            settle(job.id(), new PrintEngine.JobState("aborted", 0), "restart");
                        }
                    });
                    return;
                }
                if (found.isPresent()) {
                    int printerJob = found.getAsInt();
                    onSite(() -> site.db().inTransaction(tx -> {
                        store.printerJob(tx, job.id(), printerJob);
                        return null;
                    }));
                    deleteSpool(job.id());
                    follow(job.id(), job.printer(), printerJob, 0);
                } else {
                    log.warn("Printer {} does not have print job {} (or has two of its name): refunded",
                            job.printer(), job.id());
                    onSite(() -> settle(job.id(), new PrintEngine.JobState("aborted", 0), "restart"));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Print queue stopped before print job {} was recovered", job.id());
        }
    }

    private static String jobName(int job) {
        return "kontor-" + job;
    }

    /** Asks the printer for the job's state until it is over, then settles it on the site thread. */
    private void follow(int job, String printer, int printerJob, int failures) {
        Runnable ask = () -> {
            PrintEngine engine = engines.get(printer);
            PrintEngine.JobState state;
            try {
                state = engine == null ? null : engine.job(printerJob, jobName(job));
            } catch (PrintEngine.JobGone gone) {
                // The printer restarted and lost it: what it printed before is unknown; the visitor is not charged.
                log.warn("Printer {} no longer has print job {} ({}): refunded", printer, job, gone.getMessage());
                onSite(() -> settle(job, new PrintEngine.JobState("aborted", 0), "printer_lost"));
                return;
            } catch (IOException | RuntimeException e) {
                if (failures + 1 >= FOLLOW_GIVE_UP) {
                    // The printer took it and can no longer say: it is taken as printed (it was paid at release).
                    log.warn("Printer {} cannot say what became of print job {}: settled as printed", printer, job);
                    onSite(() -> settle(job, new PrintEngine.JobState("completed", -1), "printer_silent"));
                } else {
                    follow(job, printer, printerJob, failures + 1);
                }
                return;
            }
            if (state == null || state.terminal()) {
                PrintEngine.JobState s = state == null ? new PrintEngine.JobState("completed", -1) : state;
                onSite(() -> settle(job, s, null));
            } else {
                follow(job, printer, printerJob, 0);
            }
        };
        try {
            if (failures == 0 && printerJob >= 0) {
                io.schedule(ask, FOLLOW_EVERY.toMillis() / 4, TimeUnit.MILLISECONDS);
            } else {
                io.schedule(ask, FOLLOW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Print queue stopped while following job {}", job);
        }
    }

    /**
     * Settles a released job from the printer's word: completed, it keeps its charge; aborted or canceled, it is
     * charged only for the impressions the printer completed and the rest is refunded. Once only.
     */
    void settle(int id, PrintEngine.JobState state, String reason) {
        PrintJob job = site.db().read(tx -> store.job(tx, id)).orElse(null);
        if (job == null || !job.releasing()) {
            return;
        }
        long amount = job.amount() == null ? 0 : job.amount();
        boolean completed = state.state().equals("completed");
        int printed = completed ? job.pages() : Math.max(0, Math.min(job.pages(), state.impressionsCompleted()));
        long charged = job.pages() == 0 ? 0 : amount / job.pages() * printed;
        long refund = amount - charged;
        site.db().inTransaction(tx -> {
            if (!store.move(tx, id, PrintJob.RELEASING, completed ? PrintJob.COMPLETED : PrintJob.FAILED, null, charged,
                    printed, site.clock().now())) {
                return null;
            }
            if (refund > 0) {
                ledger.credit(tx, job.member(), refund, PRINT_REFUND, "print-refund:" + id, job.printer(),
                        fields("job", id, "pages", job.pages() - printed));
            }
            if (completed) {
                site.events().emit(tx, "print.job_completed", job.printer(), fields("member", job.member(), "job", id,
                        "pages", printed, "amount", charged));
            } else {
                site.events().emit(tx, "print.job_failed", job.printer(), fields("member", job.member(), "job", id,
                        "pages", printed, "amount", charged, "refund", refund,
                        "reason", reason != null ? reason : state.state()));
            }
            return null;
        });
        deleteSpool(id);
    }

    // ---- expiry and cancelling

    /** Held jobs older than policy.print_hold expire; at closing every held job does. Nothing is charged. */
    private void expire(boolean closing) {
        Instant before = site.clock().now().minus(site.site().policy().printHold());
        boolean any = false;
        for (PrintJob job : site.db().read(tx -> store.withStatus(tx, PrintJob.HELD))) {
            if (closing || !job.created().isAfter(before)) {
                any |= end(job, PrintJob.EXPIRED, "print.job_expired", fields("member", job.member(), "job", job.id(),
                        "pages", job.pages(), "reason", closing ? "closing" : "hold"));
            }
        }
        if (any) {
            publishHeld();
        }
    }

    /** Cancels a held job; {@code member} non-null: only if it is theirs. */
    private boolean cancel(int id, String member, String by) {
        PrintJob job = site.db().read(tx -> store.job(tx, id)).orElse(null);
        if (job == null || !job.held() || (member != null && !job.member().equals(member))) {
            return false;
        }
        boolean done = end(job, PrintJob.CANCELLED, "print.job_cancelled", fields("member", job.member(), "job", id,
                "pages", job.pages(), "by", by));
        publishHeld();
        return done;
    }

    private boolean end(PrintJob job, String status, String event, Map<String, Object> detail) {
        boolean moved = site.db().inTransaction(tx -> {
            if (!store.move(tx, job.id(), PrintJob.HELD, status, null, null, null, site.clock().now())) {
                return false;
            }
            site.events().emit(tx, event, null, detail);
            return true;
        });
        if (moved) {
            deleteSpool(job.id());
        }
        return moved;
    }

    private void deleteSpool(int job) {
        try {
            Files.deleteIfExists(spoolFile(job));
        } catch (IOException e) {
            log.warn("Could not delete the spool file of print job {}: {}", job, e.toString());
        }
    }

    /** Uploads a crash cut short, and documents whose job is no longer held or on its way (their row says so). */
    private void removeOrphans() {
        try (var files = Files.list(spool)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                boolean keep = false;
                if (name.startsWith("job-")) {
                    try {
                        int id = Integer.parseInt(name.substring(4));
                        keep = site.db().read(tx -> store.job(tx, id)).map(j -> !j.done()).orElse(false);
                    } catch (NumberFormatException e) {
                        keep = false;
                    }
                }
                if (!keep) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            log.warn("Could not tidy the print spool: {}", e.toString());
        }
    }

    /** Every releasing printer's retained state carries the queue's length: {@code held}. */
    private void publishHeld() {
        int held = site.db().read(tx -> store.count(tx, PrintJob.HELD));
        byId.keySet().forEach(id -> site.devices().update(id, "held", held));
        if (site.alarms().isActive("print.spool_full", "print-queue")
                && spoolBytes() < site.site().policy().printSpoolMaxBytes() / 10 * 9) {
            site.alarms().clear("print.spool_full", "print-queue");
        }
    }

    private void onSite(Runnable work) {
        try {
            site.clock().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("The print queue failed", e);
                }
            });
        } catch (RuntimeException e) {
            log.debug("Site gone before the print queue's answer: {}", e.toString());
        }
    }

    // ---- log-ins

    /** Sets a member's print name and PIN (hashed); false when the name is another member's. */
    public boolean setLogin(String member, String name, String pin) {
        return setLogin(site.db(), member, name, pin);
    }

    /** As above, on a site's database (the demo gives its visitor a known print log-in this way). */
    public static boolean setLogin(kontor.store.Database db, String member, String name, String pin) {
        String hash = PasswordHash.hash(pin.toCharArray());
        return db.inTransaction(tx -> new PrintStore().setLogin(tx, member, name, hash));
    }

    // ---- commands

    /**
     * A new PIN for a member. Hashing it (Argon2id) takes about 0.1 s: that happens on the queue's own thread, never
     * on the site thread, whose doors must not wait for it. Not remembered by request id, so that no reply holding
     * a PIN is ever stored: a repeated request sets another PIN.
     */
    private java.util.concurrent.CompletableFuture<JsonNode> pinCommand(CommandRequest r) throws CommandException {
        Member member = CommandMembers.member(site.members(), r);
        String name = r.requireText("name");
        if (!PRINT_NAME.matcher(name).matches()) {
            throw CommandException.badRequest("field 'name' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String by = CommandMembers.by(r);
        String pin = String.format("%06d", RANDOM.nextInt(1_000_000));
        // Hashed on a thread of its own, not on io: io also talks to printers, and one that does not answer would
        // hold a host's PIN request past the console's wait, which would then set a PIN nobody saw.
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> PasswordHash.hash(pin.toCharArray()),
                        task -> Thread.ofVirtual().name("print-pin").start(task))
                .thenApplyAsync(hash -> {
                    if (!site.db().inTransaction(tx -> store.setLogin(tx, member.id(), name, hash))) {
                        throw new java.util.concurrent.CompletionException(
                                CommandException.conflict("the print name '" + name + "' is another member's"));
                    }
                    site.events().emit("member.print_pin_set", null, fields("member", member.id(), "by", by));
                    // The PIN is in this reply only: it is stored as a salted hash and never journaled.
                    return Json.node(fields("member", member.id(), "name", name, "pin", pin));
                }, site.clock()::execute);
    }

    /** The most jobs {@code print.jobs} lists for the whole queue: a reply stays one small message. */
    static final int QUEUE_PAGE = 200;

    /** A member's jobs not yet done; with neither card nor member, the whole queue's, oldest first, each with its member. */
    private JsonNode jobsCommand(CommandRequest r) throws CommandException {
        if (!r.body().hasNonNull("card") && !r.body().hasNonNull("member")) {
            List<PrintJob> queue = site.db().read(tx -> store.notDone(tx, QUEUE_PAGE + 1));
            List<Object> jobs = queue.stream().limit(QUEUE_PAGE).map(j -> {
                Map<String, Object> v = view(j);
                v.put("member", j.member());
                return (Object) v;
            }).toList();
            return Json.node(fields("jobs", jobs, "more", queue.size() > QUEUE_PAGE));
        }
        Member member = CommandMembers.member(site.members(), r);
        List<Object> jobs = site.db().read(tx -> store.ofMember(tx, member.id(), true)).stream()
                .map(j -> (Object) view(j)).toList();
        return Json.node(fields("member", member.id(), "jobs", jobs));
    }

    private JsonNode cancelCommand(CommandRequest r) throws CommandException {
        long id = r.requirePositiveLong("job");
        String by = CommandMembers.by(r);
        PrintJob job = id > Integer.MAX_VALUE ? null : site.db().read(tx -> store.job(tx, (int) id)).orElse(null);
        if (job == null) {
            throw CommandException.notFound("no print job " + id);
        }
        if (!cancel(job.id(), null, by)) {
            throw CommandException.conflict("print job " + id + " is " + job.status() + ", not held");
        }
        return Json.node(fields("job", job.id(), "status", PrintJob.CANCELLED));
    }

    private JsonNode releaseCommand(CommandRequest r) throws CommandException {
        Member member = CommandMembers.member(site.members(), r);
        String printerId = r.requireText("printer");
        PrinterSpec printer = byId.get(printerId);
        if (printer == null) {
            throw CommandException.notFound("no printer called '" + printerId + "' releases the print queue");
        }
        String by = CommandMembers.by(r);
        List<PrintJob> held = site.db().read(tx -> store.ofMember(tx, member.id(), true)).stream()
                .filter(PrintJob::held).toList();
        if (held.isEmpty()) {
            throw CommandException.conflict("the member has no held print jobs");
        }
        List<PrintJob> affordable = affordable(printer, member.id(), held);
        if (affordable.isEmpty()) {
            throw new CommandException(CommandException.INSUFFICIENT_FUNDS, "the balance does not pay for the oldest held job");
        }
        List<Integer> released = release(printer, affordable);
        log.info("Print jobs {} released at {} on a member's behalf{}", released, printer.id(), by == null ? "" : " by " + by);
        List<Integer> still = held.stream().map(PrintJob::id).filter(id -> !released.contains(id)).toList();
        return Json.node(fields("printer", printer.id(), "released", released, "held", still));
    }

    /** A job as hosts see it: never its name. */
    private Map<String, Object> view(PrintJob j) {
        return fields("job", j.id(), "status", j.status(), "pages", j.pages(), "size", j.size(), "colour", j.colour(),
                "created", site.events().time(j.created()), "printer", j.printer(), "amount", j.amount());
    }
}
