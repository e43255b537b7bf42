package kontor.lockers;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kontor.core.CommandMembers;
import kontor.core.MemberDetails;
import kontor.core.SiteContext;
import kontor.core.SiteDevices.LoanBayHardware;
import kontor.core.SiteDevices.LockerHardware;
import kontor.core.SiteService;
import kontor.core.TapDecision;
import kontor.device.Signal;
import kontor.members.Member;
import kontor.money.InsufficientFundsException;
import kontor.money.Ledger;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.site.LoanBank;
import kontor.site.LoanComputerSpec;
import kontor.site.LockerBank;
import kontor.site.LockerSpec;
import kontor.site.LockerType;
import kontor.site.Policy;
import kontor.site.SiteSettings;
import kontor.time.Scheduler;

/**
 * The rules of the loan computers: laptops in the bays of a charging locker, booked by command
 * ({@code loan.book}) or on the spot by a tap at the bank's reader, lent by a tap of the member whose booking runs,
 * and given back by putting the laptop in its bay and shutting the door. The bay's door is a locker door
 * ({@link LockerDoor}): a bay opened while locked raises {@code locker.forced}, one left open
 * {@code locker.left_open}, a lock whose feedback does not follow {@code locker.jammed}.
 *
 * <p>Rules, each journaled before anything moves:
 * <ul>
 * <li>A tap by a member whose booking runs (from {@code policy.check_in_before} before its start) opens the
 *     booked bay if its laptop is present and charged: {@code loan.started}, the deposit (the bank's, 0 by
 *     default) held from the balance. With no booking, a tap takes the first free, present, charged computer on
 *     the spot, for {@code policy.on_the_spot_length} or until closing: {@code loan.booked} then
 *     {@code loan.started}. A tap by a member holding a laptop opens its bay again, to give it back.</li>
 * <li>The laptop present with the door shut ends the loan: {@code loan.ended}, deposit returned; the bay charges.</li>
 * <li>Not back by the booking's end plus {@code policy.loan_grace}: {@code loan.overdue}, event and alarm.</li>
 * <li>Not back at closing: alarm {@code loan.not_returned}, until it is back.</li>
 * <li>A booking never picked up by its end is released ({@code loan.released}, reason {@code no_show}).</li>
 * </ul>
 *
 * <p>The retained state {@code loans/{computer}/state} never tells who booked or holds a laptop.
 *
 * <p>{@link #book}, {@link #cancel}, {@link #between} and {@link #view} are the bookings' API, shaped like the
 * rooms': a linked calendar can feed them with its own {@code source} and the event's UID as {@code sourceRef}.
 */
public final class LoanService implements SiteService, MemberDetails {
    private final SiteContext site;
    private final Policy policy;
    private final Ledger ledger;
    private final ZoneId zone;
    private final LoanStore store = new LoanStore();
    private final Map<String, LoanComputerSpec> computers = new LinkedHashMap<>();
    private final Map<String, LoanBank> bankOf = new HashMap<>();
    private final Map<String, LoanBank> banksByReader = new HashMap<>();
    private final Map<String, LockerDoor> doors = new LinkedHashMap<>();
    private final Map<String, LoanBayHardware> bays = new HashMap<>();
    /** When each laptop was last put back: without a charge input it counts as charged policy.loan_recharge later. */
    private final Map<String, Instant> returnedAt = new HashMap<>();
    private Map<String, Boolean> inService = new HashMap<>();
    private Scheduler.Timer wake;

    public LoanService(SiteContext site) {
        this.site = site;
        this.policy = site.site().policy();
        this.ledger = Ledger.of(site);
        this.zone = site.site().zone();
        for (LoanBank bank : site.site().loanBanks()) {
            banksByReader.put(bank.reader().id(), bank);
            // The bay's door is a locker door of a bank of its own: the same lock, contact and alarm rules.
            LockerBank asLockers = new LockerBank(bank.id(), bank.name(), bank.reader(), 0, List.of());
            for (LoanComputerSpec spec : bank.computers()) {
                site.devices().loanBay(spec.id()).ifPresent(hw -> {
                    computers.put(spec.id(), spec);
                    bankOf.put(spec.id(), bank);
                    bays.put(spec.id(), hw);
                    LockerSpec door = new LockerSpec(spec.id(), bank.id(), spec.number(), LockerType.DAY, spec.lock(),
                            spec.contact());
                    doors.put(spec.id(), new LockerDoor(door, asLockers, new LockerHardware(hw.lock(), hw.contact()),
                            site, () -> publish(spec.id())));
                });
            }
        }
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("loan.book", this::bookCommand, "computer", "bank", "card", "member", "start", "end");
        server.register("loan.cancel", this::cancelCommand, "booking");
        server.register("loans.list", this::listCommand, "computer", "date");
        server.register("loan.open", this::openCommand, "computer");
        server.register("loan.service", this::serviceCommand, "computer", "in_service");
    }

