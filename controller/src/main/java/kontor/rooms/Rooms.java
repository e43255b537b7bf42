package kontor.rooms;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kontor.core.TapDecision;
import kontor.device.LightColor;
import kontor.device.Signal;
import kontor.core.MemberDetails;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.mqtt.Json;
import kontor.rooms.BookingRules.Refusal;
import kontor.safety.Doors;
import kontor.site.Policy;
import kontor.site.PresenceSpec;
import kontor.site.Room;
import kontor.store.SqlTime;
import kontor.store.Tx;
import kontor.time.Scheduler;

/**
 * The meeting rooms: bookings and their release, the tap at a room's door (check-in, on-the-spot
 * booking, hosts), presence from the room's sensors, and the room state with its light.
 *
 * <p>Each room is re-evaluated from the database whenever something happens to it and at the next
 * instant its state could change (a booking turning amber, starting, missing its check-in, ending;
 * the presence hold running out; the vacant limit). That one evaluation releases what is due, computes
 * the state, sets the light and publishes the retained state, so light and state always agree and a
 * restart re-arms every timer just by evaluating once.
 */
public final class Rooms implements SiteService, MemberDetails {

    /** A room as the rules see it between evaluations. */
    private static final class RoomRuntime {
        final Room room;
        final Map<String, Boolean> motion = new HashMap<>();
        Instant lastMotion;
        boolean occupied;
        Instant vacantSince;
        Scheduler.Timer wake;
        String publishedState;
        LightColor light;

        RoomRuntime(Room room) {
            this.room = room;
        }

        String id() {
            return room.id();
        }
    }

    private final SiteContext context;
    private final Policy policy;
    private final Doors doors;
    private final BookingStore store = new BookingStore();
    private final BookingRules rules;
    private final Map<String, RoomRuntime> rooms = new LinkedHashMap<>();
    private final Map<String, RoomRuntime> bySensor = new HashMap<>();

    public Rooms(SiteContext context, Doors doors) {
        this.context = context;
        this.policy = context.site().policy();
        this.doors = doors;
        this.rules = new BookingRules(policy, context.hours().hours(), store);
        for (Room room : context.site().rooms()) {
            RoomRuntime rt = new RoomRuntime(room);
            rooms.put(room.id(), rt);
            room.presence().forEach(sensor -> bySensor.put(sensor.id(), rt));
        }
    }

    @Override
    public void start() {
        Instant now = context.clock().now();
        for (RoomRuntime rt : rooms.values()) {
            for (PresenceSpec sensor : rt.room.presence()) {
                boolean motion = Boolean.TRUE.equals(context.devices().get(sensor.id()).map(t -> t.state("motion")).orElse(false));
                rt.motion.put(sensor.id(), motion);
            }
            // Presence before the start is unknown: the vacant limit counts from now.
            rt.occupied = rt.motion.containsValue(true);
            rt.vacantSince = now;
            if (rt.room.reader() != null) {
                context.taps().decideAt(rt.room.reader().id(), (reader, member, masked) -> decide(rt, member));
            }
            evaluate(rt);
        }
    }

    @Override
    public void onSignal(Signal signal) {
        if (signal instanceof Signal.MotionChanged m && bySensor.containsKey(m.device())) {
            RoomRuntime rt = bySensor.get(m.device());
            rt.motion.put(m.device(), m.motion());
            rt.lastMotion = context.clock().now();
            evaluate(rt);
        }
    }

    @Override
    public void onOpened() {
        rooms.values().forEach(this::evaluate);
    }

