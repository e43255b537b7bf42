package kontor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import kontor.site.OpeningHours;
import kontor.store.SiteState;
import kontor.time.Scheduler;

/**
 * Opens and closes the site by its opening hours: {@code site.opened} / {@code site.closed}, and
 * every service told. The last state is stored, so a closing missed while the gateway was down
 * (a power cut over closing time) still happens — once — when it starts again.
 */
public final class OpeningTimes {
    private static final String KEY = "site.open";

    private final OpeningHours hours;
    private final Scheduler clock;
    private final SiteState state;
    private final Events events;
    private List<SiteService> services = List.of();
    private Scheduler.Timer next;
    private boolean open;
    /** False while the clock is not known to be right: the site then counts as closed (ClockWatch). */
    private boolean clockTrusted = true;
    private boolean started;

    public OpeningTimes(OpeningHours hours, Scheduler clock, SiteState state, Events events) {
        this.hours = hours;
        this.clock = clock;
        this.state = state;
        this.events = events;
    }

    /** Whether the clock can be trusted: while it cannot, the hours do not open the site (ClockWatch). */
    public boolean clockTrusted() {
        return clockTrusted;
    }

    /** The clock became trustworthy or stopped being so; on the site thread. */
    public void clockTrusted(boolean trusted) {
        clockTrusted = trusted;
        if (started) {
            replan();
        }
    }

    /** After the clock jumped, or its trust changed: the state for the time it is now, and the next change from there. */
    public void replan() {
        if (next != null) {
            next.cancel();
        }
        check();
    }

    private boolean openNow() {
        return clockTrusted && hours.isOpen(clock.now());
    }

    /** Whether the site is open now (by the last transition the gateway made). */
    public boolean isOpen() {
        return open;
    }

    /** The opening hours of the site file. */
    public OpeningHours hours() {
        return hours;
    }

    /** Starts following the hours; on the site thread, after the services started. */
    public void start(List<SiteService> services) {
        this.services = services;
        started = true;
        boolean nowOpen = openNow();
        String stored = state.get(KEY).orElse(null);
        open = nowOpen;
        if (stored == null || Boolean.parseBoolean(stored) != nowOpen) {
            transition(nowOpen);
        } else if (nowOpen) {
            services.forEach(SiteService::onOpened);
        }
        schedule();
    }

    private void schedule() {
        Instant now = clock.now();
        hours.nextChange(now).ifPresent(at -> next = clock.schedule(Duration.between(now, at), this::check));
    }

    /** Runs at each expected change; re-checks the hours rather than trusting the timer. */
    private void check() {
        boolean nowOpen = openNow();
        if (nowOpen != open) {
            open = nowOpen;
            transition(nowOpen);
        }
        schedule();
    }

    private void transition(boolean nowOpen) {
        events.emit(nowOpen ? "site.opened" : "site.closed", null);
        state.put(KEY, Boolean.toString(nowOpen));
        Consumer<SiteService> tell = nowOpen ? SiteService::onOpened : SiteService::onClosed;
        services.forEach(tell);
    }

    public void stop() {
        if (next != null) {
            next.cancel();
        }
    }
}
