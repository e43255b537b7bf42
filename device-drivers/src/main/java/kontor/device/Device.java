package kontor.device;

/**
 * Anything wired to (or reporting to) the gateway, known by the id the site file gives it.
 * A device reports upward only through the {@link DeviceListener} it was created with.
 */
public interface Device extends AutoCloseable {

    /** The id from the site file, e.g. {@code locker-03}. */
    String id();

    /** Whether the device can be trusted right now, and why not. */
    Health health();

    /** Puts every output of the device into its safe state and releases its lines. Never throws. */
    @Override
    void close();
}
