package kontor.device.gpio;

import com.pi4j.io.i2c.I2C;

/** A {@link RegisterBus} on a Pi4J I2C device. */
final class I2cRegisterBus implements RegisterBus {
    private final I2C i2c;

    I2cRegisterBus(I2C i2c) {
        this.i2c = i2c;
    }

    @Override
    public int read(int register) {
        // linuxfs throws when the chip does not answer; some providers return the byte sign-extended
        return i2c.readRegister(register) & 0xFF;
    }

    @Override
    public void write(int register, int value) {
        int written = i2c.writeRegister(register, (byte) value);
        if (written < 0) {
            throw new IllegalStateException("I2C write of register 0x" + Integer.toHexString(register) + " failed: " + written);
        }
    }
}