    @Override
    public void start() {
        if (computers.isEmpty()) {
            return;
        }
        inService = site.db().inTransaction(tx -> {
            store.ensure(tx, List.copyOf(computers.keySet()));
            return store.inService(tx);
        });
        banksByReader.keySet().forEach(reader -> site.taps().decideAt(reader, this::decide));
        if (!site.hours().isOpen()) {
            live().stream().filter(LoanBooking::lent).forEach(this::notReturned);
        }
        tick();
    }

    @Override
    public void onSignal(Signal signal) {
        LockerDoor door = doors.get(signal.device());
        if (door == null) {
            return;
        }
        door.onSignal(signal);
        if (signal instanceof Signal.BaySensed b && b.sense() == kontor.device.BayInput.Sense.PRESENT && b.active()) {
            returnedAt.put(b.device(), site.clock().now());
        }
        checkReturned(signal.device());
        publish(signal.device());
        schedule();
    }

    /** Closing time: every laptop still out raises loan.not_returned, which stays until it is back. */
    @Override
    public void onClosed() {
        live().stream().filter(LoanBooking::lent).forEach(this::notReturned);
    }

    private void notReturned(LoanBooking b) {
        if (!site.alarms().isActive("loan.not_returned", b.computer())) {
            site.alarms().raise("loan.not_returned", b.computer(), fields("booking", b.id(), "end", b.end()));
        }
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        if (computers.isEmpty()) {
            return;
        }
        result.put("loans", site.db().read(tx -> store.ofMember(tx, member.id())).stream()
                .map(b -> (Object) view(b)).toList());
    }

    // ---- taps

    private TapDecision decide(String reader, Member member, String maskedCard) {
        LoanBank bank = banksByReader.get(reader);
        Instant now = site.clock().now();
        List<LoanBooking> mine = site.db().read(tx -> store.ofMember(tx, member.id())).stream()
                .filter(b -> bank.id().equals(bankOf.get(b.computer()) == null ? null : bankOf.get(b.computer()).id()))
                .toList();
        Optional<LoanBooking> lent = mine.stream().filter(LoanBooking::lent).findFirst();
        if (lent.isPresent()) {
            LockerDoor door = doors.get(lent.get().computer());
            if (!door.mayOpen()) {
                return TapDecision.deny("rate_limited");
            }
            return TapDecision.grant(fields("computer", door.id(), "action", "return"), () -> {
                site.events().emit("locker.unlocked", door.id(), fields("reason", "loan_return", "member", member.id()));
                door.unlock();
            });
        }
        Optional<LoanBooking> running = mine.stream()
                .filter(b -> !now.isBefore(b.start().minus(policy.checkInBefore())) && now.isBefore(b.end()))
                .findFirst();
        if (running.isPresent()) {
            String computer = running.get().computer();
            String problem = unready(computer);
            if (problem != null) {
                return TapDecision.deny(problem);
            }
            if (!affordable(member, bank)) {
                return TapDecision.deny("insufficient_funds");
            }
            LoanBooking booking = running.get();
            return TapDecision.grant(fields("computer", computer, "booking", booking.id(), "action", "loan"),
                    () -> lend(booking, member, bank, null));
        }
        if (!site.hours().isOpen()) {
            return TapDecision.deny("closed");
        }
        Instant end = spotEnd(now);
        List<LoanBooking> live = live();
        Optional<LoanComputerSpec> free = bank.computers().stream()
                .sorted(Comparator.comparingInt(LoanComputerSpec::number))
                .filter(c -> computers.containsKey(c.id()) && unready(c.id()) == null)
                .filter(c -> live.stream().noneMatch(b -> b.computer().equals(c.id()) && b.overlaps(now, end)))
                .findFirst();
        if (free.isEmpty()) {
            return TapDecision.deny("no_free_computer");
        }
        if (!affordable(member, bank)) {
            return TapDecision.deny("insufficient_funds");
        }
        String computer = free.get().id();
        return TapDecision.grant(fields("computer", computer, "action", "loan"), () -> {
            LoanBooking booking = newBooking(computer, member.id(), now, end, "spot", null);
            lend(booking, member, bank, booking);
        });
    }

