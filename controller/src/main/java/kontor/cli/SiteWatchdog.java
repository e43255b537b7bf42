package kontor.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import kontor.time.Scheduler;

/**
 * Tells systemd's watchdog ({@code WatchdogSec=} in the unit) that the gateway is alive, but only while its site
 * thread really turns: each beat first checks that the probe posted to the site thread at the previous beat has
 * run, and only then sends {@code WATCHDOG=1} and posts the next probe. A site thread that hangs (a deadlock, a
 * stuck disk write) therefore stops the pings, and systemd kills and restarts the gateway, which starts with
 * every output in its safe state. A JVM that hangs as a whole stops them too; a hung kernel is for the Pi's
 * hardware watchdog (docs/operations.md).
 */
public final class SiteWatchdog implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SiteWatchdog.class);

    private final Scheduler site;
    private final Consumer<String> notify;
    private final AtomicBoolean probeRan = new AtomicBoolean(true);
    private final ScheduledExecutorService timer;
    private boolean warned;

    /**
     * @param site   the site's scheduler, whose thread is watched
     * @param notify sends a notification state to systemd
     */
    SiteWatchdog(Scheduler site, Consumer<String> notify) {
        this.site = Objects.requireNonNull(site, "site");
        this.notify = Objects.requireNonNull(notify, "notify");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kontor-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The beat interval for systemd's {@code WATCHDOG_USEC} (half of it, as sd_watchdog_enabled advises), or null
     * when systemd expects no pings from this process ({@code WATCHDOG_PID} names another one).
     */
    static Duration interval(String watchdogUsec, String watchdogPid, long pid) {
        if (watchdogUsec == null || watchdogUsec.isBlank()) {
            return null;
        }
        if (watchdogPid != null && !watchdogPid.isBlank() && Long.parseLong(watchdogPid.strip()) != pid) {
            return null;
        }
        long usec = Long.parseLong(watchdogUsec.strip());
        return usec <= 0 ? null : Duration.ofNanos(usec * 1000 / 2);
    }

    /** Beats every {@code interval} on its own thread (never the site thread: that is what it watches). */
    SiteWatchdog start(Duration interval) {
        long nanos = interval.toNanos();
        timer.scheduleAtFixedRate(this::beat, 0, nanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** One beat: a ping only if the site thread ran the previous probe; then the next probe. */
    void beat() {
        try {
            if (!probeRan.get()) {
                if (!warned) {
                    log.error("The site thread has not run for a watchdog interval: no ping to systemd, which restarts the gateway");
                    warned = true;
                }
                return;
            }
            warned = false;
            notify.accept("WATCHDOG=1");
            probeRan.set(false);
            site.execute(() -> probeRan.set(true));
        } catch (RuntimeException e) {
            log.warn("Watchdog beat failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
