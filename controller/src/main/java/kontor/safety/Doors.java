package kontor.safety;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kontor.device.Signal;
import kontor.core.SiteContext;
import kontor.core.SiteDevices.DoorHardware;
import kontor.core.SiteService;
import kontor.site.DoorSpec;
import kontor.site.FireSpec;
import kontor.site.Policy;
import kontor.time.Scheduler;

/**
 * Every door strike of the site, in one place: what each strike does when nobody is being let through
 * (locked, or released — the entrance during opening hours), unlocks for a granted tap or the exit
 * button, relocking as soon as the door opens, the {@code door.forced} and {@code door.held_open}
 * alarms, and the fail-safe release of every door while the fire input is active. Rooms and the
 * entrance decide <em>whether</em> a door opens; this class is the only one that moves a strike.
 */
public final class Doors implements SiteService {

    /** What a strike does when nobody is being let through. */
    public enum Normal { LOCKED, RELEASED }

    private final class Door {
        final String id;
        final DoorHardware hardware;
        Normal normal = Normal.LOCKED;
        /** The contact as last handled here: a repeated report is not a second opening. */
        boolean lastOpen;
        /** Until when an opening is expected: a granted tap or the exit button let someone through. */
        Instant authorisedUntil = Instant.MIN;
        Scheduler.Timer heldOpen;

        Door(String id, DoorHardware hardware) {
            this.id = id;
            this.hardware = hardware;
        }

        boolean open() {
            return Boolean.TRUE.equals(context.devices().get(id).map(t -> t.state("open")).orElse(false));
        }

        /** Released by fire or by its normal state: anyone may open it, and it may stand open. */
        boolean released() {
            return fire || normal == Normal.RELEASED;
        }
    }

    private final SiteContext context;
    private final Policy policy;
    private final Map<String, Door> doors = new LinkedHashMap<>();
    private boolean fire;

    public Doors(SiteContext context) {
        this.context = context;
        this.policy = context.site().policy();
        for (DoorSpec spec : context.site().devices(DoorSpec.class)) {
            context.devices().door(spec.id()).ifPresent(hw -> doors.put(spec.id(), new Door(spec.id(), hw)));
        }
    }

    @Override
    public void start() {
        FireSpec fireInput = context.site().fireInput();
        fire = fireInput != null && Boolean.TRUE.equals(
                context.devices().get(fireInput.id()).map(t -> t.state("active")).orElse(false));
        doors.values().forEach(door -> {
            door.lastOpen = door.open();
            apply(door);
        });
    }

    /** Whether the fire input is active (every door released). */
    public boolean fireActive() {
        return fire;
    }

    /** Sets what the door does when nobody is being let through, and applies it now (ending any unlock). */
    public void setNormal(String doorId, Normal normal) {
        Door door = door(doorId);
        door.normal = normal;
        apply(door);
    }

    /** Ends any unlock now: the strike goes back to its normal state (a room door at closing). */
    public void secure(String doorId) {
        Door door = door(doorId);
        door.authorisedUntil = Instant.MIN;
        apply(door);
    }

    /** Lets one person through: the strike is released for {@code time} unless it is released anyway. */
    public void unlock(String doorId, Duration time) {
        Door door = door(doorId);
        Instant now = context.clock().now();
        Instant until = now.plus(time);
        if (until.isAfter(door.authorisedUntil)) {
            door.authorisedUntil = until;
        }
        if (door.released()) {
            return;
        }
        context.events().awaitDurable(); // what let this person in is on the disk before the strike moves
        door.hardware.strike().pulse(time);
        publishLocked(door);
        // The strike relocks on its own; the published state follows it then.
        context.clock().schedule(time, () -> publishLocked(door));
    }

    public boolean isDoor(String id) {
        return doors.containsKey(id);
    }

    @Override
    public void onSignal(Signal signal) {
        switch (signal) {
            case Signal.FireChanged f -> fire(f.active());
            case Signal.ExitPressed e when doors.containsKey(e.device()) -> unlock(e.device(), policy.strikeTime());
            case Signal.ContactChanged c when doors.containsKey(c.device()) -> {
                Door door = doors.get(c.device());
                if (c.open() == door.lastOpen) {
                    return;
                }
                door.lastOpen = c.open();
                if (c.open()) {
                    opened(door);
                } else {
                    closed(door);
                }
            }
            default -> { }
        }
    }

    private void fire(boolean active) {
        if (fire == active) {
            return;
        }
        fire = active;
        doors.values().forEach(this::apply);
    }

    private void opened(Door door) {
        Instant now = context.clock().now();
        boolean expected = door.released() || door.hardware.strike().unlocked() || !now.isAfter(door.authorisedUntil);
        if (!expected) {
            context.alarms().raise("door.forced", door.id, fields());
        }
        // Anti-tailgating: one unlock lets one opening through; the next one needs a new unlock.
        door.authorisedUntil = Instant.MIN;
        if (policy.relockOnOpen() && !door.released() && door.hardware.strike().unlocked()) {
            door.hardware.strike().lock();
            publishLocked(door);
        }
        watchHeldOpen(door);
    }

    private void closed(Door door) {
        if (door.heldOpen != null) {
            door.heldOpen.cancel();
            door.heldOpen = null;
        }
        context.alarms().clear("door.held_open", door.id);
        context.alarms().clear("door.forced", door.id);
    }

    /** A door standing open while it should be locked raises door.held_open after the policy's time. */
    private void watchHeldOpen(Door door) {
        if (door.heldOpen != null || door.released()) {
            return;
        }
        door.heldOpen = context.clock().schedule(policy.doorHeldOpen(), () -> {
            door.heldOpen = null;
            if (door.open() && !door.released()) {
                context.alarms().raise("door.held_open", door.id, fields("limit_s", policy.doorHeldOpen().toSeconds()));
            }
        });
    }

    private void apply(Door door) {
        if (door.released()) {
            context.events().awaitDurable();
            door.hardware.strike().hold();
            if (door.heldOpen != null) {
                door.heldOpen.cancel();
                door.heldOpen = null;
            }
            context.alarms().clear("door.held_open", door.id);
        } else {
            door.hardware.strike().lock();
            if (door.open()) {
                watchHeldOpen(door);
            }
        }
        publishLocked(door);
    }

    private void publishLocked(Door door) {
        context.devices().update(door.id, "locked", !door.hardware.strike().unlocked());
    }

    private Door door(String id) {
        Door door = doors.get(id);
        if (door == null) {
            throw new IllegalArgumentException("no door called '" + id + "'");
        }
        return door;
    }
}
