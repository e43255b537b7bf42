package kontor.lockers;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kontor.core.TapDecision;
import kontor.core.CommandMembers;
import kontor.device.Signal;
import kontor.core.MemberDetails;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.money.InsufficientFundsException;
import kontor.money.Ledger;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.site.LockerBank;
import kontor.site.LockerSpec;
import kontor.site.LockerType;
import kontor.site.Policy;
import kontor.time.Scheduler;

/**
 * The rules of the locker banks: taps at a bank's reader claim, reopen and release day lockers; hosts
 * assign rental lockers, open, release and service lockers; closing time and rental expiry release
 * lockers. Whoever holds a locker is stored, never published: the retained state shows only whether it
 * is free.
 *
 * <p>Release rule (closing time and rental expiry): a locker whose door is open is presumed empty and
 * becomes free, its deposit returned; one whose door is shut (or that has no contact to tell) is presumed
 * to hold things and becomes {@code needs_emptying}, its deposit kept, until a host releases it.
 *
 * <p>Every claim, release and assignment commits in one transaction with its ledger postings and its
 * events; the lock moves only after the commit.
 */
public final class LockerService implements SiteService, MemberDetails {
    private final SiteContext site;
    private final Policy policy;
    private final Ledger ledger;
    private final LockerStore store = new LockerStore();
    private final Map<String, LockerDoor> doors = new LinkedHashMap<>();
    private final Map<String, LockerBank> banksByReader = new HashMap<>();
    private final Map<String, Instant> lastTaps = new HashMap<>();
    private final Map<String, Scheduler.Timer> expiries = new HashMap<>();

    public LockerService(SiteContext site) {
        this.site = site;
        this.policy = site.site().policy();
        this.ledger = Ledger.of(site);
        for (LockerBank bank : site.site().lockerBanks()) {
            banksByReader.put(bank.reader().id(), bank);
            for (LockerSpec spec : bank.lockers()) {
                site.devices().locker(spec.id()).ifPresent(hw ->
                        doors.put(spec.id(), new LockerDoor(spec, bank, hw, site, () -> publish(spec.id()))));
            }
        }
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("locker.open", this::openCommand, "locker", "hold", "by");
        server.register("locker.assign", this::assignCommand, "locker", "card", "member", "until", "by");
        server.register("locker.release", this::releaseCommand, "locker", "by");
        server.register("locker.service", this::serviceCommand, "locker", "in_service", "by");
        server.register("locker.show", this::showCommand, "locker");
        server.register("locker.list", this::listCommand, "bank");
    }

    @Override
    public void start() {
        Map<String, LockerRow> rows = site.db().inTransaction(tx -> {
            store.ensure(tx, List.copyOf(doors.keySet()));
            return store.all(tx);
        });
        // A bank lets every valid card in; what the tap then does (claim, reopen, release) the bank decides as it acts.
        banksByReader.keySet().forEach(reader -> site.taps().decideAt(reader,
                (r, member, masked) -> TapDecision.grant(() -> tap(r, member, masked))));
        doors.keySet().forEach(id -> publish(id, rows.get(id)));
        Instant now = site.clock().now();
        rows.values().stream().filter(r -> doors.containsKey(r.locker()) && r.until() != null
                && r.status() == LockerStatus.ASSIGNED).forEach(r -> {
                    if (r.until().isAfter(now)) {
                        scheduleExpiry(r.locker(), r.until());
                    } else {
                        release(r.locker(), "expired", null, true);
                    }
                });
    }

    @Override
    public void onSignal(Signal signal) {
        LockerDoor door = doors.get(signal.device());
        if (door != null) {
            door.onSignal(signal);
        }
    }

    /** Closing time: every day locker still held is released by the release rule. */
    @Override
    public void onClosed() {
        Map<String, LockerRow> rows = site.db().read(store::all);
        for (LockerDoor door : doors.values()) {
            LockerRow row = rows.get(door.id());
            if (door.spec.type() == LockerType.DAY && row != null && row.status() == LockerStatus.ASSIGNED) {
                release(door.id(), "closing", null, true);
            }
        }
        lastTaps.clear();
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        List<Map<String, Object>> lockers = new ArrayList<>();
        for (LockerRow row : site.db().read(tx -> store.ofMember(tx, member.id()))) {
            LockerDoor door = doors.get(row.locker());
            lockers.add(fields(
                    "locker", row.locker(),
                    "bank", door == null ? null : door.bank.id(),
                    "type", door == null ? null : door.spec.type().yamlName(),
                    "status", row.status().wireName(),
                    "since", row.since() == null ? null : site.events().time(row.since()),
                    "until", row.until() == null ? null : site.events().time(row.until()),
                    "deposit", row.deposit()));
        }
        result.put("lockers", lockers);
    }

