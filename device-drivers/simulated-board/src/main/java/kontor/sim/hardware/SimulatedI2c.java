package kontor.sim.hardware;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CBase;
import com.pi4j.io.i2c.I2CBus;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import java.util.Objects;
import java.util.concurrent.Callable;

/** One I2C device handle on a {@link SimulatedMcp23017}: register transfers only, as the driver uses. */
final class SimulatedI2c extends I2CBase<SimulatedI2c.DirectBus> {
    private final SimulatedMcp23017 chip;

    /** No bus arbitration to simulate: a transfer simply runs. */
    static final class DirectBus implements I2CBus {
        @Override
        public <R> R execute(I2C i2c, Callable<R> action) {
            try {
                return action.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    SimulatedI2c(I2CProvider provider, I2CConfig config, SimulatedMcp23017 chip) {
        super(provider, config, new DirectBus());
        this.chip = chip;
    }

    @Override
    public int readRegister(int register) {
        return chip.read(register);
    }

    @Override
    public int readRegister(int register, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        for (int i = 0; i < length; i++) {
            buffer[offset + i] = (byte) chip.read(register + i);
        }
        return length;
    }

    @Override
    public int readRegister(byte[] register, byte[] buffer, int offset, int length) {
        return readRegister(register[0] & 0xFF, buffer, offset, length);
    }

    @Override
    public int writeRegister(int register, byte value) {
        chip.write(register, value & 0xFF);
        return 1;
    }

    @Override
    public int writeRegister(int register, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        for (int i = 0; i < length; i++) {
            chip.write(register + i, data[offset + i] & 0xFF);
        }
        return length;
    }

    @Override
    public int writeRegister(byte[] register, byte[] data, int offset, int length) {
        return writeRegister(register[0] & 0xFF, data, offset, length);
    }

    @Override
    public int read() {
        throw new IOException("the simulated MCP23017 only answers register transfers");
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        throw new IOException("the simulated MCP23017 only answers register transfers");
    }

    @Override
    public int write(byte b) {
        throw new IOException("the simulated MCP23017 only answers register transfers");
    }

    @Override
    public int write(byte[] data, int offset, int length) {
        throw new IOException("the simulated MCP23017 only answers register transfers");
    }
}
