package kontor.device.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kontor.device.CardReader;
import kontor.device.Copier;
import kontor.device.DeviceFactory;
import kontor.device.DeviceListener;
import kontor.device.DoorContact;
import kontor.device.ExitButton;
import kontor.device.FireInput;
import kontor.device.Lock;
import kontor.device.PeopleCounter;
import kontor.device.PresenceSensor;
import kontor.device.BayInput;
import kontor.device.Printer;
import kontor.device.PrinterFactory;
import kontor.device.StatusLight;
import kontor.device.wiegand.WiegandDecoder;
import kontor.device.wiring.CopierWiring;
import kontor.device.wiring.CounterWiring;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LightWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.Pin;
import kontor.device.wiring.WiegandWiring;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the site's devices on a Pi4J context: header pins through the context's digital
 * providers, MCP23017 pins through its I2C provider (one chip object per bus and address, shared),
 * and network printers through the {@link PrinterFactory} it is given (they are not wired).
 * Every output starts at its safe level. {@link #close()} drives every output safe, device by device
 * in the order they were made, and stops the pollers; the context stays its creator's to shut down
 * (except the one {@link #onThisPi} makes).
 */
public final class Pi4jDevices implements DeviceFactory {
    private static final Logger log = LoggerFactory.getLogger(Pi4jDevices.class);

    /** Timings that belong to the hardware, not the site: how often expanders are read, Wiegand bounds. */
    public record Settings(Duration expanderPoll, WiegandDecoder.Timing wiegand) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(20), WiegandDecoder.Timing.DEFAULT);

        public Settings {
            Objects.requireNonNull(expanderPoll, "expanderPoll");
            Objects.requireNonNull(wiegand, "wiegand");
            if (expanderPoll.isNegative() || expanderPoll.isZero()) {
                throw new IllegalArgumentException("expander poll period must be longer than zero");
            }
        }
    }

    private final Context pi4j;
    private final Scheduler scheduler;
    private final Settings settings;
    private final PrinterFactory printers;
    private final List<Printer> madePrinters = new ArrayList<>();
    private final ScheduledThreadPoolExecutor realTime;
    private final Map<String, Mcp23017> chips = new LinkedHashMap<>();
    private final List<ScheduledFuture<?>> pollers = new ArrayList<>();
    private final List<DeviceBase> devices = new ArrayList<>();
    private final Map<String, String> pinUsers = new HashMap<>();
    private boolean closed;
    /** Whether {@link #close()} shuts the context down too (it does when this factory made it). */
    private boolean ownContext;

    public Pi4jDevices(Context pi4j, Scheduler scheduler, PrinterFactory printers) {
        this(pi4j, scheduler, Settings.DEFAULT, printers);
    }

    public Pi4jDevices(Context pi4j, Scheduler scheduler, Settings settings, PrinterFactory printers) {
        this.pi4j = Objects.requireNonNull(pi4j, "pi4j");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.printers = Objects.requireNonNull(printers, "printers");
        AtomicInteger threads = new AtomicInteger();
        this.realTime = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "kontor-io-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        realTime.setRemoveOnCancelPolicy(true);
    }

    /**
     * The devices of a real Pi: the real drivers on Pi4J's gpiod and linuxfs providers (see
     * {@link #gpiodContext()}), printers from {@code printers}. The context lives as long as the factory.
     */
    public static DeviceFactory onThisPi(Scheduler scheduler, PrinterFactory printers) {
        Context context = gpiodContext();
        Pi4jDevices devices = new Pi4jDevices(context, scheduler, Settings.DEFAULT, printers);
        devices.ownContext = true;
        return devices;
    }

    /**
     * The production context, built explicitly so that the backend is a decision: gpiod for the
     * header's digital inputs and outputs (no root, Pi 4 and Pi 5) and linuxfs for I2C. Nothing is
     * auto-detected, so a mock plugin on the classpath can never be picked up by accident.
     */
    public static Context gpiodContext() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(GpioDDigitalInputProvider.newInstance(),
                        GpioDDigitalOutputProvider.newInstance(),
                        LinuxFsI2CProvider.newInstance())
                .build();
    }

    @Override
    public Lock lock(String id, LockWiring w, DeviceListener l) {
        Objects.requireNonNull(w, "wiring");
        Map<String, Pin> pins = roles("output", w.output(), "feedback", w.feedback());
        require(id, "output", w.output());
        return make(id, l, pins, lines -> {
            GpioLock lock = new GpioLock(id, l, scheduler, w.failSafe());
            OutputLine out = lines.output(w.output(), GpioLock.energisedWhenLocked(w.failSafe()), id + " lock");
            InputLine feedback = w.feedback() == null ? null
                    : lines.input(w.feedback(), InputWiring.DEFAULT_DEBOUNCE, id + " feedback", lock::feedbackChanged);
            lock.wire(out, feedback);
            return lock;
        });
    }

    @Override
    public DoorContact contact(String id, InputWiring w, DeviceListener l) {
        return input(id, w, l, new GpioDoorContact(id, l), "contact");
    }

    @Override
    public ExitButton exitButton(String id, InputWiring w, DeviceListener l) {
        return input(id, w, l, new GpioExitButton(id, l), "exit button");
    }

    @Override
    public PresenceSensor presence(String id, InputWiring w, DeviceListener l) {
        return input(id, w, l, new GpioPresenceSensor(id, l), "presence");
    }

    @Override
    public FireInput fire(String id, InputWiring w, DeviceListener l) {
        return input(id, w, l, new GpioFireInput(id, l), "fire");
    }

    @Override
    public BayInput bayInput(String id, BayInput.Sense sense, InputWiring w, DeviceListener l) {
        return input(id, w, l, new GpioBayInput(id, sense, l), sense == BayInput.Sense.PRESENT ? "present" : "charged");
    }

    @Override
    public PeopleCounter counter(String id, CounterWiring w, DeviceListener l) {
        Objects.requireNonNull(w, "wiring");
        require(id, "in", w.in());
        require(id, "out", w.out());
        return make(id, l, roles("in", w.in(), "out", w.out()), lines -> {
            GpioPeopleCounter counter = new GpioPeopleCounter(id, l);
            lines.input(w.in(), InputWiring.DEFAULT_DEBOUNCE, id + " in", counter::inPulse);
            lines.input(w.out(), InputWiring.DEFAULT_DEBOUNCE, id + " out", counter::outPulse);
            return counter;
        });
    }

    @Override
    public StatusLight light(String id, LightWiring w, DeviceListener l) {
        Objects.requireNonNull(w, "wiring");
        require(id, "green", w.green());
        require(id, "red", w.red());
        Map<String, Pin> pins = roles("green", w.green(), "red", w.red());
        if (w.amber() != null) {
            pins.put("amber", w.amber());
        }
        return make(id, l, pins, lines -> {
            GpioStatusLight light = new GpioStatusLight(id, l, scheduler);
            OutputLine green = lines.output(w.green(), false, id + " green");
            OutputLine amber = w.amber() == null ? null : lines.output(w.amber(), false, id + " amber");
            OutputLine red = lines.output(w.red(), false, id + " red");
            light.wire(green, amber, red);
            return light;
        });
    }

    @Override
    public Copier copier(String id, CopierWiring w, DeviceListener l) {
        Objects.requireNonNull(w, "wiring");
        require(id, "enable", w.enable());
        require(id, "mono pulse", w.monoPulse());
        Map<String, Pin> pins = roles("enable", w.enable(), "mono pulse", w.monoPulse());
        if (w.colourPulse() != null) {
            pins.put("colour pulse", w.colourPulse());
        }
        return make(id, l, pins, lines -> {
            GpioCopier copier = new GpioCopier(id, l);
            OutputLine enable = lines.output(w.enable(), false, id + " enable");
            lines.input(w.monoPulse(), InputWiring.DEFAULT_DEBOUNCE, id + " mono", copier::monoPulse);
            if (w.colourPulse() != null) {
                lines.input(w.colourPulse(), InputWiring.DEFAULT_DEBOUNCE, id + " colour", copier::colourPulse);
            }
            copier.wire(enable, w.colourPulse() != null);
            return copier;
        });
    }

    @Override
    public Printer printer(String id, URI ipp, Duration poll, DeviceListener l) {
        Printer printer = printers.create(id, ipp, poll, l);
        synchronized (this) {
            madePrinters.add(printer);
        }
        return printer;
    }

    @Override
    public CardReader cardReader(String id, WiegandWiring w, DeviceListener l) {
        Objects.requireNonNull(w, "wiring");
        require(id, "D0", w.d0());
        require(id, "D1", w.d1());
        return make(id, l, roles("D0", w.d0(), "D1", w.d1()), lines -> {
            WiegandReader reader = new WiegandReader(id, l, new WiegandDecoder(settings.wiegand()), realTime);
            reader.warmUp(settings.wiegand());
            // no debounce: a Wiegand bit is a pulse of about 50 µs
            lines.input(w.d0(), Duration.ZERO, id + " D0", reader::d0);
            lines.input(w.d1(), Duration.ZERO, id + " D1", reader::d1);
            return reader;
        });
    }

    /** Drives every output safe, device by device in the order they were made, then stops polling and the printers. */
    @Override
    public void close() {
        List<DeviceBase> toClose;
        List<Printer> printersToClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(devices);
            printersToClose = List.copyOf(madePrinters);
        }
        for (DeviceBase device : toClose) {
            try {
                device.close();
            } catch (RuntimeException e) {
                log.error("Closing {} failed", device.id(), e);
            }
        }
        synchronized (this) {
            pollers.forEach(p -> p.cancel(false));
        }
        realTime.shutdownNow();
        for (Printer printer : printersToClose) {
            try {
                printer.close();
            } catch (RuntimeException e) {
                log.error("Closing {} failed", printer.id(), e);
            }
        }
        if (ownContext) {
            pi4j.shutdown();
        }
    }

    private <D extends InputDevice> D input(String id, InputWiring w, DeviceListener l, D device, String role) {
        Objects.requireNonNull(w, "wiring");
        require(id, role, w.pin());
        Duration debounce = w.debounce() == null ? InputWiring.DEFAULT_DEBOUNCE : w.debounce();
        if (debounce.isNegative()) {
            throw new IllegalArgumentException(id + ": debounce must not be negative");
        }
        return make(id, l, roles(role, w.pin()), lines -> {
            device.wire(lines.input(w.pin(), debounce, id + " " + role, device::changed));
            return device;
        });
    }

    /** The lines a device is being made of, so that a failure half-way gives them all back. */
    private final class Lines {
        final List<OutputLine> outputs = new ArrayList<>();
        final List<InputLine> inputs = new ArrayList<>();

        OutputLine output(Pin pin, boolean safeActive, String name) {
            OutputLine line = switch (pin) {
                case GpioPin g -> new GpioOutputLine(pi4j, g, safeActive, name);
                case ExpanderPin e -> new ExpanderOutputLine(chip(e), e, safeActive);
            };
            outputs.add(line);
            return line;
        }

        InputLine input(Pin pin, Duration debounce, String name, InputLine.Listener listener) {
            InputLine line = switch (pin) {
                case GpioPin g -> new GpioInputLine(pi4j, g, debounce, name, listener);
                case ExpanderPin e -> new ExpanderInputLine(chip(e), e, debounce, listener);
            };
            inputs.add(line);
            return line;
        }

        void release() {
            inputs.forEach(InputLine::close);
            outputs.forEach(OutputLine::close);
        }
    }

    private <D extends DeviceBase> D make(String id, DeviceListener listener, Map<String, Pin> pins, Function<Lines, D> build) {
        Objects.requireNonNull(listener, "listener");
        List<String> claimed = claim(id, pins);
        Lines lines = new Lines();
        D device;
        try {
            device = build.apply(lines);
        } catch (RuntimeException e) {
            lines.release();
            unclaim(id, claimed);
            throw new IllegalStateException("cannot open the lines of " + id + ": " + e.getMessage(), e);
        }
        device.attach(lines.outputs, lines.inputs, () -> unclaim(id, claimed));
        synchronized (this) {
            devices.add(device);
        }
        return device;
    }

    private synchronized List<String> claim(String id, Map<String, Pin> pins) {
        if (closed) {
            throw new IllegalStateException("the devices are closed");
        }
        // One id may own several devices (a door's strike, contact and exit button); a pin only one.
        Map<String, String> mine = new LinkedHashMap<>();
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            String where = location(e.getValue());
            String user = pinUsers.get(where);
            if (user != null || mine.containsKey(where)) {
                throw new IllegalArgumentException(id + " " + e.getKey() + ": " + e.getValue().describe()
                        + " is already used by " + (user != null ? user : id + " " + mine.get(where)));
            }
            mine.put(where, e.getKey());
        }
        mine.keySet().forEach(where -> pinUsers.put(where, id));
        return List.copyOf(mine.keySet());
    }

    private synchronized void unclaim(String id, List<String> locations) {
        locations.forEach(where -> pinUsers.remove(where, id));
    }

    private static String location(Pin pin) {
        return switch (pin) {
            case GpioPin g -> "gpio:" + g.bcm();
            case ExpanderPin e -> "mcp:" + e.bus() + ":" + e.address() + ":" + e.pin();
        };
    }

    private synchronized Mcp23017 chip(ExpanderPin pin) {
        String key = pin.bus() + ":" + pin.address();
        Mcp23017 chip = chips.get(key);
        if (chip == null) {
            String name = "mcp23017@" + pin.bus() + ":0x" + Integer.toHexString(pin.address());
            I2C i2c = pi4j.create(I2C.newConfigBuilder(pi4j)
                    .id("mcp23017-" + pin.bus() + "-" + Integer.toHexString(pin.address()))
                    .name(name).bus(pin.bus()).device(pin.address()));
            chip = new Mcp23017(name, new I2cRegisterBus(i2c));
            chips.put(key, chip);
            long period = settings.expanderPoll().toNanos();
            Mcp23017 polled = chip;
            pollers.add(realTime.scheduleWithFixedDelay(() -> {
                try {
                    polled.poll();
                } catch (RuntimeException e) {
                    log.error("Polling {} failed", polled.name(), e);
                }
            }, period, period, TimeUnit.NANOSECONDS));
        }
        return chip;
    }

    private static void require(String id, String role, Pin pin) {
        Objects.requireNonNull(id, "device id");
        if (pin == null) {
            throw new IllegalArgumentException(id + ": the " + role + " pin is missing");
        }
    }

    private static Map<String, Pin> roles(Object... roleAndPin) {
        Map<String, Pin> pins = new LinkedHashMap<>();
        for (int i = 0; i < roleAndPin.length; i += 2) {
            if (roleAndPin[i + 1] != null) {
                pins.put((String) roleAndPin[i], (Pin) roleAndPin[i + 1]);
            }
        }
        return pins;
    }
}
