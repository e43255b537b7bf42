package kontor.calendars;

import static kontor.core.Events.fields;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import kontor.calendars.CalendarTarget.Booked;
import kontor.calendars.CalendarTarget.Held;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.site.CalendarSpec;
import kontor.store.SqlTime;
import kontor.store.StoreException;
import kontor.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms and loan computers linked to the calendars people already book in (docs/rooms-and-entrance.md, "Linked
 * calendars"; docs/loan-computers.md, "Booking by calendar"). One engine for every {@link CalendarTarget}.
 *
 * <p>Every {@code poll} a worker thread of its own reads each linked calendar (a published iCalendar feed, or a
 * CalDAV collection); the site thread then turns what it read into bookings, and for CalDAV the worker writes
 * back what happened at the door. The last synced state is in the {@code calendar_slots} table next to the
 * bookings, so a calendar server that is down or slow changes nothing at the door: it only raises
 * {@code calendar.unreachable}; one read but not applied here (a database error) raises
 * {@code calendar.apply_failed}. Nothing here waits for the network on the site thread.
 *
 * <p>The rules, one per conflict (each tested in {@code RoomCalendarsRadicaleTest} and
 * {@code LoanCalendarsRadicaleTest}):
 * <ol>
 *   <li>An event names its booker by an e-mail address (ORGANIZER, then ATTENDEE) of a member, or by a booking
 *       code (the member id, e.g. {@code Kontor: m-…}); an event that names no member still books its target.
 *       A member the target's own booking command would refuse ({@link CalendarTarget#refuses}: a loan's member
 *       revoked or not valid until the end) books nothing; the event is flagged as in rule 2, saying why.</li>
 *   <li>An event over a booking made at the door or by command: that booking keeps the target; the event is
 *       flagged ({@code calendar.conflict}, event and alarm) and booked as soon as the target is free for it.</li>
 *   <li>An event first booked after it started is booked from that moment, so its no-show time counts from then.</li>
 *   <li>An event cancelled (STATUS:CANCELLED) or removed in the calendar releases its booking ({@code cancelled});
 *       an event moved in the calendar moves its booking (booked anew if it no longer fits where it was).</li>
 *   <li>A booking Kontor released (no-show, vacant) stays released, whatever the calendar still says; Kontor
 *       cancels the event in the calendar (CalDAV) and tries again at each sync until it is written.</li>
 *   <li>Overlapping events of the calendar itself are all booked where the target can hold them (a room can; a
 *       laptop is lent to one member at a time, so a bank books each on another computer, then flags).</li>
 *   <li>A write refused because the event changed meanwhile (ETag) is tried again on the new version.</li>
 * </ol>
 */
public final class Calendars implements SiteService {
    private static final Logger log = LoggerFactory.getLogger(Calendars.class);
    public static final String UNREACHABLE = "calendar.unreachable";
    public static final String CONFLICT = "calendar.conflict";
    /** Read, but what the calendar said could not be applied here (a database error, a fault of Kontor's). */
    public static final String APPLY_FAILED = "calendar.apply_failed";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Past slots are kept this long (a released booking is still explained), then forgotten. */
    private static final Duration KEEP = Duration.ofDays(7);

    private final SiteContext context;
    private final Executor worker;
    private final CalendarOccurrences expander;
    private final CalendarWriteBack writer;
    private final Map<String, Linked> linked = new LinkedHashMap<>();
    /** The sync running for a target (site thread only). */
    private final Map<String, CompletableFuture<Map<String, Object>>> running = new HashMap<>();

    /** One linked target: its spec, its client, and (CalDAV) whether its collection is known to exist. */
    private static final class Linked {
        final CalendarTarget target;
        final String id;
        final CalendarSpec spec;
        final IcsFeedClient feed;
        final CalDavClient caldav;
        final String setupProblem;
        volatile boolean collectionChecked;

        Linked(CalendarTarget target, IcsFeedClient feed, CalDavClient caldav, String setupProblem) {
            this.target = target;
            this.id = target.id();
            this.spec = target.calendar();
            this.feed = feed;
            this.caldav = caldav;
            this.setupProblem = setupProblem;
        }
    }

    /** What the worker read: the occurrences and (CalDAV) the resources they came from, by UID. */
    private record Read(List<CalendarOccurrence> occurrences, Map<String, CalDavClient.Resource> resources) { }