    /** Why a computer cannot be lent now ({@code card.denied} reason), or null when it can. */
    private String unready(String computer) {
        LockerDoor door = doors.get(computer);
        if (!inService.getOrDefault(computer, true) || !door.fit()) {
            return "computer_out_of_order";
        }
        if (!present(computer)) {
            return "computer_missing";
        }
        if (!charged(computer)) {
            return "computer_charging";
        }
        if (!door.mayOpen()) {
            return "rate_limited";
        }
        return null;
    }

    private boolean affordable(Member member, LoanBank bank) {
        return bank.deposit() == 0 || ledger.balance(member.id()) - bank.deposit() >= -ledger.creditLimit();
    }

    /** The end of an on-the-spot loan: policy.on_the_spot_length from now, but not past closing. */
    private Instant spotEnd(Instant now) {
        Instant end = now.plus(policy.onTheSpotLength());
        Optional<Instant> closing = site.hours().hours().nextChange(now);
        return closing.filter(c -> c.isBefore(end)).orElse(end);
    }

    /**
     * Lends the booked laptop: one transaction holds the booking (when made on the spot, {@code created}), the
     * loan, its deposit and their events; the bay opens only after the commit.
     */
    private void lend(LoanBooking booking, Member member, LoanBank bank, LoanBooking created) {
        Instant now = site.clock().now();
        String depositKey = bank.deposit() > 0 ? "loan-deposit:" + booking.id() : null;
        try {
            site.db().inTransaction(tx -> {
                if (created != null) {
                    store.insert(tx, created);
                    site.events().emit(tx, "loan.booked", created.computer(), bookedFields(created, null));
                }
                store.lent(tx, booking.id(), now, depositKey);
                site.events().emit(tx, "loan.started", booking.computer(), fields("member", member.id(),
                        "booking", booking.id(), "bank", bank.id(), "end", booking.end(), "deposit", bank.deposit()));
                if (depositKey != null) {
                    ledger.charge(tx, member.id(), bank.deposit(), Ledger.DEPOSIT_HOLD, depositKey, booking.computer(),
                            fields("computer", booking.computer()));
                }
                return null;
            });
        } catch (InsufficientFundsException e) {
            // Checked when the tap was decided, on this same thread: only a concurrent charge gets here.
            site.events().emit("card.denied", bank.reader().id(), fields("member", member.id(),
                    "reason", "insufficient_funds"));
            return;
        }
        doors.get(booking.computer()).unlock();
        publish(booking.computer());
        schedule();
    }

    /** The laptop back in its bay with the door shut ends its loan. */
    private void checkReturned(String computer) {
        if (!present(computer) || doors.get(computer).isOpen()) {
            return;
        }
        Optional<LoanBooking> loan = live().stream().filter(b -> b.lent() && b.computer().equals(computer)).findFirst();
        if (loan.isEmpty()) {
            return;
        }
        LoanBooking b = loan.get();
        Instant now = site.clock().now();
        boolean overdue = now.isAfter(b.end().plus(policy.get(SiteSettings.LOAN_GRACE)));
        site.db().inTransaction(tx -> {
            store.end(tx, b.id(), LoanBooking.RETURNED, now);
            site.events().emit(tx, "loan.ended", computer, fields("member", b.member(), "booking", b.id(),
                    "duration_s", Duration.between(b.started() == null ? now : b.started(), now).toSeconds(),
                    "overdue", overdue));
            if (b.depositKey() != null) {
                ledger.returnDeposit(tx, b.depositKey(), computer, fields("computer", computer));
            }
            return null;
        });
        returnedAt.put(computer, now);
        site.alarms().clear("loan.overdue", computer);
        site.alarms().clear("loan.not_returned", computer);
    }

    // ---- time: no-shows, overdue loans, bookings starting and ending, laptops charged

