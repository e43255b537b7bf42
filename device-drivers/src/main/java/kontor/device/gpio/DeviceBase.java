package kontor.device.gpio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kontor.device.Device;
import kontor.device.DeviceListener;
import kontor.device.Health;
import kontor.device.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every Pi4J device shares: its id, its listener, its lines, and a health that is offline
 * while any expander it is wired to does not answer.
 */
abstract class DeviceBase implements Device {
    private static final Logger log = LoggerFactory.getLogger(DeviceBase.class);

    private final String id;
    private final DeviceListener listener;
    private final List<OutputLine> outputs = new ArrayList<>();
    private final List<InputLine> inputs = new ArrayList<>();
    private final Set<Mcp23017> chips = new LinkedHashSet<>();
    private final Consumer<Health> chipHealth = h -> healthMayHaveChanged();
    private Health lastHealth;
    private boolean closed;
    private Runnable afterClose = () -> { };

    DeviceBase(String id, DeviceListener listener) {
        this.id = id;
        this.listener = listener;
    }

    /** Called by the factory once the lines exist; {@code afterClose} gives the pins back. */
    final void attach(List<OutputLine> outputLines, List<InputLine> inputLines, Runnable afterClose) {
        this.afterClose = afterClose;
        outputs.addAll(outputLines);
        inputs.addAll(inputLines);
        outputLines.forEach(l -> l.chip().ifPresent(chips::add));
        inputLines.forEach(l -> l.chip().ifPresent(chips::add));
        synchronized (this) {
            lastHealth = computeHealth();
        }
        chips.forEach(c -> c.addHealthListener(chipHealth));
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public Health health() {
        return computeHealth();
    }

    private Health computeHealth() {
        for (Mcp23017 chip : chips) {
            Health h = chip.health();
            if (!h.isOnline()) {
                return h;
            }
        }
        return Health.ONLINE;
    }

    private void healthMayHaveChanged() {
        Health now = computeHealth();
        synchronized (this) {
            if (closed || now.equals(lastHealth)) {
                return;
            }
            lastHealth = now;
        }
        emit(new Signal.HealthChanged(id, now));
    }

    /** Hands a signal up; a failing listener must not break the thread that saw the change. */
    final void emit(Signal signal) {
        try {
            listener.onSignal(signal);
        } catch (RuntimeException e) {
            log.error("The listener of {} failed on {}", id, signal, e);
        }
    }

    final synchronized boolean isClosed() {
        return closed;
    }

    /** Drives the device's own state to safe before the lines go; called once. */
    void beforeClose() { }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            beforeClose();
        } catch (RuntimeException e) {
            log.error("Closing {} failed", id, e);
        }
        chips.forEach(c -> c.removeHealthListener(chipHealth));
        inputs.forEach(InputLine::close);
        outputs.forEach(OutputLine::close);
        afterClose.run();
    }
}
