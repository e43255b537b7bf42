package kontor.device.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import java.time.Duration;
import java.util.Optional;
import kontor.device.wiring.GpioPin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A header pin as an input. An active-low input gets the pull-up (a contact to ground), an active-high
 * one the pull-down, so that an open circuit reads inactive. Debounce is Pi4J's (in microseconds).
 */
final class GpioInputLine implements InputLine {
    private static final Logger log = LoggerFactory.getLogger(GpioInputLine.class);

    private final Context pi4j;
    private final GpioPin pin;
    private final DigitalInput input;
    private final DigitalStateChangeListener pi4jListener;
    private volatile boolean closed;

    GpioInputLine(Context pi4j, GpioPin pin, Duration debounce, String name, Listener listener) {
        this.pi4j = pi4j;
        this.pin = pin;
        this.input = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                .id(GpioOutputLine.ioId(pin)).name(name).address(pin.bcm())
                .pull(pin.activeLow() ? PullResistance.PULL_UP : PullResistance.PULL_DOWN)
                .debounce(debounce.toNanos() / 1_000));
        // Pi4J logs and swallows a listener's exception; catch ours so that we say which pin
        this.pi4jListener = event -> {
            if (closed) {
                return;
            }
            try {
                listener.changed(event.state().isHigh() != pin.activeLow());
            } catch (RuntimeException e) {
                log.error("Handling a change of {} failed", pin.describe(), e);
            }
        };
        input.addListener(pi4jListener);
    }

    @Override
    public boolean active() {
        return input.state().isHigh() != pin.activeLow();
    }

    @Override
    public Optional<Mcp23017> chip() {
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        try {
            input.removeListener(pi4jListener);
            pi4j.shutdown(input.id());
        } catch (RuntimeException e) {
            log.debug("Releasing {} failed", pin.describe(), e);
        }
    }
}