    /** Does everything that is due, republishes, and wakes again when the next thing falls due. */
    private void tick() {
        wake = null;
        Instant now = site.clock().now();
        Duration grace = policy.get(SiteSettings.LOAN_GRACE);
        for (LoanBooking b : live()) {
            if (!b.lent() && !now.isBefore(b.end())) {
                site.db().inTransaction(tx -> {
                    store.end(tx, b.id(), LoanBooking.NO_SHOW, now);
                    site.events().emit(tx, "loan.released", b.computer(), fields("member", b.member(),
                            "booking", b.id(), "reason", "no_show"));
                    return null;
                });
            } else if (b.lent() && !now.isBefore(b.end().plus(grace))
                    && !site.alarms().isActive("loan.overdue", b.computer())) {
                site.events().emit("loan.overdue", b.computer(), fields("member", b.member(), "booking", b.id(),
                        "end", b.end()));
                site.alarms().raise("loan.overdue", b.computer(), fields("booking", b.id(), "end", b.end()));
            }
        }
        computers.keySet().forEach(this::publish);
        schedule();
    }

    private void schedule() {
        Instant now = site.clock().now();
        Duration grace = policy.get(SiteSettings.LOAN_GRACE);
        List<Instant> due = new ArrayList<>();
        for (LoanBooking b : live()) {
            due.add(b.start().minus(policy.checkInBefore()));
            due.add(b.start());
            due.add(b.end());
            if (b.lent()) {
                due.add(b.end().plus(grace));
            }
        }
        returnedAt.values().forEach(t -> due.add(t.plus(policy.get(SiteSettings.LOAN_RECHARGE))));
        Optional<Instant> next = due.stream().filter(now::isBefore).min(Comparator.naturalOrder());
        if (wake != null) {
            wake.cancel();
            wake = null;
        }
        next.ifPresent(t -> wake = site.clock().schedule(Duration.between(now, t), this::tick));
    }

    // ---- the bookings' API (commands, and the linked calendars: LoanCalendars)

    boolean isLoanComputer(String computer) {
        return computers.containsKey(computer);
    }

    boolean inService(String computer) {
        return inService.getOrDefault(computer, true);
    }

    /** After bookings changed outside these rules (a calendar's sync): republish and reschedule. */
    void refresh() {
        computers.keySet().forEach(this::publish);
        schedule();
    }

    /** A refused booking: the command error code and a sentence. */
    public record Refusal(String code, String message) { }

    /** Either {@code booking} or {@code refusal}. */
    public record BookingResult(Map<String, Object> booking, Refusal refusal) { }

    /**
     * Books one loan computer (or, with {@code computer} null, the first of {@code bank} free through the
     * whole time) for a member. {@code source}: {@code command}, or a calendar's name; {@code sourceRef}: its key
     * there (null for commands). Refuses overlaps, a member holding another laptop then, and times the policy does
     * not allow.
     */
    public BookingResult book(String computer, String bank, Member member, Instant start, Instant end, String source,
                              String sourceRef, String by) {
        Instant now = site.clock().now();
        if (!end.isAfter(start)) {
            return refused(CommandException.BAD_REQUEST, "field 'end' must be after 'start'");
        }
        if (!end.isAfter(now)) {
            return refused(CommandException.BAD_REQUEST, "the booking would end in the past");
        }
        if (Duration.between(start, end).compareTo(policy.maxBookingLength()) > 0) {
            return refused(CommandException.DENIED, "a booking may last at most " + policy.maxBookingLength());
        }
        if (start.isAfter(now.plus(Duration.ofDays(policy.bookingDaysAhead() + 1L)))) {
            return refused(CommandException.DENIED, "bookings open " + policy.bookingDaysAhead() + " days ahead");
        }
        if (memberRefusal(member, end) != null) {
            return refused(CommandException.DENIED, "the member's card is revoked or expires before the end");
        }
        List<LoanBooking> live = live();
        if (live.stream().anyMatch(b -> member.id().equals(b.member()) && b.overlaps(start, end))) {
            return refused(CommandException.CONFLICT, "the member has a loan computer booked or lent then");
        }
        List<LoanComputerSpec> candidates = computer != null ? List.of(computers.get(computer))
                : site.site().loanBank(bank).orElseThrow().computers().stream()
                        .sorted(Comparator.comparingInt(LoanComputerSpec::number)).toList();
        Optional<LoanComputerSpec> chosen = candidates.stream()
                .filter(c -> inService.getOrDefault(c.id(), true))
                .filter(c -> live.stream().noneMatch(b -> b.computer().equals(c.id()) && b.overlaps(start, end)))
                .findFirst();
        if (chosen.isEmpty()) {
            return refused(CommandException.CONFLICT, computer != null
                    ? computer + " is out of service or booked then" : "no loan computer of " + bank + " is free then");
        }
        LoanBooking b = newBooking(chosen.get().id(), member.id(), start, end, source, sourceRef);
        site.db().inTransaction(tx -> {
            store.insert(tx, b);
            site.events().emit(tx, "loan.booked", b.computer(), bookedFields(b, by));
            return null;
        });
        publish(b.computer());
        schedule();
        return new BookingResult(view(b), null);
    }

