package kontor.core;

import static kontor.core.Events.fields;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import kontor.time.ClockSync;
import kontor.time.Scheduler;

/**
 * Watches the site clock, on the site thread, every {@link #PERIOD}:
 * <ul>
 * <li>Not known to be synchronised (a Pi after a power cut, before NTP): alarm {@code clock.unsynchronised},
 *     and everything that decides by the time of day is told to wait (opening hours count as closed; only the
 *     entrance decides taps, for hosts and cards without an end date). Cleared once the clock is synchronised.</li>
 * <li>A jump (wall time moved more than {@link #JUMP} away from the elapsed monotonic time, forward or back, e.g.
 *     NTP's first correction): event {@code clock.jumped}, and the time-of-day schedules are worked out again
 *     from the new time, so that no opening or closing fires at the old time or is lost.</li>
 * </ul>
 * Timers for durations (a strike time, a lock-out) run on monotonic time and are not affected by either.
 */
public final class ClockWatch {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final Duration JUMP = Duration.ofMinutes(2);

    private final ClockSync sync;
    private final Scheduler clock;
    private final Alarms alarms;
    private final Events events;
    private final List<Consumer<Boolean>> trustListeners;
    private final Runnable afterJump;
    private Boolean trusted;
    private Instant last;
    private Scheduler.Timer timer;

    /**
     * @param trustListeners told whether the clock can be trusted, once at start and on every change
     * @param afterJump      runs after a jump (the opening hours re-plan)
     */
    public ClockWatch(ClockSync sync, Scheduler clock, Alarms alarms, Events events,
                      List<Consumer<Boolean>> trustListeners, Runnable afterJump) {
        this.sync = sync;
        this.clock = clock;
        this.alarms = alarms;
        this.events = events;
        this.trustListeners = List.copyOf(trustListeners);
        this.afterJump = afterJump;
    }

    /** Whether the clock can be trusted now. */
    public boolean trusted() {
        return trusted == null || trusted;
    }

    /** The first check, before the opening hours start; then one every {@link #PERIOD}. On the site thread. */
    public void start() {
        last = clock.now();
        check();
        timer = clock.every(PERIOD, this::tick);
    }

    private void tick() {
        Instant now = clock.now();
        Duration drift = Duration.between(last.plus(PERIOD), now);
        last = now;
        if (drift.abs().compareTo(JUMP) > 0) {
            events.emit("clock.jumped", null, fields("by_s", drift.toSeconds()));
            afterJump.run();
        }
        check();
    }

    private void check() {
        boolean now = sync.synchronised();
        if (trusted != null && trusted == now) {
            return;
        }
        trusted = now;
        if (now) {
            alarms.clear("clock.unsynchronised", "gateway");
        } else {
            alarms.raise("clock.unsynchronised", "gateway", fields("since", clock.now()));
        }
        trustListeners.forEach(l -> l.accept(now));
    }

    public void stop() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
