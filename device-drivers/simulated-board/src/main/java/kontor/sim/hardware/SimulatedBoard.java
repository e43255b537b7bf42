package kontor.sim.hardware;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import kontor.device.DeviceFactory;
import kontor.device.PrinterFactory;
import kontor.device.gpio.Pi4jDevices;
import kontor.device.wiegand.WiegandDecoder;
import kontor.device.wiegand.WiegandEncoder;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.Pin;
import kontor.device.wiring.WiegandWiring;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raspberry Pi with its wiring, in software, for the real Pi4J drivers to run on: header lines on
 * Pi4J's mock providers, MCP23017 expanders as register files on any bus and address, and handles
 * to drive inputs, read outputs, present cards and break expanders. Pins are given by meaning:
 * {@code active} honours the pin's {@code activeLow}.
 */
public final class SimulatedBoard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedBoard.class);

    /** Between two Wiegand bits: short, so a frame is over before the scheduler is likely to pause this thread. */
    static final Duration WIEGAND_BIT_INTERVAL = Duration.ofNanos(250_000);
    /** After a frame: well over the gap that ends a frame ({@link #DRIVER_SETTINGS}), so two cards never run together. */
    static final Duration WIEGAND_FRAME_SILENCE = Duration.ofMillis(250);

    /**
     * The drivers' settings on this board. A real reader's bits come from hardware; ours come from a
     * thread that a busy machine (CI with two cores) can pause for tens of milliseconds in mid-frame.
     * So the decoder tolerates pauses up to 100 ms here, where a real reader gets 20 ms.
     */
    public static final Pi4jDevices.Settings DRIVER_SETTINGS = new Pi4jDevices.Settings(
            Pi4jDevices.Settings.DEFAULT.expanderPoll(),
            new WiegandDecoder.Timing(Duration.ofNanos(50_000), Duration.ofMillis(100), Duration.ofMillis(120)));

    private final SimulatedGpio gpio;
    private final SimulatedI2cProvider i2c;
    private final Context pi4j;
    /**
     * One card sender per reader (by its D0 line's BCM number), as real readers are independent: cards queued at one reader
     * never hold up another. Each sends its cards one after the other, at a reader's pace.
     */
    private final Map<Integer, ExecutorService> wiegand = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SimulatedBoard() {
        this(new SimulatedGpio(), new SimulatedI2cProvider());
    }

    private SimulatedBoard(SimulatedGpio gpio, SimulatedI2cProvider i2c) {
        this.gpio = gpio;
        this.i2c = i2c;
        this.pi4j = Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(gpio.inputProvider, gpio.outputProvider, i2c)
                .build();
    }

    /**
     * The site's devices on this board: the real drivers ({@link Pi4jDevices}) on its mock pins, with
     * the decoder timing above, and printers from {@code printers}. How the simulator plugs in where a
     * Pi's gpiod would.
     */
    public DeviceFactory devices(Scheduler scheduler, PrinterFactory printers) {
        return new Pi4jDevices(pi4j, scheduler, DRIVER_SETTINGS, printers);
    }

    /**
     * This Pi as the next process finds it after systemd killed the one on this board: for a watchdog restart, where
     * no clean close puts the outputs safe. The MCP23017s keep their registers, so every expander output stays as
     * the dead process left it (a chip does not know a process died) until the next drivers write it; wires keep the
     * levels driven onto header inputs. A fresh Pi4J context opens it all again, as a new process would; this
     * board's context is abandoned, not shut down (a killed process runs no shutdown). Header outputs are Pi4J mock
     * objects without a line under them: they start at whatever level the next drivers request.
     */
    public SimulatedBoard afterKill() {
        return new SimulatedBoard(gpio.afterKill(), i2c.afterKill());
    }

    /** The Pi4J context the drivers are to be made on. */
    public Context pi4j() {
        return pi4j;
    }

    /** Sets an input line by meaning; before the driver opens the line, the level waits for it. */
    public void drive(Pin inputPin, boolean active) {
        Objects.requireNonNull(inputPin, "pin");
        boolean high = active != inputPin.activeLow();
        switch (inputPin) {
            case GpioPin g -> gpio.drive(g.bcm(), high);
            case ExpanderPin e -> i2c.chip(e.bus(), e.address()).driveLine(e.pin(), high);
        }
    }

    /**
     * Whether an output is active (relay energised, lamp lit).
     *
     * @throws IllegalStateException if no driver has made the pin an output
     */
    public boolean isActive(Pin outputPin) {
        Boolean high = outputLevel(outputPin);
        if (high == null) {
            throw new IllegalStateException(outputPin.describe() + " is not an output");
        }
        return high != outputPin.activeLow();
    }

    /** Whether the output is driven active; an undriven line is not. */
    boolean energised(Pin outputPin) {
        Boolean high = outputLevel(outputPin);
        return high != null && high != outputPin.activeLow();
    }

    private Boolean outputLevel(Pin pin) {
        Objects.requireNonNull(pin, "pin");
        return switch (pin) {
            case GpioPin g -> gpio.outputLevel(g.bcm());
            case ExpanderPin e -> i2c.chip(e.bus(), e.address()).outputLevel(e.pin());
        };
    }

    /**
     * Calls {@code onChange} with the new meaning each time the output changes, and once when a
     * driver first drives it; on the thread that changed it.
     */
    public void watch(Pin outputPin, Consumer<Boolean> onChange) {
        Objects.requireNonNull(outputPin, "pin");
        Objects.requireNonNull(onChange, "onChange");
        Consumer<Boolean> byMeaning = high -> onChange.accept(high != outputPin.activeLow());
        switch (outputPin) {
            case GpioPin g -> gpio.watch(g.bcm(), byMeaning);
            case ExpanderPin e -> i2c.chip(e.bus(), e.address()).watch(e.pin(), byMeaning);
        }
    }

    /**
     * Presents a card to a Wiegand reader: 26 bits for 6 hex digits, 34 for 8, 58 for 14. The bits
     * are sent in the background, one card after the other, at a reader's pace.
     *
     * @throws IllegalArgumentException if the card is not 6, 8 or 14 hex digits
     */
    public void presentCard(WiegandWiring w, String cardHex) {
        sendWiegandBits(w, WiegandEncoder.encode(cardHex));
    }

    /** The reader's own card sender, started on its first card. */
    private ExecutorService senderFor(WiegandWiring w) {
        if (closed) {
            throw new IllegalStateException("the simulated board is closed");
        }
        return wiegand.computeIfAbsent(w.d0().bcm(), d0 -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kontor-sim-wiegand-gpio" + d0);
            t.setDaemon(true);
            return t;
        }));
    }

    /**
     * Sends any string of 0 and 1 as one Wiegand frame: for frames a real reader would not send.
     *
     * @throws IllegalArgumentException if {@code bits} is empty or holds anything but 0 and 1
     */
    public void sendWiegandBits(WiegandWiring w, String bits) {
        Objects.requireNonNull(w, "wiring");
        if (bits == null || bits.isEmpty() || !bits.chars().allMatch(c -> c == '0' || c == '1')) {
            throw new IllegalArgumentException("Wiegand bits must be a non-empty string of 0 and 1");
        }
        senderFor(w).execute(() -> {
            try {
                for (int i = 0; i < bits.length(); i++) {
                    GpioPin line = bits.charAt(i) == '0' ? w.d0() : w.d1();
                    drive(line, true);
                    drive(line, false);
                    LockSupport.parkNanos(WIEGAND_BIT_INTERVAL.toNanos());
                }
                LockSupport.parkNanos(WIEGAND_FRAME_SILENCE.toNanos());
            } catch (RuntimeException e) {
                log.error("Sending a Wiegand frame failed", e);
            }
        });
    }

    /** Makes an MCP23017 stop (or start again) acknowledging every transfer, as on a broken bus. */
    public void failExpander(int bus, int address, boolean failing) {
        i2c.chip(bus, address).failing(failing);
    }

    /** Stops the card sender and shuts the Pi4J context down; close the drivers first. */
    @Override
    public void close() {
        closed = true;
        wiegand.values().forEach(ExecutorService::shutdownNow);
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            log.debug("Shutting the simulated Pi4J context down failed", e);
        }
    }
}
