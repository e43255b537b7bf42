package kontor.core;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import kontor.device.Signal;
import kontor.time.Scheduler;

/**
 * Damps a flapping input: a contact or sensor that changes more than {@link #MAX_CHANGES} times
 * within {@link #WINDOW} (a loose wire, a door banging in the wind) is reported once as
 * {@code device.flapping} instead of a thousand times; its changes are held back until it has been
 * quiet for {@link #SETTLE}, then its settled state is passed on once and the alarm clears.
 * The drivers' debounce handles contact bounce of milliseconds; this handles seconds.
 * The fire input is never damped.
 */
public final class FlapDamper {
    static final int MAX_CHANGES = 10;
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final Scheduler clock;
    private final Alarms alarms;
    private final Consumer<Signal> passOn;
    private final Map<String, Input> inputs = new HashMap<>();

    private static final class Input {
        final Deque<Instant> changes = new ArrayDeque<>();
        Signal latest;
        Scheduler.Timer settle;
    }

    public FlapDamper(Scheduler clock, Alarms alarms, Consumer<Signal> passOn) {
        this.clock = clock;
        this.alarms = alarms;
        this.passOn = passOn;
    }

    /** Returns the signal to handle now, or null while its input is flapping. Runs on the site thread. */
    public Signal filter(Signal s) {
        if (!(s instanceof Signal.ContactChanged || s instanceof Signal.MotionChanged)) {
            return s;
        }
        Instant now = clock.now();
        Input in = inputs.computeIfAbsent(s.device(), d -> new Input());
        in.changes.addLast(now);
        while (!in.changes.isEmpty() && in.changes.peekFirst().isBefore(now.minus(WINDOW))) {
            in.changes.removeFirst();
        }
        if (in.settle == null && in.changes.size() <= MAX_CHANGES) {
            return s;
        }
        if (in.settle == null) {
            alarms.raise("device.flapping", s.device(), fields("changes", in.changes.size(), "within_s", WINDOW.toSeconds()));
        } else {
            in.settle.cancel();
        }
        in.latest = s;
        in.settle = clock.schedule(SETTLE, () -> settle(s.device(), in));
        return null;
    }

    private void settle(String device, Input in) {
        in.settle = null;
        in.changes.clear();
        alarms.clear("device.flapping", device);
        passOn.accept(in.latest);
    }
}