    // ---- taps

    private void tap(String reader, Member member, String maskedCard) {
        LockerBank bank = banksByReader.get(reader);
        Instant now = site.clock().now();
        lastTaps.values().removeIf(t -> t.plus(policy.doubleTap()).isBefore(now));
        String tapKey = bank.id() + "/" + member.id();
        Instant previous = lastTaps.put(tapKey, now);
        boolean doubleTap = previous != null && !now.isAfter(previous.plus(policy.doubleTap()));

        // Only the member's own rows: a tap must not read every locker of a large site.
        Map<String, LockerRow> mine = new HashMap<>();
        site.db().read(tx -> store.ofMember(tx, member.id())).forEach(r -> mine.put(r.locker(), r));
        List<LockerDoor> held = bank.lockers().stream().map(s -> doors.get(s.id()))
                .filter(d -> d != null && mine.containsKey(d.id()) && mine.get(d.id()).heldBy(member.id())).toList();
        Optional<LockerDoor> day = held.stream().filter(d -> d.spec.type() == LockerType.DAY).findFirst();
        if (day.isPresent()) {
            LockerDoor door = day.get();
            if (!unlock(door, doubleTap ? "double_tap" : "holder", member.id(), null)) {
                return;
            }
            if (doubleTap) {
                lastTaps.remove(tapKey);
                release(door.id(), "holder", null, false);
            }
            return;
        }
        if (!held.isEmpty()) {
            // A rental holder's tap opens the rentals; a rental is released only by a host or its expiry.
            held.forEach(door -> unlock(door, "holder", member.id(), null));
            return;
        }
        claim(reader, bank, member, mine);
    }

    private void claim(String reader, LockerBank bank, Member member, Map<String, LockerRow> mine) {
        long dayLockersHeld = mine.values().stream().filter(r -> r.heldBy(member.id()))
                .map(r -> doors.get(r.locker())).filter(d -> d != null && d.spec.type() == LockerType.DAY).count();
        if (dayLockersHeld >= policy.dayLockersPerMember()) {
            denied(reader, member, "limit_reached", null);
            return;
        }
        Map<String, LockerRow> rows = site.db().read(store::all);
        Optional<LockerDoor> free = bank.lockers().stream()
                .filter(s -> s.type() == LockerType.DAY)
                .sorted(Comparator.comparingInt(LockerSpec::number))
                .map(s -> doors.get(s.id()))
                .filter(d -> d != null && rows.get(d.id()).status() == LockerStatus.FREE
                        && rows.get(d.id()).inService() && d.fit() && d.mayOpen())
                .findFirst();
        if (free.isEmpty()) {
            denied(reader, member, "no_free_locker", null);
            return;
        }
        LockerDoor door = free.get();
        String assignment = UUID.randomUUID().toString();
        long deposit = bank.deposit();
        try {
            site.db().inTransaction(tx -> {
                if (store.get(tx, door.id()).status() != LockerStatus.FREE) {
                    throw new IllegalStateException(door.id() + " was taken meanwhile");
                }
                String depositKey = deposit > 0 ? "deposit:" + assignment : null;
                store.assign(tx, door.id(), member.id(), assignment, site.clock().now(), null, deposit, depositKey);
                site.events().emit(tx, "locker.assigned", door.id(), fields("member", member.id(), "locker_type", "day",
                        "bank", bank.id(), "deposit", deposit));
                if (deposit > 0) {
                    ledger.charge(tx, member.id(), deposit, Ledger.DEPOSIT_HOLD, depositKey, door.id(),
                            fields("locker", door.id()));
                }
                return null;
            });
        } catch (InsufficientFundsException e) {
            denied(reader, member, "insufficient_funds", null);
            return;
        }
        publish(door.id());
        unlock(door, "claim", member.id(), null);
    }

    private void denied(String device, Member member, String reason, String locker) {
        site.events().emit("locker.denied", device, fields("member", member.id(), "reason", reason, "locker", locker));
    }

    /** Journals why, then pulses the lock; refuses (journaled) when the locker opened too often this minute. */
    private boolean unlock(LockerDoor door, String reason, String member, String by) {
        if (!door.mayOpen()) {
            site.events().emit("locker.denied", door.id(), fields("member", member, "reason", "rate_limited", "by", by));
            return false;
        }
        site.events().emit("locker.unlocked", door.id(), fields("reason", reason, "member", member, "by", by));
        door.unlock();
        return true;
    }

