package kontor.sim.hardware;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProviderBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Pi4J I2C provider with an MCP23017 at every address of every bus. Pi4J's own MockI2C keeps a
 * queue per register, which cannot stand in for a chip whose registers are read again and again.
 */
final class SimulatedI2cProvider extends I2CProviderBase {
    static final String ID = "kontor-simulated-i2c";

    private final Map<String, SimulatedMcp23017> chips;

    SimulatedI2cProvider() {
        this(new ConcurrentHashMap<>());
    }

    private SimulatedI2cProvider(Map<String, SimulatedMcp23017> chips) {
        super(ID, "Kontor simulated MCP23017 I2C");
        this.chips = chips;
    }

    /** The same chips, registers and all, for another process's Pi4J context. */
    SimulatedI2cProvider afterKill() {
        return new SimulatedI2cProvider(chips);
    }

    SimulatedMcp23017 chip(int bus, int address) {
        return chips.computeIfAbsent(bus + ":" + address,
                k -> new SimulatedMcp23017("mcp23017@" + bus + ":0x" + Integer.toHexString(address)));
    }

    @Override
    public I2C create(I2CConfig config) {
        SimulatedI2c i2c = new SimulatedI2c(this, config, chip(config.bus(), config.device()));
        context.registry().add(i2c);
        return i2c;
    }
}