    /** At closing, bookings still running end and every room door locks. */
    @Override
    public void onClosed() {
        Instant now = context.clock().now();
        for (RoomRuntime rt : rooms.values()) {
            for (Booking b : live(rt.id())) {
                if (!b.start().isAfter(now) && b.end().isAfter(now)) {
                    release(b, "closing");
                }
            }
            if (rt.room.door() != null) {
                doors.secure(rt.room.door().id());
            }
            evaluate(rt);
        }
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        Instant now = context.clock().now();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Booking b : context.db().read(tx -> store.liveOfMember(tx, member.id()))) {
            if (b.end().isAfter(now)) {
                list.add(fields("id", b.id(), "room", b.room(), "start", time(b.start()), "end", time(b.end()),
                        "checked_in", b.checkedInYet()));
            }
        }
        result.put("bookings", list);
    }

    // --- the door -------------------------------------------------------------------------------

    private TapDecision decide(RoomRuntime rt, Member member) {
        Instant now = SqlTime.stored(context.clock().now());
        boolean open = open(now);
        boolean staff = member.role().isStaff();
        Duration strike = member.accessible() ? policy.accessibleStrikeTime() : policy.strikeTime();
        if (!open && !staff) {
            return TapDecision.deny("closed");
        }
        List<Booking> live = live(rt.id());
        Optional<Booking> own = live.stream()
                .filter(b -> member.id().equals(b.member()) && !now.isBefore(b.start().minus(policy.checkInBefore())) && now.isBefore(b.end()))
                .findFirst();
        if (own.isPresent()) {
            Booking b = own.get();
            return TapDecision.grant(fields("room", rt.id(), "booking", b.id(), "action", "check_in"), () -> {
                if (!b.checkedInYet()) {
                    checkIn(b, now);
                }
                unlock(rt, strike);
                evaluate(rt);
            });
        }
        if (staff) {
            return TapDecision.grant(fields("room", rt.id(), "action", "host"), () -> unlock(rt, strike));
        }
        if (live.stream().anyMatch(b -> b.runsAt(now))) {
            return TapDecision.deny("room_booked");
        }
        if (rt.occupied) {
            return TapDecision.deny("room_in_use");
        }
        Instant end = now.plus(min(policy.onTheSpotLength(), policy.maxBookingLength()));
        String shortenedBy = "room_booked";
        Optional<Instant> nextStart = live.stream().map(Booking::start).filter(s -> s.isAfter(now)).min(Instant::compareTo);
        if (nextStart.isPresent() && nextStart.get().isBefore(end)) {
            end = nextStart.get();
            shortenedBy = "room_booked";
        }
        Instant closing = BookingRules.openUntil(context.hours().hours(), now, end);
        if (closing.isBefore(end)) {
            end = closing;
            shortenedBy = "closed";
        }
        if (Duration.between(now, end).compareTo(policy.onTheSpotMinimum()) < 0) {
            return TapDecision.deny(shortenedBy);
        }
        Instant until = end;
        Optional<Refusal> refusal = context.db().read(tx -> rules.check(tx, rt.id(), member.id(), now, until, now));
        if (refusal.isPresent()) {
            return TapDecision.deny(refusal.get().reason());
        }
        String id = store.newId();
        return TapDecision.grant(fields("room", rt.id(), "booking", id, "action", "on_the_spot"), () -> {
            Booking b = new Booking(id, rt.id(), member.id(), now, until, true, now, null, null, now);
            context.db().inTransaction(tx -> {
                store.insert(tx, b);
                journalCreated(tx, b);
                journal(tx, "booking.checked_in", b, fields());
                return null;
            });
            unlock(rt, strike);
            evaluate(rt);
        });
    }

    private void unlock(RoomRuntime rt, Duration time) {
        if (rt.room.door() != null) {
            doors.unlock(rt.room.door().id(), time);
        }
    }

    private void checkIn(Booking b, Instant at) {
        context.db().inTransaction(tx -> {
            if (store.checkIn(tx, b.id(), at)) {
                journal(tx, "booking.checked_in", b, fields());
            }
            return null;
        });
    }

    // --- bookings by command --------------------------------------------------------------------

    /** Books a room for a member, or returns the rule it would break. */
    BookingResult book(String roomId, Member member, Instant start, Instant end) {
        RoomRuntime rt = rooms.get(roomId);
        Instant now = context.clock().now();
        Booking b = new Booking(store.newId(), roomId, member.id(), SqlTime.stored(start), SqlTime.stored(end), false,
                null, null, null, SqlTime.stored(now));
        Optional<Refusal> refusal = context.db().inTransaction(tx -> {
            Optional<Refusal> broken = rules.check(tx, roomId, member.id(), b.start(), b.end(), now);
            if (broken.isEmpty()) {
                store.insert(tx, b);
                journalCreated(tx, b);
            }
            return broken;
        });
        if (refusal.isPresent()) {
            return new BookingResult(null, refusal.get());
        }
        evaluate(rt);
        return new BookingResult(b, null);
    }

    record BookingResult(Booking booking, Refusal refusal) { }

    // --- bookings from a linked calendar (RoomCalendars) -----------------------------------------

    /**
     * A booking taken from the room's linked calendar, inside the caller's transaction. The booking rules are
     * not applied: the booking system that took it keeps its own. {@code member} is null for an event that
     * names no member; such a booking holds the room all the same (amber, door shut to visitors).
     */
    Booking insertFromCalendar(Tx tx, String room, String member, Instant start, Instant end) throws java.sql.SQLException {
        Booking b = new Booking(store.newId(), room, member, SqlTime.stored(start), SqlTime.stored(end), false,
                null, null, null, SqlTime.stored(context.clock().now()));
        store.insert(tx, b);
        journal(tx, "booking.created", b, fields("start", time(b.start()), "end", time(b.end()), "on_the_spot", false,
                "source", "calendar"));
        return b;
    }

    /** Releases a live booking inside the caller's transaction; false if it was released already. */
    boolean releaseIn(Tx tx, Booking b, String reason) throws java.sql.SQLException {
        if (store.release(tx, b.id(), context.clock().now(), reason)) {
            journal(tx, "booking.released", b, fields("reason", reason));
            return true;
        }
        return false;
    }

    BookingStore store() {
        return store;
    }

    /** Re-evaluates one room after its bookings changed outside the room's own rules. */
    void refresh(String room) {
        RoomRuntime rt = rooms.get(room);
        if (rt != null) {
            evaluate(rt);
        }
    }

    /** The booking with that id, live or released. */
    Optional<Booking> find(String bookingId) {
        return context.db().read(tx -> store.byId(tx, bookingId));
    }

    /**
     * A host checks a booking in for its member, who is there but has no card at hand: as the member's tap
     * would, within the same window (from {@code policy.check_in_before} before its start to its end).
     * Returns why not, or null when it is checked in.
     */
    String checkInByHost(Booking b, String by) {
        Instant now = context.clock().now();
        if (now.isBefore(b.start().minus(policy.checkInBefore())) || !now.isBefore(b.end())) {
            return "booking " + b.id() + " can be checked in from " + policy.checkInBefore().toMinutes()
                    + " minutes before its start until its end";
        }
        if (!b.checkedInYet()) {
            context.db().inTransaction(tx -> {
                if (store.checkIn(tx, b.id(), now)) {
                    journal(tx, "booking.checked_in", b, fields("by", by));
                }
                return null;
            });
        }
        evaluate(rooms.get(b.room()));
        return null;
    }

    void cancel(Booking b) {
        release(b, "cancelled");
        evaluate(rooms.get(b.room()));
    }

    /** Bookings overlapping [from, to) of one room (null: all rooms). */
    List<Booking> between(String room, Instant from, Instant to) {
        return context.db().read(tx -> store.between(tx, room, from, to));
    }

    /** Every live booking that has not ended by now. */
    List<Booking> upcoming() {
        Instant now = context.clock().now();
        return context.db().read(store::allLive).stream().filter(b -> b.end().isAfter(now)).toList();
    }

    boolean hasRoom(String id) {
        return rooms.containsKey(id);
    }

    /** A booking as commands show it. */
    Map<String, Object> view(Booking b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("room", b.room());
        m.put("member", b.member());
        m.put("start", time(b.start()));
        m.put("end", time(b.end()));
        m.put("on_the_spot", b.onTheSpot());
        m.put("checked_in", b.checkedInYet());
        m.put("status", b.live() ? (b.checkedInYet() ? "checked_in" : "booked") : "released");
        if (!b.live()) {
            m.put("reason", b.reason());
        }
        return m;
    }

    // --- evaluation -----------------------------------------------------------------------------

    private void evaluate(RoomRuntime rt) {
        Instant now = context.clock().now();
        updatePresence(rt, now);
        List<Booking> live = new ArrayList<>();
        for (Booking b : live(rt.id())) {
            String reason = releaseReason(rt, b, now);
            if (reason == null) {
                live.add(b);
            } else {
                release(b, reason);
            }
        }
        publish(rt, live, now);
        scheduleWake(rt, live, now);
    }

    private void updatePresence(RoomRuntime rt, Instant now) {
        boolean occupied = rt.motion.containsValue(true)
                || rt.lastMotion != null && now.isBefore(rt.lastMotion.plus(policy.presenceHold()));
        if (occupied == rt.occupied) {
            return;
        }
        rt.occupied = occupied;
        if (occupied) {
            context.events().emit("room.occupied", rt.id());
        } else {
            rt.vacantSince = now;
            context.events().emit("room.vacant", rt.id());
        }
    }

    /** Why a live booking ends now, or null if it goes on. */
    private String releaseReason(RoomRuntime rt, Booking b, Instant now) {
        if (!b.checkedInYet() && !now.isBefore(b.start().plus(policy.noShowAfter()))) {
            return "no_show";
        }
        if (!b.end().isAfter(now)) {
            // An on-the-spot booking cut short by closing time ends because the site closes.
            return b.onTheSpot() && !open(b.end()) ? "closing" : "ended";
        }
        if (!b.checkedInYet()) {
            return null;
        }
        if (!rt.occupied && !now.isBefore(vacantDeadline(rt, b))) {
            return "vacant";
        }
        return null;
    }

    private Instant vacantDeadline(RoomRuntime rt, Booking b) {
        Instant from = b.checkedIn().isAfter(rt.vacantSince) ? b.checkedIn() : rt.vacantSince;
        return from.plus(policy.vacantAfter());
    }

    private void release(Booking b, String reason) {
        Instant now = context.clock().now();
        context.db().inTransaction(tx -> {
            if (store.release(tx, b.id(), now, reason)) {
                journal(tx, "booking.released", b, fields("reason", reason));
            }
            return null;
        });
    }

    private void publish(RoomRuntime rt, List<Booking> live, Instant now) {
        Booking current = live.stream().filter(b -> b.runsAt(now)).findFirst().orElse(null);
        Booking upcoming = live.stream().filter(b -> b.start().isAfter(now)).findFirst().orElse(null);
        Booking shown = current != null ? current
                : upcoming != null && !upcoming.start().isAfter(now.plus(policy.amberBefore())) ? upcoming : null;
        Booking next = live.stream()
                .filter(b -> b.start().isAfter(now) && b != shown)
                .findFirst().orElse(null);
        String status;
        LightColor light;
        if (!open(now)) {
            status = "closed";
            light = LightColor.OFF;
        } else if (rt.occupied || shown != null && shown.checkedInYet()) {
            status = "in_use";
            light = LightColor.RED;
        } else if (shown != null) {
            status = "booked";
            light = LightColor.AMBER;
        } else {
            status = "free";
            light = LightColor.GREEN;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", status);
        state.put("light", light.name().toLowerCase(java.util.Locale.ROOT));
        state.put("occupied", rt.occupied);
        state.put("booking", shown == null ? null : fields("id", shown.id(), "start", time(shown.start()),
                "end", time(shown.end()), "checked_in", shown.checkedInYet()));
        state.put("next", next == null ? null : fields("start", time(next.start()), "end", time(next.end())));
        showLight(rt, light);
        String json = new String(Json.bytes(state), java.nio.charset.StandardCharsets.UTF_8);
        if (!json.equals(rt.publishedState)) {
            rt.publishedState = json;
            context.retained().put(context.topics().roomState(rt.id()), Json.bytes(state));
        }
    }

    private void showLight(RoomRuntime rt, LightColor color) {
        if (rt.room.light() == null || color == rt.light) {
            return;
        }
        rt.light = color;
        String id = rt.room.light().id();
        context.devices().light(id).ifPresent(l -> l.show(color, false));
        context.devices().update(id, "color", color.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** One timer per room, at the next instant anything about it can change. */
    private void scheduleWake(RoomRuntime rt, List<Booking> live, Instant now) {
        List<Instant> candidates = new ArrayList<>();
        for (Booking b : live) {
            candidates.add(b.start().minus(policy.amberBefore()));
            candidates.add(b.start());
            candidates.add(b.end());
            if (b.checkedInYet()) {
                if (!rt.occupied) {
                    candidates.add(vacantDeadline(rt, b));
                }
            } else {
                candidates.add(b.start().plus(policy.noShowAfter()));
            }
        }
        if (rt.occupied && !rt.motion.containsValue(true) && rt.lastMotion != null) {
            candidates.add(rt.lastMotion.plus(policy.presenceHold()));
        }
        Instant next = candidates.stream().filter(t -> t.isAfter(now)).min(Instant::compareTo).orElse(null);
        if (rt.wake != null) {
            rt.wake.cancel();
            rt.wake = null;
        }
        if (next != null) {
            rt.wake = context.clock().schedule(Duration.between(now, next), () -> evaluate(rt));
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private List<Booking> live(String room) {
        return context.db().read(tx -> store.live(tx, room));
    }

    private void journalCreated(Tx tx, Booking b) throws java.sql.SQLException {
        journal(tx, "booking.created", b, fields("start", time(b.start()), "end", time(b.end()), "on_the_spot", b.onTheSpot()));
    }

    private void journal(Tx tx, String type, Booking b, Map<String, Object> extra) throws java.sql.SQLException {
        Map<String, Object> f = fields("booking", b.id(), "member", b.member());
        f.putAll(extra);
        context.journal().append(tx, type, b.room(), f, context.clock().now());
    }

    /**
     * Whether the site is open by its hours. Read from the hours themselves rather than the last
     * transition, so that a room evaluated at start-up (before the opening is announced) or at the
     * very instant of closing already sees the truth.
     */
    private boolean open(Instant t) {
        return context.hours().hours().isOpen(t);
    }

    String time(Instant t) {
        return context.events().time(t);
    }

    /** The end of the site's continuous opening from {@code from}, but no later than {@code limit}. */
    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