    // ---- releases

    /**
     * Releases a locker. With {@code byRule} (closing, expiry) the release rule decides between free and
     * needs_emptying; otherwise the holder or a host released it and it becomes free, deposit returned.
     */
    private void release(String locker, String reason, String by, boolean byRule) {
        LockerDoor door = doors.get(locker);
        boolean presumedFull = byRule && !door.isOpen();
        site.db().inTransaction(tx -> {
            LockerRow row = store.get(tx, locker);
            if (row.status() == LockerStatus.FREE) {
                return null;
            }
            boolean keep = row.status() == LockerStatus.ASSIGNED && presumedFull;
            if (keep) {
                store.needsEmptying(tx, locker);
            } else {
                store.free(tx, locker);
            }
            site.events().emit(tx, "locker.released", locker, fields("member", row.member(), "reason", reason,
                    "status", keep ? "needs_emptying" : "free", "by", by));
            if (row.depositKey() != null) {
                if (keep) {
                    ledger.keepDeposit(tx, row.depositKey(), locker, fields("locker", locker));
                } else {
                    ledger.returnDeposit(tx, row.depositKey(), locker, fields("locker", locker));
                }
            }
            return null;
        });
        Scheduler.Timer expiry = expiries.remove(locker);
        if (expiry != null) {
            expiry.cancel();
        }
        publish(locker);
    }

    private void scheduleExpiry(String locker, Instant until) {
        Scheduler.Timer old = expiries.put(locker, site.clock().schedule(
                Duration.between(site.clock().now(), until), () -> expire(locker)));
        if (old != null) {
            old.cancel();
        }
    }

    private void expire(String locker) {
        expiries.remove(locker);
        LockerRow row = site.db().read(tx -> store.get(tx, locker));
        if (row.status() == LockerStatus.ASSIGNED && row.until() != null && !row.until().isAfter(site.clock().now())) {
            release(locker, "expired", null, true);
        }
    }

    // ---- host commands

