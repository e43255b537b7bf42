package kontor.device.gpio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kontor.device.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP23017 (register bank 0), shared by every device wired to it. Outputs are written through
 * a cached output latch; inputs are polled and debounced in software. A failed transfer marks the
 * chip offline; the next good poll writes the whole cached configuration again (the chip may have
 * lost power) and marks it online.
 */
final class Mcp23017 {
    private static final Logger log = LoggerFactory.getLogger(Mcp23017.class);

    static final int IODIRA = 0x00;
    static final int GPPUA = 0x0C;
    static final int GPIOA = 0x12;
    static final int GPIOB = 0x13;
    static final int OLATA = 0x14;

    /** Called with the debounced level of an input pin (true = HIGH), on the polling thread. */
    interface LevelListener {
        void level(boolean high);
    }

    private static final class Input {
        final long debounceNanos;
        final LevelListener listener;
        boolean stable;
        boolean candidate;
        long candidateSince = -1;

        Input(long debounceNanos, LevelListener listener, boolean stable) {
            this.debounceNanos = debounceNanos;
            this.listener = listener;
            this.stable = stable;
        }
    }

    private final String name;
    private final RegisterBus bus;
    private final List<Consumer<Health>> healthListeners = new CopyOnWriteArrayList<>();
    private final Input[] inputs = new Input[16];

    // What the chip should hold; the power-on defaults until the chip is read.
    private int iodir = 0xFFFF;
    private int gppu;
    private int olat;
    private Health health = Health.ONLINE;

    /** Reads the chip's current direction, pull-ups and latch so that pins nobody configured keep their state. */
    Mcp23017(String name, RegisterBus bus) {
        this.name = name;
        this.bus = bus;
        try {
            iodir = read16(IODIRA);
            gppu = read16(GPPUA);
            olat = read16(OLATA);
        } catch (RuntimeException e) {
            iodir = 0xFFFF;
            gppu = 0;
            olat = 0;
            failed(e).run();
        }
    }

    String name() {
        return name;
    }

    synchronized Health health() {
        return health;
    }

    void addHealthListener(Consumer<Health> listener) {
        healthListeners.add(listener);
    }

    void removeHealthListener(Consumer<Health> listener) {
        healthListeners.remove(listener);
    }

    /** Makes {@code pin} an output at {@code high}: the latch first, so the pin never shows another level. */
    void configureOutput(int pin, boolean high) {
        Runnable after;
        synchronized (this) {
            inputs[pin] = null;
            olat = with(olat, pin, high);
            iodir = with(iodir, pin, false);
            after = transfer(() -> {
                writeBank(OLATA, olat, pin);
                writeBank(IODIRA, iodir, pin);
            });
        }
        after.run();
    }

    /** Makes {@code pin} an input; {@code idleHigh} is its level until the first good read says otherwise. */
    void configureInput(int pin, boolean pullUp, long debounceNanos, boolean idleHigh, LevelListener listener) {
        Runnable after;
        synchronized (this) {
            gppu = with(gppu, pin, pullUp);
            iodir = with(iodir, pin, true);
            inputs[pin] = new Input(Math.max(0, debounceNanos), listener, idleHigh);
            after = transfer(() -> {
                writeBank(GPPUA, gppu, pin);
                writeBank(IODIRA, iodir, pin);
                inputs[pin].stable = bit(read16(GPIOA), pin);
            });
        }
        after.run();
    }

    void write(int pin, boolean high) {
        Runnable after;
        synchronized (this) {
            olat = with(olat, pin, high);
            after = transfer(() -> writeBank(OLATA, olat, pin));
        }
        after.run();
    }

    /** The debounced level of an input pin. */
    synchronized boolean level(int pin) {
        Input input = inputs[pin];
        return input != null && input.stable;
    }

    /** Stops reporting an input pin; its direction stays as it is. */
    synchronized void forgetInput(int pin) {
        inputs[pin] = null;
    }

    void poll() {
        poll(System.nanoTime());
    }

    /** Reads the inputs once: recovers the chip if it was offline, then debounces every input pin. */
    void poll(long nanoTime) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            int levels;
            try {
                levels = read16(GPIOA);
                if (!health.isOnline()) {
                    writeAll();
                    levels = read16(GPIOA);
                    health = Health.ONLINE;
                    log.warn("{} answers again", name);
                    after.add(notifyHealth(Health.ONLINE));
                }
            } catch (RuntimeException e) {
                failed(e).run();
                return;
            }
            for (int pin = 0; pin < 16; pin++) {
                Input input = inputs[pin];
                if (input != null && debounce(input, bit(levels, pin), nanoTime)) {
                    boolean level = input.stable;
                    after.add(() -> input.listener.level(level));
                }
            }
        }
        after.forEach(Mcp23017::runGuarded);
    }

    private static boolean debounce(Input input, boolean level, long now) {
        if (level == input.stable) {
            input.candidateSince = -1;
            return false;
        }
        if (input.candidateSince < 0 || input.candidate != level) {
            input.candidate = level;
            input.candidateSince = now;
        }
        if (now - input.candidateSince >= input.debounceNanos) {
            input.stable = level;
            input.candidateSince = -1;
            return true;
        }
        return false;
    }

    /** Runs a transfer under the monitor; returns what to do after leaving it (health news). */
    private Runnable transfer(Runnable io) {
        try {
            io.run();
            return () -> { };
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private synchronized Runnable failed(RuntimeException e) {
        if (!health.isOnline()) {
            return () -> { };
        }
        health = Health.offline(name + " does not answer: " + e.getMessage());
        log.warn("{} does not answer: {}", name, e.toString());
        return notifyHealth(health);
    }

    private Runnable notifyHealth(Health h) {
        return () -> healthListeners.forEach(l -> runGuarded(() -> l.accept(h)));
    }

    private void writeAll() {
        // latch before direction, as at configuration: a pin becoming an output shows its safe level at once
        bus.write(OLATA, olat & 0xFF);
        bus.write(OLATA + 1, olat >> 8);
        bus.write(GPPUA, gppu & 0xFF);
        bus.write(GPPUA + 1, gppu >> 8);
        bus.write(IODIRA, iodir & 0xFF);
        bus.write(IODIRA + 1, iodir >> 8);
    }

    private void writeBank(int registerA, int value, int pin) {
        if (pin < 8) {
            bus.write(registerA, value & 0xFF);
        } else {
            bus.write(registerA + 1, (value >> 8) & 0xFF);
        }
    }

    private int read16(int registerA) {
        return (bus.read(registerA) & 0xFF) | (bus.read(registerA + 1) & 0xFF) << 8;
    }

    private static int with(int value, int pin, boolean set) {
        return set ? value | (1 << pin) : value & ~(1 << pin);
    }

    private static boolean bit(int value, int pin) {
        return (value & (1 << pin)) != 0;
    }

    private static void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("A listener of an MCP23017 failed", e);
        }
    }
}
