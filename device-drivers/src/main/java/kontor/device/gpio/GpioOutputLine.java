package kontor.device.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.util.Optional;
import kontor.device.wiring.GpioPin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A header pin as an output, through whichever digital-output provider the context holds (gpiod on a Pi). */
final class GpioOutputLine implements OutputLine {
    private static final Logger log = LoggerFactory.getLogger(GpioOutputLine.class);

    private final Context pi4j;
    private final GpioPin pin;
    private final boolean safeActive;
    private final DigitalOutput output;
    private volatile boolean active;

    GpioOutputLine(Context pi4j, GpioPin pin, boolean safeActive, String name) {
        this.pi4j = pi4j;
        this.pin = pin;
        this.safeActive = safeActive;
        this.active = safeActive;
        DigitalState safe = level(safeActive);
        // initial: without it gpiod drives LOW at request time and every active-low relay would click
        this.output = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                .id(ioId(pin)).name(name).address(pin.bcm())
                .initial(safe).shutdown(safe));
    }

    static String ioId(GpioPin pin) {
        return "bcm" + pin.bcm();
    }

    private DigitalState level(boolean active) {
        return DigitalState.getState(active != pin.activeLow());
    }

    @Override
    public void set(boolean active) {
        try {
            output.state(level(active));
            this.active = active;
        } catch (RuntimeException e) {
            log.error("Cannot drive {}", pin.describe(), e);
        }
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public Optional<Mcp23017> chip() {
        return Optional.empty();
    }

    @Override
    public void close() {
        set(safeActive);
        try {
            pi4j.shutdown(output.id());
        } catch (RuntimeException e) {
            log.debug("Releasing {} failed", pin.describe(), e);
        }
    }
}
