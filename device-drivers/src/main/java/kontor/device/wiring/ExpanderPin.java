package kontor.device.wiring;

/** A pin of an MCP23017 I2C expander: bus, address 0x20–0x27, pin 0–15 (0–7 = A0–A7, 8–15 = B0–B7). */
public record ExpanderPin(int bus, int address, int pin, boolean activeLow) implements Pin {
    public ExpanderPin {
        if (bus < 0) {
            throw new IllegalArgumentException("I2C bus must be >= 0, not " + bus);
        }
        if (address < 0x20 || address > 0x27) {
            throw new IllegalArgumentException("MCP23017 address must be 0x20..0x27, not 0x" + Integer.toHexString(address));
        }
        if (pin < 0 || pin > 15) {
            throw new IllegalArgumentException("MCP23017 pin must be 0..15, not " + pin);
        }
    }

    @Override
    public String describe() {
        return "mcp23017@" + bus + ":0x" + Integer.toHexString(address) + "/" + (pin < 8 ? "A" : "B") + (pin % 8)
                + (activeLow ? " (active low)" : "");
    }
}