    private JsonNode openCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        String by = CommandMembers.by(r);
        door.checkHostMayOpen();
        boolean hold = r.optionalBoolean("hold").orElse(false);
        if (hold) {
            site.events().emit("locker.unlocked", door.id(), fields("reason", "host", "hold", true, "by", by));
            door.hold();
        } else {
            unlock(door, "host", null, by);
        }
        door.attended();
        return null;
    }

    private JsonNode assignCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        String by = CommandMembers.by(r);
        Instant until = until(r);
        Member member = CommandMembers.member(site.members(), r);
        if (door.spec.type() != LockerType.RENTAL) {
            throw CommandException.badRequest(door.id() + " is a day locker: day lockers are claimed at the bank's reader");
        }
        if (member.revoked() || member.expiredAt(site.clock().now())) {
            throw CommandException.conflict("the member's card is revoked or expired");
        }
        String assignment = "cmd:locker.assign:" + r.id();
        long fee = policy.lockerRentalFee();
        try {
            site.db().inTransaction(tx -> {
                LockerRow row = store.get(tx, door.id());
                if (assignment.equals(row.assignment()) || ledger.posted(tx, assignment)) {
                    return null; // this very request was carried out before its reply was remembered
                }
                requireAssignable(row, member);
                store.assign(tx, door.id(), member.id(), assignment, site.clock().now(), until, 0, null);
                site.events().emit(tx, "locker.assigned", door.id(), fields("member", member.id(), "locker_type", "rental",
                        "bank", door.bank.id(), "until", until, "fee", fee, "by", by));
                if (fee > 0) {
                    ledger.charge(tx, member.id(), fee, Ledger.RENTAL_FEE, assignment, door.id(),
                            fields("locker", door.id(), "by", by));
                }
                return null;
            });
        } catch (InsufficientFundsException e) {
            throw new CommandException(CommandException.INSUFFICIENT_FUNDS, "the rental fee is " + fee
                    + " and the member's balance is " + e.balance());
        } catch (Refused e) {
            throw e.reason;
        }
        Scheduler.Timer old = expiries.remove(door.id());
        if (old != null) {
            old.cancel();
        }
        if (until != null) {
            scheduleExpiry(door.id(), until);
        }
        publish(door.id());
        return null;
    }

    private static void requireAssignable(LockerRow row, Member member) {
        if (!row.inService()) {
            throw new Refused(CommandException.conflict(row.locker() + " is out of service"));
        }
        if (row.status() == LockerStatus.NEEDS_EMPTYING) {
            throw new Refused(CommandException.conflict(row.locker() + " needs emptying; release it first"));
        }
        if (row.status() == LockerStatus.ASSIGNED && !member.id().equals(row.member())) {
            throw new Refused(CommandException.conflict(row.locker() + " is assigned to someone else"));
        }
    }

    private JsonNode releaseCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        String by = CommandMembers.by(r);
        release(door.id(), "host", by, false);
        door.attended();
        return null;
    }

    private JsonNode serviceCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        boolean inService = r.requireBoolean("in_service");
        String by = CommandMembers.by(r);
        try {
            site.db().inTransaction(tx -> {
                LockerRow row = store.get(tx, door.id());
                if (!inService && row.status() != LockerStatus.FREE) {
                    throw new Refused(CommandException.conflict(door.id() + " is " + row.status().wireName()
                            + "; release it before taking it out of service"));
                }
                if (row.inService() != inService) {
                    store.inService(tx, door.id(), inService);
                    site.events().emit(tx, "locker.service", door.id(), fields("in_service", inService, "by", by));
                }
                return null;
            });
        } catch (Refused e) {
            throw e.reason;
        }
        door.attended();
        publish(door.id());
        return null;
    }

    /** Who holds a locker, since and until when: the one place a host learns it without replaying the journal. */
    private JsonNode showCommand(CommandRequest r) throws CommandException {
        LockerDoor door = door(r);
        return Json.node(describe(door, site.db().read(tx -> store.get(tx, door.id()))));
    }

    /** Every locker (of one bank when {@code bank} is given), in the site file's order, with its holder. */
    private JsonNode listCommand(CommandRequest r) throws CommandException {
        Optional<String> bank = r.optionalText("bank");
        if (bank.isPresent() && doors.values().stream().noneMatch(d -> d.bank.id().equals(bank.get()))) {
            throw CommandException.notFound("no locker bank called '" + bank.get() + "'");
        }
        List<Map<String, Object>> lockers = new ArrayList<>();
        site.db().read(tx -> {
            for (LockerDoor door : doors.values()) {
                if (bank.isEmpty() || door.bank.id().equals(bank.get())) {
                    lockers.add(describe(door, store.get(tx, door.id())));
                }
            }
            return null;
        });
        return Json.node(fields("lockers", lockers));
    }

    private Map<String, Object> describe(LockerDoor door, LockerRow row) {
        return fields(
                "locker", door.id(),
                "bank", door.bank.id(),
                "number", door.spec.number(),
                "type", door.spec.type().yamlName(),
                "status", row.inService() ? row.status().wireName() : "out_of_service",
                "member", row.member(),
                "since", row.since() == null ? null : site.events().time(row.since()),
                "until", row.until() == null ? null : site.events().time(row.until()),
                "deposit", row.deposit(),
                "open", door.isOpen(),
                "locked", door.locked(),
                "jammed", site.alarms().isActive("locker.jammed", door.id()));
    }

    private LockerDoor door(CommandRequest r) throws CommandException {
        String id = r.requireText("locker");
        LockerDoor door = doors.get(id);
        if (door == null) {
            throw CommandException.notFound("no locker called '" + id + "'");
        }
        return door;
    }

    /** {@code until}: a date (through the end of that day, site time) or a date-time with offset; in the future. */
    private Instant until(CommandRequest r) throws CommandException {
        Optional<String> text = r.optionalText("until");
        if (text.isEmpty()) {
            return null;
        }
        Instant until;
        try {
            String s = text.get();
            until = s.length() == 10
                    ? LocalDate.parse(s).plusDays(1).atStartOfDay(site.site().zone()).toInstant()
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw CommandException.badRequest("field 'until' must be a date (2026-12-31) or a date-time with offset");
        }
        if (!until.isAfter(site.clock().now())) {
            throw CommandException.badRequest("field 'until' must lie in the future");
        }
        return until;
    }

    // ---- retained state

    private void publish(String locker) {
        publish(locker, site.db().read(tx -> store.get(tx, locker)));
    }

    private void publish(String locker, LockerRow row) {
        LockerDoor door = doors.get(locker);
        String status = row.inService() ? row.status().wireName() : "out_of_service";
        site.retained().put(site.topics().lockerState(locker),
                Json.bytes(fields("status", status, "open", door.isOpen(), "locked", door.locked())));
    }

    /** A command refused from inside a transaction: unchecked, so that it rolls the transaction back. */
    private static final class Refused extends RuntimeException {
        final CommandException reason;

        Refused(CommandException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }
}
