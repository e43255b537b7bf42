package kontor.device.gpio;

/** Byte registers of one I2C chip; a failure is an unchecked exception. */
interface RegisterBus {
    int read(int register);

    void write(int register, int value);
}
