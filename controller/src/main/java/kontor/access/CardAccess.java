package kontor.access;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import kontor.core.SiteService;
import kontor.core.TapDecider;
import kontor.core.TapDecision;
import kontor.core.Taps;
import kontor.device.Cards;
import kontor.device.Signal;
import kontor.core.Alarms;
import kontor.core.Events;
import kontor.core.SiteDevices;
import kontor.members.AccessCheck;
import kontor.members.Member;
import kontor.members.MemberException;
import kontor.members.Members;
import kontor.members.ReaderLockout;
import kontor.members.Role;
import kontor.site.Policy;
import kontor.time.Scheduler;

/**
 * Decides every tap at every reader: lock-out first, then the card (unknown, revoked, expired),
 * then the door behind the reader ({@link TapDecider}). It sees every signal as the first service after the
 * devices' own bookkeeping, and acts only on card reads. This is the one place a tap's outcome is
 * journaled: {@code card.granted} only when the door lets the member in, on the disk before anything moves;
 * otherwise {@code card.denied} with the card's or the door's reason. Only refused cards count
 * towards a reader's lock-out: a valid member turned away by a booked room is not probing cards.
 *
 * <p>Enrolling at a reader (docs/operators.md): after a host's (or an admin's) tap, an unknown card tapped at
 * the same reader within {@code policy.enrol_window} becomes a new visitor ({@code card.enrolled} at the
 * reader, with {@code by}: the host) instead of being refused. One card per host tap; the new card's own
 * next tap is decided as any member's.
 */
public final class CardAccess implements Taps, SiteService {
    private final Members members;
    private final ReaderLockout lockout;
    private final Events events;
    private final Alarms alarms;
    private final SiteDevices devices;
    private final Scheduler clock;
    private final Map<String, TapDecider> deciders = new HashMap<>();
    private final Duration enrolWindow;
    /** Readers where a host tapped lately: the host's member id, and until when a new card is enrolled. */
    private final Map<String, EnrolWindow> enrolWindows = new HashMap<>();

    private record EnrolWindow(String host, Instant until) { }

    public CardAccess(Members members, Policy policy, Events events, Alarms alarms, SiteDevices devices, Scheduler clock) {
        this.members = members;
        this.lockout = new ReaderLockout(policy.deniedTapsBeforeLockout(), policy.deniedTapsWindow(), policy.lockout());
        this.events = events;
        this.alarms = alarms;
        this.devices = devices;
        this.clock = clock;
        this.enrolWindow = policy.enrolWindow();
    }

    @Override
    public void decideAt(String reader, TapDecider decider) {
        if (deciders.putIfAbsent(reader, decider) != null) {
            throw new IllegalStateException("reader " + reader + " already has a decider");
        }
    }

    /** A card read or an unreadable frame; every other signal is none of the card check's business. */
    @Override
    public void onSignal(Signal signal) {
        switch (signal) {
            case Signal.CardPresented c -> tap(c.device(), c.card());
            case Signal.CardUnreadable u -> unreadable(u.device(), u.reason());
            default -> { }
        }
    }

    void tap(String reader, String rawCard) {
        Instant now = clock.now();
        String masked = Cards.mask(rawCard);
        if (lockout.lockedOut(reader, now)) {
            events.emit("card.denied", reader, fields("card", masked, "reason", "locked_out"));
            return;
        }
        AccessCheck check;
        try {
            check = members.check(rawCard, now);
        } catch (IllegalArgumentException notACard) {
            deny(reader, masked, null, "unreadable", now);
            return;
        }
        switch (check) {
            case AccessCheck.Granted g -> {
                if (g.member().role().isStaff()) {
                    enrolWindows.put(reader, new EnrolWindow(g.member().id(), now.plus(enrolWindow)));
                }
                TapDecider decider = deciders.get(reader);
                TapDecision decision = decider == null ? TapDecision.grant(() -> { }) : decider.decide(reader, g.member(), masked);
                switch (decision) {
                    case TapDecision.Grant grant -> {
                        Map<String, Object> f = fields("card", masked, "member", g.member().id(), "role", g.member().role().wireName());
                        f.putAll(grant.detail());
                        events.emit("card.granted", reader, f);
                        // No access without a record: whatever the action moves waits until the grant (and
                        // what the action journals itself) is on the disk; see Events.awaitDurable.
                        grant.action().run();
                    }
                    case TapDecision.Deny deny -> events.emit("card.denied", reader,
                            fields("card", masked, "member", g.member().id(), "reason", deny.reason()));
                }
            }
            case AccessCheck.Denied d -> {
                if (AccessCheck.UNKNOWN_CARD.equals(d.reason()) && enrolledAfterHost(reader, rawCard, masked, now)) {
                    return;
                }
                deny(reader, masked, d.member() == null ? null : d.member().id(), d.reason(), now);
            }
        }
    }

    /** Enrols an unknown card when a host tapped at this reader within the window; false when none did. */
    private boolean enrolledAfterHost(String reader, String rawCard, String masked, Instant now) {
        EnrolWindow window = enrolWindows.remove(reader);
        if (window == null || now.isAfter(window.until())) {
            return false;
        }
        Member member;
        try {
            member = members.enroll(rawCard, Role.VISITOR, false, null);
        } catch (MemberException e) {
            return false; // not a card we can enrol (a malformed read): refused as unknown
        }
        events.emit("card.enrolled", reader, fields("member", member.id(), "card", masked, "role", Role.VISITOR.wireName(),
                "accessible", false, "by", window.host()));
        return true;
    }

    /** A frame the reader could not trust counts as a denied tap (it may be someone probing). */
    void unreadable(String reader, String reason) {
        Instant now = clock.now();
        events.emit("card.denied", reader, fields("reason", "unreadable", "detail", reason));
        countDenied(reader, now);
    }

    private void deny(String reader, String masked, String member, String reason, Instant now) {
        events.emit("card.denied", reader, fields("card", masked, "member", member, "reason", reason));
        countDenied(reader, now);
    }

    private void countDenied(String reader, Instant now) {
        if (!lockout.recordDenied(reader, now)) {
            return;
        }
        Instant until = lockout.lockedUntil(reader, now).orElse(now);
        events.emit("reader.locked_out", reader, fields("until", until));
        alarms.raise("reader.locked_out", reader, fields("until", until));
        devices.update(reader, "locked_out", true);
        clock.schedule(java.time.Duration.between(now, until), () -> {
            if (!lockout.lockedOut(reader, clock.now())) {
                alarms.clear("reader.locked_out", reader);
                devices.update(reader, "locked_out", false);
            }
        });
    }
}