    /**
     * Whether {@code member} may have a laptop booked until {@code end}, by {@code loan.book} or by a linked
     * calendar ({@link LoanCalendars}): {@code member_revoked}, {@code member_expired} (not valid until the end),
     * or null when it may.
     */
    static String memberRefusal(Member member, Instant end) {
        if (member.revoked()) {
            return "member_revoked";
        }
        return member.expiredAt(end) ? "member_expired" : null;
    }

    /** Cancels a booking not yet picked up; a lent laptop's loan ends only when it is back. */
    public Optional<Refusal> cancel(String id, String by) {
        Optional<LoanBooking> found = site.db().read(tx -> store.get(tx, id));
        if (found.isEmpty()) {
            return Optional.of(new Refusal(CommandException.NOT_FOUND, "no loan booking '" + id + "'"));
        }
        LoanBooking b = found.get();
        if (b.lent()) {
            return Optional.of(new Refusal(CommandException.CONFLICT,
                    "the laptop is lent; the loan ends when it is back in its bay"));
        }
        if (!b.live()) {
            return Optional.empty(); // already over: cancelling twice changes nothing
        }
        site.db().inTransaction(tx -> {
            store.end(tx, b.id(), LoanBooking.CANCELLED, site.clock().now());
            site.events().emit(tx, "loan.released", b.computer(), fields("member", b.member(), "booking", b.id(),
                    "reason", "cancelled", "by", by));
            return null;
        });
        publish(b.computer());
        schedule();
        return Optional.empty();
    }

    /** Every booking (any status) overlapping [from, to), by start. */
    public List<Map<String, Object>> between(Instant from, Instant to) {
        return site.db().read(tx -> store.between(tx, from, to)).stream().map(this::view).toList();
    }

    /** How a booking is shown to hosts (never on a retained state): as a room booking, with its computer. */
    public Map<String, Object> view(LoanBooking b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("computer", b.computer());
        m.put("bank", bankOf.get(b.computer()) == null ? null : bankOf.get(b.computer()).id());
        m.put("member", b.member());
        m.put("start", site.events().time(b.start()));
        m.put("end", site.events().time(b.end()));
        m.put("status", b.status());
        m.put("source", b.source());
        m.put("started", b.started() == null ? null : site.events().time(b.started()));
        m.put("ended", b.ended() == null ? null : site.events().time(b.ended()));
        return m;
    }

    private Map<String, Object> bookedFields(LoanBooking b, String by) {
        return fields("member", b.member(), "booking", b.id(), "start", b.start(), "end", b.end(),
                "source", b.source(), "by", by);
    }

    private LoanBooking newBooking(String computer, String member, Instant start, Instant end, String source,
                                   String sourceRef) {
        return new LoanBooking(UUID.randomUUID().toString(), computer, member, start, end, LoanBooking.BOOKED, source,
                sourceRef, null, null, null, site.clock().now());
    }

    private static BookingResult refused(String code, String message) {
        return new BookingResult(null, new Refusal(code, message));
    }

    private List<LoanBooking> live() {
        return site.db().read(store::live);
    }

    // ---- host commands

    private JsonNode bookCommand(CommandRequest r) throws CommandException {
        Optional<String> computer = r.optionalText("computer");
        Optional<String> bank = r.optionalText("bank");
        if (computer.isPresent() == bank.isPresent()) {
            if (computer.isEmpty() && site.site().loanBanks().size() == 1) {
                bank = Optional.of(site.site().loanBanks().getFirst().id());
            } else {
                throw CommandException.badRequest("give exactly one of 'computer' and 'bank'");
            }
        }
        if (computer.isPresent() && !computers.containsKey(computer.get())) {
            throw CommandException.notFound("no loan computer called '" + computer.get() + "'");
        }
        if (bank.isPresent() && site.site().loanBank(bank.get()).isEmpty()) {
            throw CommandException.notFound("no loan bank called '" + bank.get() + "'");
        }
        Member member = CommandMembers.member(site.members(), r);
        Instant start = r.requireDateTime("start").toInstant();
        Instant end = r.requireDateTime("end").toInstant();
        BookingResult result = book(computer.orElse(null), bank.orElse(null), member, start, end, "command", null,
                CommandMembers.by(r));
        if (result.refusal() != null) {
            throw new CommandException(result.refusal().code(), result.refusal().message());
        }
        return Json.node(fields("booking", result.booking()));
    }

