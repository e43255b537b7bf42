package kontor.device.gpio;

import java.time.Duration;
import java.util.Optional;
import kontor.device.wiring.ExpanderPin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An MCP23017 pin as an input, polled and debounced by its chip; active-low inputs get the chip's pull-up. */
final class ExpanderInputLine implements InputLine {
    private static final Logger log = LoggerFactory.getLogger(ExpanderInputLine.class);

    private final Mcp23017 chip;
    private final ExpanderPin pin;

    ExpanderInputLine(Mcp23017 chip, ExpanderPin pin, Duration debounce, Listener listener) {
        this.chip = chip;
        this.pin = pin;
        chip.configureInput(pin.pin(), pin.activeLow(), debounce.toNanos(), pin.activeLow(), high -> {
            try {
                listener.changed(high != pin.activeLow());
            } catch (RuntimeException e) {
                log.error("Handling a change of {} failed", pin.describe(), e);
            }
        });
    }

    @Override
    public boolean active() {
        return chip.level(pin.pin()) != pin.activeLow();
    }

    @Override
    public Optional<Mcp23017> chip() {
        return Optional.of(chip);
    }

    @Override
    public void close() {
        chip.forgetInput(pin.pin());
    }
}
