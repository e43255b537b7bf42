package kontor.device.gpio;

import java.util.Optional;
import kontor.device.wiring.ExpanderPin;

/** An MCP23017 pin as an output. Closing leaves it an output at its safe level: a floating relay input may switch. */
final class ExpanderOutputLine implements OutputLine {
    private final Mcp23017 chip;
    private final ExpanderPin pin;
    private final boolean safeActive;
    private volatile boolean active;

    ExpanderOutputLine(Mcp23017 chip, ExpanderPin pin, boolean safeActive) {
        this.chip = chip;
        this.pin = pin;
        this.safeActive = safeActive;
        this.active = safeActive;
        chip.configureOutput(pin.pin(), safeActive != pin.activeLow());
    }

    @Override
    public void set(boolean active) {
        this.active = active;
        chip.write(pin.pin(), active != pin.activeLow());
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public Optional<Mcp23017> chip() {
        return Optional.of(chip);
    }

    @Override
    public void close() {
        set(safeActive);
    }
}
