package kontor.printing;

import static kontor.core.Events.fields;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.device.Health;
import kontor.device.Printer;
import kontor.device.PrinterStatus;
import kontor.device.Signal;
import kontor.core.Alarms;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.site.PrinterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every printer of the site: asks each one for its state every {@code poll} of its spec
 * (default {@code policy.printer_poll}) and turns what it says into alarms.
 *
 * <ul>
 *   <li>{@code printer.error}: a jam, paper out, a door or cover open, the printer stopped, or unreachable;
 *       {@code reason} says which. A different reason later clears the alarm and raises it again with it.</li>
 *   <li>{@code printer.toner_low}: a supply at or below {@code policy.toner_warning} %;
 *       {@code printer.toner_critical}: at or below {@code policy.toner_critical} %. Both can be active.</li>
 * </ul>
 * Every alarm clears when the printer reports the cause gone. A printer that cannot be read says nothing
 * about its toner, so toner alarms stay as they are while it is unreachable.
 *
 * <p>Asking a printer takes network time, so it happens on a small pool of its own; the answer comes back
 * as a signal through the gateway, onto the site thread. A printer still being asked is not asked again.
 */
public final class PrinterMonitor implements SiteService {
    private static final Logger log = LoggerFactory.getLogger(PrinterMonitor.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    public static final String ERROR = "printer.error";
    public static final String TONER_LOW = "printer.toner_low";
    public static final String TONER_CRITICAL = "printer.toner_critical";

    private final SiteContext ctx;
    private final Executor pollers;
    private final Map<String, Printer> printers = new LinkedHashMap<>();
    private final Set<String> asking = new HashSet<>();
    private final Map<String, Health> health = new HashMap<>();
    private final Map<String, Object> raisedWith = new HashMap<>();

    public PrinterMonitor(SiteContext ctx) {
        this(ctx, pollerPool(ctx.site().printers().size()));
    }

    /** With the executor that asks printers (tests may pass a direct one). */
    PrinterMonitor(SiteContext ctx, Executor pollers) {
        this.ctx = Objects.requireNonNull(ctx);
        this.pollers = Objects.requireNonNull(pollers);
        ctx.devices().printers().forEach(p -> printers.put(p.id(), p));
    }

    /** A few threads at most; they end when idle, so a stopped gateway leaves none behind. */
    private static Executor pollerPool(int printerCount) {
        int size = Math.max(1, Math.min(4, printerCount));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name("printer-poll-" + THREADS.incrementAndGet()).unstarted(r));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void start() {
        for (PrinterSpec spec : ctx.site().printers()) {
            Printer printer = printers.get(spec.id());
            if (printer == null) {
                continue;
            }
            ask(printer);
            ctx.clock().every(spec.poll(), () -> ask(printer));
        }
    }

    /** Asks one printer, off the site thread, unless it is still being asked. */
    private void ask(Printer printer) {
        if (!asking.add(printer.id())) {
            return;
        }
        try {
            pollers.execute(() -> {
                try {
                    printer.poll();
                } catch (RuntimeException e) {
                    log.error("Could not poll printer {}", printer.id(), e);
                } finally {
                    done(printer.id());
                }
            });
        } catch (RuntimeException e) {
            asking.remove(printer.id());
            log.error("Could not start polling printer {}", printer.id(), e);
        }
    }

    private void done(String printer) {
        try {
            ctx.clock().execute(() -> asking.remove(printer));
        } catch (RuntimeException e) {
            log.debug("Site clock gone before printer {} answered: {}", printer, e.toString());
        }
    }

    @Override
    public void onSignal(Signal signal) {
        switch (signal) {
            case Signal.HealthChanged h when printers.containsKey(h.device()) -> health.put(h.device(), h.health());
            case Signal.PrinterReport r when printers.containsKey(r.device()) -> {
                PrinterStates.record(ctx.devices(), r);
                judge(r.device(), r.status());
            }
            default -> { }
        }
    }

    private void judge(String printer, PrinterStatus status) {
        var error = PrinterProblems.error(status);
        if (error.isPresent()) {
            String reason = error.get();
            Health h = health.get(printer);
            String detail = reason.equals("unreachable") && h != null && !h.detail().isEmpty() ? h.detail() : null;
            raise(ERROR, printer, reason, fields("reason", reason, "state", status.state(),
                    "reasons", status.reasons(), "detail", detail));
        } else {
            clear(ERROR, printer);
        }
        if (!PrinterProblems.suppliesKnown(status)) {
            return;
        }
        var policy = ctx.site().policy();
        supplies(TONER_LOW, printer, PrinterProblems.atOrBelow(status, policy.tonerWarning()), policy.tonerWarning());
        supplies(TONER_CRITICAL, printer, PrinterProblems.atOrBelow(status, policy.tonerCritical()), policy.tonerCritical());
    }

    private void supplies(String type, String printer, List<PrinterStatus.Marker> low, int threshold) {
        if (low.isEmpty()) {
            clear(type, printer);
            return;
        }
        PrinterStatus.Marker lowest = low.get(0);
        List<String> names = low.stream().map(PrinterStatus.Marker::name).toList();
        raise(type, printer, names, fields("supply", lowest.name(), "color", lowest.color(), "level", lowest.level(),
                "threshold", threshold, "supplies", names));
    }

    /**
     * Raises the alarm; if it is already active for another cause ({@code cause} differs), clears it and raises
     * it again, so that the alarm always tells what is wrong now.
     */
    private void raise(String type, String printer, Object cause, Map<String, Object> detail) {
        String id = Alarms.id(type, printer);
        Alarms alarms = ctx.alarms();
        if (alarms.isActive(type, printer)) {
            if (cause.equals(raisedWith.get(id))) {
                return;
            }
            alarms.clear(type, printer);
        }
        alarms.raise(type, printer, detail);
        raisedWith.put(id, cause);
    }

    private void clear(String type, String printer) {
        raisedWith.remove(Alarms.id(type, printer));
        ctx.alarms().clear(type, printer);
    }
}