    /** Something to write back: a walk-up (new event), a check-in or a cancellation of one slot. */
    private record Write(Kind kind, String slot, String uid, Instant recurrenceId, String booking, Instant start,
                         Instant end, Instant at) {
        enum Kind { WALK_UP, CHECK_IN, CANCEL }
    }

    /** @param targets every room, bank and computer of the site with a {@code calendar:}; ids are unique */
    public Calendars(SiteContext context, List<CalendarTarget> targets) {
        this(context, targets, workerThread());
    }

    Calendars(SiteContext context, List<CalendarTarget> targets, Executor worker) {
        this.context = context;
        this.worker = worker;
        this.expander = new CalendarOccurrences(context.site().zone());
        this.writer = new CalendarWriteBack(context.site().zone());
        for (CalendarTarget t : targets) {
            linked.put(t.id(), link(t));
        }
    }

    /** One thread for every calendar: syncs are small and a slow server should cost only this thread time. */
    private static Executor workerThread() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("calendars").unstarted(r));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Linked link(CalendarTarget target) {
        CalendarSpec spec = target.calendar();
        String password = null;
        String problem = null;
        if (spec.passwordFile() != null) {
            try {
                password = readSecret(spec.passwordFile());
            } catch (IOException e) {
                problem = "password_file";
                log.error("{} {}: the calendar's password_file {} cannot be used: {}", target.kind(), target.id(),
                        spec.passwordFile(), e.getMessage());
            }
        }
        return spec.kind() == CalendarSpec.Kind.CALDAV
                ? new Linked(target, null, new CalDavClient(spec.url(), spec.username(), password, TIMEOUT), problem)
                : new Linked(target, new IcsFeedClient(spec.url(), spec.username(), password, TIMEOUT), null, problem);
    }

    /** A secret alone in a file that only its owner may read (mode 600 or stricter), as every secret of Kontor's. */
    static String readSecret(Path file) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : mode) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IOException("it may be read by others: make it mode 600 (chmod 600 " + file + ")");
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without modes: nothing to check
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IOException("it is empty");
        }
        return secret;
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.registerAsync("calendars.sync", r -> syncAll().thenApply(Json::node));
    }

    @Override
    public void start() {
        for (Linked l : linked.values()) {
            sync(l);
            context.clock().every(l.spec.poll(), () -> sync(l));
        }
    }

    /**
     * Syncs every linked calendar now. The result lists each room under {@code rooms} ({@code room}, {@code read},
     * {@code reason}, {@code written}) and each linked bank or computer likewise under {@code loans}.
     */
    CompletableFuture<Map<String, Object>> syncAll() {
        List<CompletableFuture<Map<String, Object>>> all = new ArrayList<>();
        for (Linked l : linked.values()) {
            CompletableFuture<Map<String, Object>> earlier = running.get(l.id);
            // A sync already under way may have read the calendar before the change the caller wants: one more.
            all.add(earlier == null ? sync(l) : earlier.handle((r, e) -> null)
                    .thenComposeAsync(x -> sync(l), context.clock()::execute));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<Object> rooms = new ArrayList<>();
            List<Object> loans = new ArrayList<>();
            for (CompletableFuture<Map<String, Object>> f : all) {
                Map<String, Object> r = f.join();
                (r.containsKey("room") ? rooms : loans).add(r);
            }
            return fields("rooms", rooms, "loans", loans);
        });
    }

    /** Starts one target's sync unless it is under way (site thread); the future completes on the site thread. */
    private CompletableFuture<Map<String, Object>> sync(Linked l) {
        String id = l.id;
        CompletableFuture<Map<String, Object>> under = running.get(id);
        if (under != null) {
            return under;
        }
        CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
        running.put(id, done);
        done.whenComplete((r, e) -> running.remove(id, done));
        Instant now = context.clock().now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(context.site().policy().bookingDaysAhead() + 1L));
        try {
            worker.execute(() -> {
                Read read;
                try {
                    read = read(l, from, to);
                } catch (IOException | CalendarOccurrences.BadCalendar | RuntimeException e) {
                    String reason = reason(e);
                    log.warn("{} {}: {} could not be read ({}): {}", l.target.kind(), id,
                            l.feed != null ? "the calendar feed" : "the CalDAV calendar", reason, e.getMessage());
                    onSite(l, done, false, () -> unreachable(l, reason));
                    return;
                }
                onSite(l, done, true, () -> {
                    reachable(l);
                    List<Write> writes = apply(l, read.occurrences(), from, to);
                    applied(l);
                    if (writes.isEmpty() || l.caldav == null) {
                        done.complete(result(l, true, null, 0));
                        return;
                    }
                    worker.execute(() -> {
                        List<Write> written = write(l, read.resources(), writes);
                        onSite(l, done, true, () -> {
                            recordWritten(l, written);
                            done.complete(result(l, true, null, written.size()));
                        });
                    });
                });
            });
        } catch (RuntimeException e) {
            done.complete(result(l, false, "shutting_down", 0));
        }
        return done;
    }

    /**
     * Runs {@code work} on the site thread. A failure there (a database error, a fault) raises
     * {@code calendar.apply_failed} and completes the sync with it, rather than never; {@code read}: whether the
     * calendar was read.
     */
    private void onSite(Linked l, CompletableFuture<Map<String, Object>> done, boolean read, Runnable work) {
        try {
            context.clock().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    if (context.db().isClosed()) {
                        done.complete(result(l, read, "shutting_down", 0)); // the gateway stops: nothing to tell
                        return;
                    }
                    applyFailed(l, e);
                    done.complete(result(l, read, "apply_failed", 0));
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /** Hosts are told, as of an unreachable calendar: the bookings stay as last applied until a sync applies again. */
    private void applyFailed(Linked l, RuntimeException e) {
        String reason = e instanceof StoreException ? "database" : "error";
        log.error("{} {}: what its calendar said could not be applied ({}); the bookings stay as last synced",
                l.target.kind(), l.id, reason, e);
        try {
            if (!context.alarms().isActive(APPLY_FAILED, l.id)) {
                context.events().emit(APPLY_FAILED, l.id, fields("reason", reason));
                context.alarms().raise(APPLY_FAILED, l.id, fields("reason", reason));
            }
        } catch (RuntimeException alsoFailed) {
            log.error("{} {}: could not raise {} either", l.target.kind(), l.id, APPLY_FAILED, alsoFailed);
        }
    }

    private void applied(Linked l) {
        if (context.alarms().isActive(APPLY_FAILED, l.id)) {
            context.alarms().clear(APPLY_FAILED, l.id);
        }
    }

    private static Map<String, Object> result(Linked l, boolean read, String reason, int written) {
        return fields(l.target.kind(), l.id, "read", read, "reason", reason, "written", written);
    }

    // --- the worker: reading and writing ----------------------------------------------------------

    private Read read(Linked l, Instant from, Instant to) throws IOException, CalendarOccurrences.BadCalendar {
        if (l.setupProblem != null) {
            throw new IOException(l.setupProblem);
        }
        if (l.feed != null) {
            return new Read(expander.expand(l.feed.fetch(), from, to), Map.of());
        }
        if (!l.collectionChecked) {
            if (l.caldav.createIfMissing()) {
                log.info("{} {}: created the calendar collection {}", l.target.kind(), l.id, l.caldav.collection());
            }
            l.collectionChecked = true;
        }
        List<CalendarOccurrence> out = new ArrayList<>();
        Map<String, CalDavClient.Resource> byUid = new HashMap<>();
        for (CalDavClient.Resource r : l.caldav.events(from, to)) {
            List<CalendarOccurrence> occurrences = expander.expand(r.icalendar(), from, to);
            out.addAll(occurrences);
            occurrences.forEach(o -> byUid.putIfAbsent(o.uid(), r));
        }
        return new Read(out, byUid);
    }

    /** Writes what it can; returns what was written. A refused write stays pending for the next sync. */
    private List<Write> write(Linked l, Map<String, CalDavClient.Resource> resources, List<Write> writes) {
        Map<String, CalDavClient.Resource> current = new HashMap<>(resources);
        List<Write> written = new ArrayList<>();
        Instant now = context.clock().now();
        for (Write w : writes) {
            try {
                if (w.kind() == Write.Kind.WALK_UP) {
                    l.caldav.put(l.caldav.resourceFor(w.uid()), writer.walkUp(w.uid(), w.booking(), w.start(), w.end(), now), null);
                } else {
                    CalDavClient.Resource r = current.get(w.uid());
                    if (r == null) {
                        continue; // gone from the calendar: nothing left to write to
                    }
                    String text = w.kind() == Write.Kind.CANCEL
                            ? writer.cancel(r.icalendar(), w.uid(), w.recurrenceId(), now)
                            : writer.checkIn(r.icalendar(), w.uid(), w.recurrenceId(), w.at(), now);
                    String etag = l.caldav.put(r.href(), text, r.etag());
                    if (etag == null) {
                        current.remove(w.uid()); // no ETag to guard the next write with: it waits for a fresh read
                    } else {
                        current.put(w.uid(), new CalDavClient.Resource(r.href(), etag, text));
                    }
                }
                written.add(w);
            } catch (IOException | CalendarOccurrences.BadCalendar | RuntimeException e) {
                log.warn("{} {}: could not write a {} back to the calendar ({}); trying again at the next sync",
                        l.target.kind(), l.id, w.kind().name().toLowerCase(Locale.ROOT), e.getMessage());
                current.remove(w.uid());
            }
        }
        return written;
    }

    private static String reason(Exception e) {
        if (e instanceof CalendarOccurrences.BadCalendar) {
            return "bad_calendar";
        }
        if (e instanceof CalDavClient.CalDavException h) {
            return "http_" + h.status();
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof BoundedBody.TooLarge) {
            return "too_large";
        }
        if ("password_file".equals(e.getMessage())) {
            return "password_file";
        }
        return e instanceof ConnectException || e instanceof IOException ? "unreachable" : "error";
    }

    // --- the site thread: calendar state into bookings --------------------------------------------

    private void unreachable(Linked l, String reason) {
        String id = l.id;
        if (!context.alarms().isActive(UNREACHABLE, id)) {
            context.events().emit(UNREACHABLE, id, fields("reason", reason));
            context.alarms().raise(UNREACHABLE, id, fields("reason", reason));
        }
        CompletableFuture<Map<String, Object>> done = running.get(id);
        if (done != null) {
            done.complete(result(l, false, reason, 0));
        }
    }

    private void reachable(Linked l) {
        String id = l.id;
        if (context.alarms().isActive(UNREACHABLE, id)) {
            context.alarms().clear(UNREACHABLE, id);
            context.events().emit("calendar.reachable", id);
        }
    }

    /**
     * One slot of a target's calendar as last synced (a row of calendar_slots). A change is a copy, written
     * whole by {@link #save}: the row and the copy in hand never differ.
     */
    private record Slot(String slot, String uid, Instant recurrenceId, Instant start, Instant end, String member,
                        String booking, boolean walkUp, String flagged, boolean checkedInWritten, boolean cancelWritten) {
        Slot withEvent(Instant newStart, Instant newEnd, String newMember) {
            return new Slot(slot, uid, recurrenceId, newStart, newEnd, newMember, booking, walkUp, flagged,
                    checkedInWritten, cancelWritten);
        }

        /** Booked, or (null) no longer: either way not flagged, until a booking that fails flags it again. */
        Slot withBooking(String id) {
            return new Slot(slot, uid, recurrenceId, start, end, member, id, walkUp, null, checkedInWritten,
                    cancelWritten);
        }

        Slot withFlag(String heldBy) {
            return new Slot(slot, uid, recurrenceId, start, end, member, booking, walkUp, heldBy, checkedInWritten,
                    cancelWritten);
        }

        Slot written(Write.Kind kind) {
            return new Slot(slot, uid, recurrenceId, start, end, member, booking, walkUp, flagged,
                    checkedInWritten || kind == Write.Kind.CHECK_IN, cancelWritten || kind == Write.Kind.CANCEL);
        }
    }

    /**
     * Brings the target's bookings in line with the calendar as just read, and returns what to write back.
     * One transaction: the door sees the calendar before or after, never half of it.
     */
    private List<Write> apply(Linked l, List<CalendarOccurrence> occurrences, Instant from, Instant to) {
        String id = l.id;
        CalendarTarget target = l.target;
        Instant now = SqlTime.stored(context.clock().now());
        List<Write> writes = context.db().inTransaction(tx -> {
            Map<String, Slot> slots = slots(tx, id);
            // Earliest first: where a target holds one booking at a time, the earlier event is booked first.
            Map<String, CalendarOccurrence> current = new LinkedHashMap<>();
            occurrences.stream().sorted(Comparator.comparing(CalendarOccurrence::start))
                    .forEach(o -> current.putIfAbsent(key(o.uid(), o.recurrenceId()), o));
            // Releases first, so that what they free is booked in this same sync.
            for (Slot slot : slots.values()) {
                if (current.containsKey(slot.slot())) {
                    continue;
                }
                // Gone from the calendar: the event was removed.
                if (slot.end().isBefore(now.minus(KEEP))) {
                    delete(tx, id, slot.slot());
                } else if (!slot.walkUp() && slot.end().isAfter(now) && slot.start().isBefore(to) && slot.end().isAfter(from)) {
                    release(tx, target, slot, "cancelled");
                    delete(tx, id, slot.slot());
                }
            }
            for (Map.Entry<String, CalendarOccurrence> e : current.entrySet()) {
                Slot slot = slots.get(e.getKey());
                if (e.getValue().cancelled() && e.getValue().end().isAfter(now) && slot != null && !slot.walkUp()) {
                    release(tx, target, slot, "cancelled");
                    delete(tx, id, e.getKey());
                }
            }
            for (Map.Entry<String, CalendarOccurrence> e : current.entrySet()) {
                String key = e.getKey();
                CalendarOccurrence o = e.getValue();
                Slot slot = slots.get(key);
                if (slot != null && slot.walkUp()) {
                    continue; // our own walk-up, read back
                }
                if (slot == null && ownWalkUp(tx, target, o)) {
                    continue; // our own walk-up too, though its write was not recorded: recorded now
                }
                if (!o.end().isAfter(now) || o.cancelled()) {
                    continue; // over (the past is not re-booked), or cancelled (released above)
                }
                Optional<Member> named = named(tx, o);
                String member = named.filter(m -> !m.revoked()).map(Member::id).orElse(null);
                String refused = named.map(m -> target.refuses(m, o.end())).orElse(null);
                if (slot == null) {
                    slot = new Slot(key, o.uid(), o.recurrenceId(), SqlTime.stored(o.start()), SqlTime.stored(o.end()),
                            member, null, false, null, false, false);
                    save(tx, id, slot);
                } else if (!slot.start().equals(SqlTime.stored(o.start())) || !slot.end().equals(SqlTime.stored(o.end()))
                        || !Objects.equals(slot.member(), member)) {
                    slot = slot.withEvent(SqlTime.stored(o.start()), SqlTime.stored(o.end()), member);
                    save(tx, id, slot);
                    if (refused == null && slot.booking() != null && !moved(tx, target, slot, now)) {
                        slot = slot.withBooking(null);
                        save(tx, id, slot);
                    }
                }
                if (refused != null) {
                    refuse(tx, target, slot, refused);
                } else if (slot.booking() == null) {
                    book(tx, target, slot, now);
                }
            }
            return l.caldav == null ? List.<Write>of() : pendingWrites(tx, target, now);
        });
        target.refresh();
        conflictAlarm(id, now);
        return writes;
    }

    /**
     * Whether the event is a walk-up Kontor wrote that was not recorded as written (the server stored it, but the
     * PUT's answer was lost or came too late): by its UID, naming a booking of the target. Recorded as written
     * then, so it is neither booked as someone's event (a conflict with itself) nor written again.
     */
    private boolean ownWalkUp(Tx tx, CalendarTarget target, CalendarOccurrence o) throws SQLException {
        String booking = CalendarWriteBack.walkUpBooking(o.uid(), context.site().id());
        if (booking == null || o.recurrenceId() != null) {
            return false;
        }
        Optional<Held> b = target.booking(tx, booking);
        if (b.isEmpty()) {
            return false;
        }
        save(tx, target.id(), new Slot(key(o.uid(), null), o.uid(), null, b.get().start(), b.get().end(), null,
                booking, true, null, true, false));
        return true;
    }

    /**
     * The member an event names: a member's e-mail (organizer first), else a booking code (a member id). A revoked
     * member only when the event names no other, so that its target may refuse it ({@link CalendarTarget#refuses}).
     */
    private Optional<Member> named(Tx tx, CalendarOccurrence o) throws SQLException {
        Optional<Member> revoked = Optional.empty();
        List<Optional<Member>> found = new ArrayList<>();
        for (String email : o.emails()) {
            found.add(context.members().byEmail(tx, email));
        }
        if (o.bookingCode() != null) {
            found.add(context.members().byId(tx, o.bookingCode().toLowerCase(Locale.ROOT)));
        }
        for (Optional<Member> m : found) {
            if (m.isPresent() && !m.get().revoked()) {
                return m;
            }
            if (m.isPresent() && revoked.isEmpty()) {
                revoked = m;
            }
        }
        return revoked;
    }

    /**
     * Books a slot unless a booking made at the door or by command holds the target then (rule 2: it keeps it,
     * the slot is flagged). A slot that started already is booked from now (rule 3).
     */
    private void book(Tx tx, CalendarTarget target, Slot slot, Instant now) throws SQLException {
        Instant start = slot.start().isBefore(now) ? now : slot.start();
        Booked b = target.book(tx, slot.member(), start, slot.end(), calendarBookings(tx, target.id()), slot.slot());
        if (b.booking() == null) {
            if (slot.flagged() == null) {
                flag(tx, target, slot, b.heldBy());
            }
            return;
        }
        save(tx, target.id(), slot.withBooking(b.booking()));
    }

    /**
     * The target refuses the event's member, as its booking command would (a loan: revoked, or not valid until
     * the event's end): the event holds nothing and is flagged as a conflict is, with the refusal as
     * {@code held_by}; each sync tries it again. A booking already picked up, or over, stays as it is.
     */
    private void refuse(Tx tx, CalendarTarget target, Slot slot, String refusal) throws SQLException {
        if (slot.booking() != null) {
            Optional<Held> b = target.booking(tx, slot.booking());
            if (b.isPresent() && (!b.get().live() || b.get().checkedIn() != null)) {
                return; // over (a released booking stays released), or picked up: it stays as it is
            }
            release(tx, target, slot, "cancelled");
            slot = slot.withBooking(null);
            save(tx, target.id(), slot);
        }
        if (!refusal.equals(slot.flagged())) {
            flag(tx, target, slot, refusal);
        }
    }

    private void flag(Tx tx, CalendarTarget target, Slot slot, String heldBy) throws SQLException {
        save(tx, target.id(), slot.withFlag(heldBy));
        context.events().emit(tx, CONFLICT, target.id(), fields("start", context.events().time(slot.start()),
                "end", context.events().time(slot.end()), "held_by", heldBy));
    }

    /**
     * Rule 4: a moved event moves its live booking; once checked in (picked up) only its end follows, where it
     * fits. False when the booking was released because it no longer fits: the slot is then booked anew. Never
     * for one checked in: a lent laptop is with its member, so the slot keeps that loan; booked anew, it would
     * hold a second laptop nobody picks up, whose no-show would cancel the member's event in the calendar.
     */
    private boolean moved(Tx tx, CalendarTarget target, Slot slot, Instant now) throws SQLException {
        Optional<Held> b = target.booking(tx, slot.booking());
        if (b.isEmpty() || !b.get().live()) {
            return true;
        }
        Instant start = b.get().checkedIn() != null ? b.get().start() : slot.start().isBefore(now) ? now : slot.start();
        if (!slot.end().isAfter(start)) {
            target.release(tx, b.get(), "cancelled");
            return true;
        }
        if (target.move(tx, b.get(), slot.member(), start, slot.end()) || b.get().checkedIn() != null) {
            return true;
        }
        target.release(tx, b.get(), "cancelled");
        return false;
    }

    private static void release(Tx tx, CalendarTarget target, Slot slot, String reason) throws SQLException {
        if (slot.booking() == null) {
            return;
        }
        Optional<Held> b = target.booking(tx, slot.booking());
        if (b.isPresent() && b.get().live()) {
            target.release(tx, b.get(), reason);
        }
    }

    /** The alarm stays while the target has a flagged slot not yet over, and tells of the first. */
    private void conflictAlarm(String id, Instant now) {
        Optional<Slot> flagged = context.db().read(tx -> slots(tx, id)).values().stream()
                .filter(s -> s.flagged() != null && s.booking() == null && s.end().isAfter(now))
                .min(Comparator.comparing(Slot::start));
        if (flagged.isPresent()) {
            context.alarms().raise(CONFLICT, id, fields("start", flagged.get().start(), "end", flagged.get().end(),
                    "held_by", flagged.get().flagged()));
        } else if (context.alarms().isActive(CONFLICT, id)) {
            context.alarms().clear(CONFLICT, id);
        }
    }

    /** What to write back to a CalDAV calendar: new walk-ups, check-ins, and no-show or vacant releases. */
    private List<Write> pendingWrites(Tx tx, CalendarTarget target, Instant now) throws SQLException {
        List<Write> out = new ArrayList<>();
        Map<String, Slot> slots = slots(tx, target.id());
        Set<String> written = new HashSet<>();
        slots.values().forEach(s -> {
            if (s.booking() != null) {
                written.add(s.booking());
            }
        });
        for (Held b : target.walkUps(tx, now)) {
            if (!written.contains(b.id())) {
                String uid = CalendarWriteBack.walkUpUid(b.id(), context.site().id());
                out.add(new Write(Write.Kind.WALK_UP, key(uid, null), uid, null, b.id(), b.start(), b.end(), null));
            }
        }
        for (Slot s : slots.values()) {
            if (s.walkUp() || s.booking() == null) {
                continue;
            }
            Optional<Held> b = target.booking(tx, s.booking());
            if (b.isEmpty()) {
                continue;
            }
            if (b.get().checkedIn() != null && !s.checkedInWritten()) {
                out.add(new Write(Write.Kind.CHECK_IN, s.slot(), s.uid(), s.recurrenceId(), b.get().id(), null, null,
                        b.get().checkedIn()));
            }
            if (b.get().releasedUnused() && !s.cancelWritten()) {
                out.add(new Write(Write.Kind.CANCEL, s.slot(), s.uid(), s.recurrenceId(), b.get().id(), null, null, null));
            }
        }
        return out;
    }

    private void recordWritten(Linked l, List<Write> written) {
        String id = l.id;
        context.db().inTransaction(tx -> {
            Map<String, Slot> slots = slots(tx, id);
            for (Write w : written) {
                Slot s = w.kind() == Write.Kind.WALK_UP
                        ? new Slot(w.slot(), w.uid(), null, w.start(), w.end(), null, w.booking(), true, null, true, false)
                        : slots.get(w.slot());
                if (s != null) {
                    s = s.written(w.kind());
                    slots.put(s.slot(), s);
                    save(tx, id, s);
                }
            }
            return null;
        });
    }

    // --- calendar_slots (room_id holds the target's id: a room's, a loan bank's or a loan computer's) ---

    private static String key(String uid, Instant recurrenceId) {
        return uid + "|" + (recurrenceId == null ? "" : Long.toString(recurrenceId.toEpochMilli()));
    }

    private static Map<String, Slot> slots(Tx tx, String room) throws SQLException {
        Map<String, Slot> out = new LinkedHashMap<>();
        try (PreparedStatement p = tx.connection().prepareStatement("SELECT slot, uid, recurrence_id, starts, ends, member_id, "
                + "booking_id, walk_up, flagged, checked_in_written, cancel_written FROM calendar_slots WHERE room_id = ? ORDER BY starts")) {
            p.setString(1, room);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Slot s = new Slot(rs.getString("slot"), rs.getString("uid"), SqlTime.get(rs, "recurrence_id"),
                            SqlTime.get(rs, "starts"), SqlTime.get(rs, "ends"), rs.getString("member_id"),
                            rs.getString("booking_id"), rs.getBoolean("walk_up"), rs.getString("flagged"),
                            rs.getBoolean("checked_in_written"), rs.getBoolean("cancel_written"));
                    out.put(s.slot(), s);
                }
            }
        }
        return out;
    }

    /** The ids of the target's bookings that came from its calendar (walk-ups written to it are not among them). */
    private static Set<String> calendarBookings(Tx tx, String room) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT booking_id FROM calendar_slots WHERE room_id = ? AND booking_id IS NOT NULL AND NOT walk_up")) {
            p.setString(1, room);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Writes the slot's row as {@code s} has it, new or not: the one way a slot is written. */
    private static void save(Tx tx, String target, Slot s) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("MERGE INTO calendar_slots (room_id, slot, uid, "
                + "recurrence_id, starts, ends, member_id, booking_id, walk_up, flagged, checked_in_written, cancel_written) "
                + "KEY (room_id, slot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, target);
            p.setString(2, s.slot());
            p.setString(3, s.uid());
            SqlTime.set(p, 4, s.recurrenceId());
            SqlTime.set(p, 5, s.start());
            SqlTime.set(p, 6, s.end());
            p.setString(7, s.member());
            p.setString(8, s.booking());
            p.setBoolean(9, s.walkUp());
            p.setString(10, s.flagged());
            p.setBoolean(11, s.checkedInWritten());
            p.setBoolean(12, s.cancelWritten());
            p.executeUpdate();
        }
    }

    private static void delete(Tx tx, String room, String slot) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("DELETE FROM calendar_slots WHERE room_id = ? AND slot = ?")) {
            p.setString(1, room);
            p.setString(2, slot);
            p.executeUpdate();
        }
    }

}