    private JsonNode cancelCommand(CommandRequest r) throws CommandException {
        Optional<Refusal> refusal = cancel(r.requireText("booking"), CommandMembers.by(r));
        if (refusal.isPresent()) {
            throw new CommandException(refusal.get().code(), refusal.get().message());
        }
        return null;
    }

    private JsonNode listCommand(CommandRequest r) throws CommandException {
        Optional<String> computer = r.optionalText("computer");
        if (computer.isPresent() && !computers.containsKey(computer.get())) {
            throw CommandException.notFound("no loan computer called '" + computer.get() + "'");
        }
        Optional<LocalDate> date = r.optionalDate("date");
        List<Map<String, Object>> found = date.isPresent()
                ? between(date.get().atStartOfDay(zone).toInstant(), date.get().plusDays(1).atStartOfDay(zone).toInstant())
                : live().stream().map(this::view).toList();
        return Json.node(fields("bookings", found.stream()
                .filter(b -> computer.isEmpty() || computer.get().equals(b.get("computer"))).map(b -> (Object) b)
                .toList()));
    }

    private JsonNode openCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        String by = CommandMembers.by(r);
        door.checkHostMayOpen();
        site.events().emit("locker.unlocked", door.id(), fields("reason", "host", "by", by));
        door.unlock();
        door.attended();
        return null;
    }

    private JsonNode serviceCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        boolean wanted = r.requireBoolean("in_service");
        String by = CommandMembers.by(r);
        if (inService.getOrDefault(door.id(), true) != wanted) {
            site.db().inTransaction(tx -> {
                store.inService(tx, door.id(), wanted);
                site.events().emit(tx, "loan.service", door.id(), fields("in_service", wanted, "by", by));
                return null;
            });
            inService.put(door.id(), wanted);
        }
        door.attended();
        publish(door.id());
        return null;
    }

    private LockerDoor door(CommandRequest r) throws CommandException {
        String id = r.requireText("computer");
        LockerDoor door = doors.get(id);
        if (door == null) {
            throw CommandException.notFound("no loan computer called '" + id + "'");
        }
        return door;
    }

    // ---- retained state

    private boolean present(String computer) {
        return bays.get(computer).present().active();
    }

    /** The charge input when wired; else a laptop counts as charged policy.loan_recharge after it came back. */
    private boolean charged(String computer) {
        LoanBayHardware bay = bays.get(computer);
        if (bay.charged() != null) {
            return bay.charged().active();
        }
        Instant back = returnedAt.get(computer);
        return back == null
                || !site.clock().now().isBefore(back.plus(policy.get(SiteSettings.LOAN_RECHARGE)));
    }

    /** free / booked / lent / charging / missing / out_of_order, in that order of precedence reversed. */
    private String status(String computer, List<LoanBooking> live) {
        Instant now = site.clock().now();
        if (live.stream().anyMatch(b -> b.lent() && b.computer().equals(computer))) {
            return "lent";
        }
        if (!inService.getOrDefault(computer, true) || !doors.get(computer).fit()) {
            return "out_of_order";
        }
        if (!present(computer)) {
            return "missing";
        }
        if (live.stream().anyMatch(b -> b.computer().equals(computer)
                && !now.isBefore(b.start().minus(policy.checkInBefore())) && now.isBefore(b.end()))) {
            return "booked";
        }
        return charged(computer) ? "free" : "charging";
    }

    private void publish(String computer) {
        if (!computers.containsKey(computer)) {
            return;
        }
        List<LoanBooking> live = live();
        LockerDoor door = doors.get(computer);
        Instant now = site.clock().now();
        Optional<LoanBooking> next = live.stream().filter(b -> b.computer().equals(computer) && !b.lent()
                && now.isBefore(b.end())).min(Comparator.comparing(LoanBooking::start));
        Map<String, Object> state = fields("status", status(computer, live), "open", door.isOpen(),
                "locked", door.locked(), "present", present(computer), "charged", charged(computer),
                "next", next.map(b -> (Object) fields("start", site.events().time(b.start()),
                        "end", site.events().time(b.end()))).orElse(null));
        site.retained().put(site.topics().loanState(computer), Json.bytes(state));
    }
}
