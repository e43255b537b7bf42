package kontor.lockers;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import kontor.core.SiteContext;
import kontor.core.SiteDevices.LockerHardware;
import kontor.device.Signal;
import kontor.mqtt.CommandException;
import kontor.site.LockerBank;
import kontor.site.LockerSpec;
import kontor.site.Policy;
import kontor.time.Scheduler;

/**
 * One locker's hardware truth: the lock is pulsed (or held for a host), and only so often a minute; its feedback (if
 * wired) must follow the command; the door contact tells forced and left-open doors. Knows nothing of who
 * holds the locker. Runs on the site thread.
 */
final class LockerDoor {
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    /** A door that springs open just after the relock was still opened by the holder, not forced. */
    static final Duration FORCED_GRACE = Duration.ofSeconds(2);
    static final Duration MAX_FEEDBACK_DELAY = Duration.ofSeconds(1);

    final LockerSpec spec;
    final LockerBank bank;
    private final LockerHardware hardware;
    private final SiteContext site;
    private final Policy policy;
    private final Runnable changed;
    private final Deque<Instant> opens = new ArrayDeque<>();
    private boolean open;
    private boolean holding;
    private boolean boltLocked = true;
    /** While locker.jammed is active: the commanded state (true: locked) the bolt failed to reach. */
    private Boolean failedToReach;
    private Instant relockedAt;
    private Scheduler.Timer relock;
    private Scheduler.Timer feedbackCheck;
    private Scheduler.Timer leftOpen;

    LockerDoor(LockerSpec spec, LockerBank bank, LockerHardware hardware, SiteContext site, Runnable changed) {
        this.spec = spec;
        this.bank = bank;
        this.hardware = hardware;
        this.site = site;
        this.policy = site.site().policy();
        this.changed = changed;
        this.open = hardware.contact() != null && hardware.contact().open();
    }

    String id() {
        return spec.id();
    }

    boolean isOpen() {
        return open;
    }

    boolean locked() {
        return !hardware.lock().unlocked();
    }

    boolean hasContact() {
        return hardware.contact() != null;
    }

    /** Online and not jammed: fit to be given to someone. */
    boolean fit() {
        return site.devices().get(id()).map(d -> d.available()).orElse(false)
                && !site.alarms().isActive("locker.jammed", id());
    }

    /** Whether one more open now stays within the opens allowed per minute. */
    boolean mayOpen() {
        Instant now = site.clock().now();
        while (!opens.isEmpty() && !opens.peekFirst().isAfter(now.minus(RATE_WINDOW))) {
            opens.removeFirst();
        }
        return opens.size() < policy.lockerOpensPerMinute();
    }

    /** A host's open (a command) within the opens allowed per minute, or a refusal that says so. */
    void checkHostMayOpen() throws CommandException {
        if (!mayOpen()) {
            throw CommandException.denied(id() + " was opened " + policy.lockerOpensPerMinute()
                    + " times in the last minute, the most allowed; try again shortly");
        }
    }

    /** The door's own signals: its contact and its lock's feedback. */
    void onSignal(Signal signal) {
        switch (signal) {
            case Signal.ContactChanged c -> contact(c.open());
            case Signal.LockFeedback f -> feedback(f.locked());
            default -> { }
        }
    }

    /** Pulses the lock open; the caller checked {@link #mayOpen()} and journaled why. */
    void unlock() {
        Instant now = site.clock().now();
        holding = false;
        opens.addLast(now);
        Duration pulse = policy.lockerPulse();
        site.events().awaitDurable(); // why it opens is on the disk before it moves
        hardware.lock().pulse(pulse);
        relockedAt = now.plus(pulse);
        cancel(relock);
        // Scheduled after the driver's own relock for the same instant, so it sees the lock locked again.
        relock = site.clock().schedule(pulse, this::relocked);
        lockChanged();
    }

    /**
     * Keeps the lock released (a host emptying or mending the locker) until the door has been opened and
     * shut again, or until {@code policy.locker_left_open} passes with the door never opened.
     */
    void hold() {
        opens.addLast(site.clock().now());
        site.events().awaitDurable();
        hardware.lock().hold();
        holding = true;
        relockedAt = null;
        cancel(relock);
        relock = site.clock().schedule(policy.lockerLeftOpen(), () -> {
            relock = null;
            if (holding && !open) {
                endHold();
            }
        });
        lockChanged();
    }

    private void endHold() {
        holding = false;
        hardware.lock().lock();
        relockedAt = site.clock().now();
        lockChanged();
    }

    private void relocked() {
        relock = null;
        lockChanged();
    }

    private void lockChanged() {
        site.devices().update(id(), "locked", locked());
        changed.run();
        if (hardware.lock().hasFeedback()) {
            cancel(feedbackCheck);
            Duration half = policy.lockerPulse().dividedBy(2);
            feedbackCheck = site.clock().schedule(half.compareTo(MAX_FEEDBACK_DELAY) < 0 ? half : MAX_FEEDBACK_DELAY,
                    this::checkFeedback);
        }
    }

    /** The bolt should have followed the command by now. */
    private void checkFeedback() {
        feedbackCheck = null;
        boolean commanded = locked();
        if (boltLocked != commanded) {
            if (failedToReach == null) {
                failedToReach = commanded;
                site.alarms().raise("locker.jammed", id(), fields("expected", commanded ? "locked" : "unlocked"));
            }
        } else if (failedToReach != null && failedToReach == commanded) {
            clearJam();
        }
    }

    void feedback(boolean locked) {
        boltLocked = locked;
        if (failedToReach != null && failedToReach == locked && locked == locked()) {
            clearJam();
        }
    }

    private void clearJam() {
        failedToReach = null;
        site.alarms().clear("locker.jammed", id());
    }

    void contact(boolean nowOpen) {
        if (nowOpen == open) {
            return;
        }
        open = nowOpen;
        changed.run();
        Instant now = site.clock().now();
        if (nowOpen) {
            if (locked() && (relockedAt == null || now.isAfter(relockedAt.plus(FORCED_GRACE)))) {
                site.alarms().raise("locker.forced", id(), fields());
            }
            cancel(leftOpen);
            leftOpen = site.clock().schedule(policy.lockerLeftOpen(), () -> {
                leftOpen = null;
                if (open) {
                    site.alarms().raise("locker.left_open", id(), fields("since", now));
                }
            });
        } else {
            cancel(leftOpen);
            leftOpen = null;
            site.alarms().clear("locker.left_open", id());
            if (holding) {
                endHold();
            }
        }
    }

    /** A host has dealt with the locker (opened, released or serviced it): a forced door is their business now. */
    void attended() {
        site.alarms().clear("locker.forced", id());
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
