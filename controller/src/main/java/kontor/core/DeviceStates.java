package kontor.core;

import static kontor.core.Events.fields;

import kontor.device.Health;
import kontor.device.Signal;

/**
 * The first service to see every signal: it keeps each device's published state and availability
 * in {@link SiteDevices} and journals the plain facts (a door opened, an exit button pressed, the
 * fire input, a device going offline). The services after it see the state already updated.
 *
 * <p>An event goes first and the state that tells of it second: a retained state waits until the
 * events before it are journaled ({@code RetainedTopics}), so nobody hears of a change the journal lacks.
 */
public final class DeviceStates implements SiteService {
    private final SiteDevices devices;
    private final Events events;
    private final Alarms alarms;

    public DeviceStates(SiteDevices devices, Events events, Alarms alarms) {
        this.devices = devices;
        this.events = events;
        this.alarms = alarms;
    }

    @Override
    public void onSignal(Signal s) {
        switch (s) {
            case Signal.ContactChanged c -> contact(c);
            case Signal.LockFeedback f -> devices.update(f.device(), "bolt_locked", f.locked());
            case Signal.ExitPressed e -> events.emit("door.exit_pressed", e.device());
            case Signal.MotionChanged m -> devices.update(m.device(), "motion", m.motion());
            case Signal.PeopleCounted p -> people(p);
            case Signal.FireChanged f -> fire(f);
            // Whether a laptop is in its bay, or charged, is state; the loan service journals what it means.
            case Signal.BaySensed b -> devices.update(b.device(),
                    b.sense() == kontor.device.BayInput.Sense.PRESENT ? "present" : "charged", b.active());
            case Signal.BatteryReport b -> devices.update(b.device(), "battery", b.percent());
            case Signal.HealthChanged h -> health(h.device(), h.health());
            // Taps are the card check's; pages are journaled by the copier with their charge; a
            // printer's report is recorded by the printer monitor, which knows its shape.
            case Signal.CardPresented c -> { }
            case Signal.CardUnreadable u -> { }
            case Signal.PagesCounted p -> { }
            case Signal.PrinterReport r -> { }
        }
    }

    private void contact(Signal.ContactChanged c) {
        if (!devices.differs(c.device(), "open", c.open())) {
            return;
        }
        // A loan computer's bay is a door of a charging locker: its door reports as a locker's does.
        String noun = devices.locker(c.device()).isPresent() || devices.loanBay(c.device()).isPresent()
                ? "locker" : "door";
        events.emit(noun + (c.open() ? ".opened" : ".closed"), c.device());
        devices.update(c.device(), "open", c.open());
    }

    private void people(Signal.PeopleCounted p) {
        var counter = devices.get(p.device()).orElseThrow();
        devices.update(p.device(), "in", (Integer) counter.state("in") + p.in());
        devices.update(p.device(), "out", (Integer) counter.state("out") + p.out());
    }

    private void fire(Signal.FireChanged f) {
        if (!devices.differs(f.device(), "active", f.active())) {
            return;
        }
        events.emit(f.active() ? "fire.active" : "fire.cleared", f.device());
        devices.update(f.device(), "active", f.active());
        if (f.active()) {
            alarms.raise("fire", f.device(), fields());
        } else {
            alarms.clear("fire", f.device());
        }
    }

    private void health(String device, Health h) {
        if (devices.health(device, h)) {
            events.emit(h.isOnline() ? "device.online" : "device.offline", device, SiteDevices.healthFields(h));
            if (h.isOnline()) {
                alarms.clear("device.offline", device);
            } else {
                alarms.raise("device.offline", device, SiteDevices.healthFields(h));
            }
        }
    }
}
